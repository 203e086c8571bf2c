package io.termsgate.ruleset.sandbox;

import io.termsgate.engine.AuthorityAnswer;
import io.termsgate.engine.AuthorityQuestion;
import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.DecisionTrace;
import io.termsgate.engine.Evaluation;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.RulesetSource;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A candidate ruleset evaluated in a sandbox worker, one evaluation at a time over the worker's standard streams.
 * Slower than a ruleset compiled in the service (each evaluation crosses a process boundary), which is the price of
 * running rules nobody has approved yet.
 *
 * <p>A candidate decides no referrals: nobody approves an order under rules that are not active, so it is never asked
 * about delegated authority, and if it is, it refuses ({@link #authority}). Its authority table is still compiled and
 * checked in the worker, like the rest of the candidate.
 */
final class SandboxedRuleset implements CompiledRuleset, AutoCloseable {

    private final RulesetSource source;
    private final SandboxProperties properties;
    private final int maxRuleFirings;
    private WorkerProcess worker;
    private List<RulesetProblem> warnings = List.of();
    private String unusable;
    private volatile long lastUsed = System.nanoTime();
    private Runnable onClose = () -> {};

    SandboxedRuleset(RulesetSource source, SandboxProperties properties, int maxRuleFirings) {
        this.source = source;
        this.properties = properties;
        this.maxRuleFirings = maxRuleFirings;
    }

    /** One whose worker has compiled the candidate already (the worker that validated it), with its warnings. */
    SandboxedRuleset(
            RulesetSource source,
            SandboxProperties properties,
            int maxRuleFirings,
            WorkerProcess worker,
            List<RulesetProblem> warnings) {
        this(source, properties, maxRuleFirings);
        this.worker = worker;
        this.warnings = List.copyOf(warnings);
    }

    @Override
    public String version() {
        return source.version();
    }

    @Override
    public synchronized List<RulesetProblem> warnings() {
        return warnings;
    }

    @Override
    public synchronized Evaluation evaluate(CreditApplication application, Instant decisionTime) {
        lastUsed = System.nanoTime();
        try {
            if (worker == null || !worker.isAlive()) {
                start();
            }
            if (unusable != null) {
                return failure(unusable);
            }
            worker.send(SandboxMessages.Ask.of(application, decisionTime));
            SandboxMessages.Answer answer =
                    worker.read(SandboxMessages.Answer.class, properties.evaluationTimeout(), "the evaluation");
            return answered(answer);
        } catch (WorkerProcess.Failure e) {
            stop();
            return failure(e.getMessage());
        }
    }

    /**
     * The questions asked of the worker in one exchange, each answered within the evaluation deadline of the answer
     * before it: the same answers as {@link #evaluate} one by one, without a round trip each. An evaluation that
     * fails (its deadline passed, the worker died) is the safe referral, as it would be alone; the worker is then
     * stopped and the questions after it are asked of a new one.
     */
    @Override
    public List<Evaluation> evaluateAll(List<Question> questions) {
        List<SandboxMessages.Ask> asks = questions.stream()
                .map(q -> SandboxMessages.Ask.of(q.application(), q.decisionTime()))
                .toList();
        List<Evaluation> evaluations = new ArrayList<>(questions.size());
        synchronized (this) {
            while (evaluations.size() < asks.size()) {
                lastUsed = System.nanoTime();
                List<SandboxMessages.Answer> answers = new ArrayList<>();
                try {
                    if (worker == null || !worker.isAlive()) {
                        start();
                    }
                    if (unusable != null) {
                        while (evaluations.size() < asks.size()) {
                            evaluations.add(failure(unusable));
                        }
                        break;
                    }
                    worker.exchange(
                            asks.subList(evaluations.size(), asks.size()),
                            SandboxMessages.Answer.class,
                            properties.evaluationTimeout(),
                            "the evaluation",
                            answers);
                    answers.forEach(answer -> evaluations.add(answered(answer)));
                } catch (WorkerProcess.Failure e) {
                    stop();
                    answers.forEach(answer -> evaluations.add(answered(answer)));
                    evaluations.add(failure(e.getMessage()));
                }
            }
        }
        return evaluations;
    }

    private static Evaluation answered(SandboxMessages.Answer answer) {
        return answer.evaluation() == null ? failure("the sandbox returned no evaluation") : answer.evaluation();
    }

    /** Always the refusal: candidates decide no referrals (see the class comment). */
    @Override
    public AuthorityAnswer authority(AuthorityQuestion question) {
        return AuthorityAnswer.failed(CANDIDATES_DECIDE_NO_REFERRALS);
    }

    static final String CANDIDATES_DECIDE_NO_REFERRALS = "candidate rulesets decide no referrals";

    private void start() throws WorkerProcess.Failure {
        try {
            worker = WorkerProcess.start(properties.heap());
        } catch (IOException e) {
            throw new WorkerProcess.Failure("the sandbox could not be started");
        }
        worker.send(new SandboxMessages.Start(
                SandboxMessages.Mode.EVALUATE, source.files(), Instant.EPOCH, maxRuleFirings));
        SandboxMessages.Validation compiled = worker.read(
                SandboxMessages.Validation.class, properties.validationTimeout(), "compiling the candidate");
        warnings = compiled.warnings() == null ? List.of() : List.copyOf(compiled.warnings());
        unusable = compiled.accepted() ? null : "the candidate does not compile: " + compiled.problems();
    }

    private static Evaluation failure(String why) {
        return Evaluation.engineFailure(
                null, null, new DecisionTrace(List.of(), List.of(), List.of(), Map.of(), List.of(why)));
    }

    synchronized void stopIfIdle(Duration idle) {
        if (worker != null && System.nanoTime() - lastUsed > idle.toNanos()) {
            stop();
        }
    }

    private synchronized void stop() {
        if (worker != null) {
            worker.close();
            worker = null;
        }
    }

    /** The running worker's process id, or -1 when none runs (for tests). */
    synchronized long workerPid() {
        return worker == null || !worker.isAlive() ? -1 : worker.pid();
    }

    void onClose(Runnable action) {
        this.onClose = action;
    }

    @Override
    public synchronized void close() {
        stop();
        onClose.run();
    }
}
