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
    /** Schedules the idle check of a running worker; returns how to cancel it (see {@link #reapedBy}). */
    private java.util.function.Supplier<Runnable> reaper = () -> () -> {};
    /** Cancels the idle check: set exactly while a worker runs. */
    private Runnable reaping;
    /** An evaluation is in flight: the idle check neither waits for it nor stops its worker. */
    private volatile boolean busy;

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
        busy = true;
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
        } finally {
            lastUsed = System.nanoTime();
            busy = false;
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
            busy = true;
            try {
                while (evaluations.size() < asks.size()) {
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
                        // the failure is the next question's; when the thread is interrupted (shutting down), every
                        // question left gets it, instead of a new worker each
                        do {
                            if (evaluations.size() < asks.size()) {
                                evaluations.add(failure(e.getMessage()));
                            }
                        } while (Thread.currentThread().isInterrupted() && evaluations.size() < asks.size());
                    }
                }
            } finally {
                lastUsed = System.nanoTime();
                busy = false;
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
        if (reaping == null) {
            reaping = reaper.get();
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

    /**
     * Stops the worker once it has been idle for {@code idle}, and with it its idle check: a later evaluation starts a
     * worker and the check again. Never waits for an evaluation in flight.
     */
    void stopIfIdle(Duration idle) {
        if (busy) {
            return;
        }
        synchronized (this) {
            if (!busy && System.nanoTime() - lastUsed > idle.toNanos()) {
                stop();
            }
        }
    }

    /**
     * Has {@code schedule} check the worker for idleness while one runs (it returns how to cancel the check); a worker
     * already running is checked from now on.
     */
    synchronized void reapedBy(java.util.function.Supplier<Runnable> schedule) {
        this.reaper = schedule;
        if (worker != null && reaping == null) {
            reaping = schedule.get();
        }
    }

    /** The running worker's process id, or -1 when none runs (for tests). */
    synchronized long workerPid() {
        return worker == null || !worker.isAlive() ? -1 : worker.pid();
    }

    private synchronized void stop() {
        if (worker != null) {
            worker.close();
            worker = null;
        }
        if (reaping != null) {
            reaping.run();
            reaping = null;
        }
    }

    /** Stops its worker now. Still usable: an evaluation after it starts a worker (and its idle check) again. */
    @Override
    public synchronized void close() {
        stop();
    }
}
