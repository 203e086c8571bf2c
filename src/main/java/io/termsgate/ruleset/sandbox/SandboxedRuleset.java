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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

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
    /** Where the idle check of a running worker is scheduled. */
    private final ScheduledExecutorService reaper;
    /** The idle check: scheduled exactly while a worker runs. */
    private ScheduledFuture<?> idleCheck;
    /** An evaluation is in flight: the idle check neither waits for it nor stops its worker. */
    private volatile boolean busy;

    /** @param reaper where its worker's idle check runs (the worker stops once idle for the idle timeout) */
    SandboxedRuleset(
            RulesetSource source, SandboxProperties properties, int maxRuleFirings, ScheduledExecutorService reaper) {
        this.source = source;
        this.properties = properties;
        this.maxRuleFirings = maxRuleFirings;
        this.reaper = reaper;
    }

    /** One whose worker has compiled the candidate already (the worker that validated it), with its warnings. */
    SandboxedRuleset(
            RulesetSource source,
            SandboxProperties properties,
            int maxRuleFirings,
            ScheduledExecutorService reaper,
            WorkerProcess worker,
            List<RulesetProblem> warnings) {
        this(source, properties, maxRuleFirings, reaper);
        this.worker = worker;
        this.warnings = List.copyOf(warnings);
        checkForIdleness();
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
    public Evaluation evaluate(CreditApplication application, Instant decisionTime) {
        return evaluateAll(List.of(new Question(application, decisionTime))).get(0);
    }

    /**
     * The questions asked of the worker in one exchange, each answered within the evaluation deadline of the answer
     * before it: the same answers as asking each alone ({@link #evaluate} is one question asked so), without a round
     * trip each. An evaluation that
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
        checkForIdleness();
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

    /** Schedules the idle check of the worker now running, unless it is scheduled already. */
    private void checkForIdleness() {
        if (idleCheck == null) {
            long every = Math.max(1, properties.idleTimeout().toSeconds());
            idleCheck = reaper.scheduleWithFixedDelay(
                    () -> stopIfIdle(properties.idleTimeout()), every, every, TimeUnit.SECONDS);
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
        if (idleCheck != null) {
            idleCheck.cancel(false);
            idleCheck = null;
        }
    }

    /** Stops its worker now. Still usable: an evaluation after it starts a worker (and its idle check) again. */
    @Override
    public synchronized void close() {
        stop();
    }
}
