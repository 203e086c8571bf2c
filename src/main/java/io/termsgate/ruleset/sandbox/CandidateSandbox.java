package io.termsgate.ruleset.sandbox;

import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.RulesetRejectedException;
import io.termsgate.engine.RulesetSource;
import io.termsgate.engine.drools.EngineProperties;
import io.termsgate.ruleset.ScenarioRunner;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs a ruleset that no second person has approved — an uploaded candidate's compile and scenarios, a backtest or a
 * what-if under it — in a {@link SandboxWorker} process instead of the service's JVM. The policy language keeps
 * code out of rule files; this keeps whatever got past it away from the database, the keys, the network and the
 * service's memory and processors.
 */
@Component
public class CandidateSandbox {

    private static final Logger log = LoggerFactory.getLogger(CandidateSandbox.class);

    private final SandboxProperties properties;
    private final EngineProperties engine;
    private final ScheduledThreadPoolExecutor reaper = reaper();

    private static ScheduledThreadPoolExecutor reaper() {
        ScheduledThreadPoolExecutor reaper = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "sandbox-reaper");
            thread.setDaemon(true);
            return thread;
        });
        reaper.setRemoveOnCancelPolicy(true); // a cancelled check lets go of its ruleset at once
        return reaper;
    }

    public CandidateSandbox(SandboxProperties properties, EngineProperties engine) {
        this.properties = properties;
        this.engine = engine;
    }

    /** What a candidate's validation found: compiled, with these warnings and these scenario results. */
    public record Checked(List<RulesetProblem> warnings, ScenarioRunner.Report scenarios) {}

    /**
     * Compiles the candidate and runs its scenarios in a worker.
     *
     * @throws RulesetRejectedException with every problem, when it does not compile or the worker fails
     */
    public Checked validate(RulesetSource source, Instant now) {
        Kept kept = validateKeeping(source, now);
        kept.close();
        return kept.checked();
    }

    /**
     * What a candidate's validation found, and its worker kept to evaluate it (a backtest or a what-if soon after an
     * upload then finds the candidate compiled and its evaluation warm). Whoever gets it closes it, or hands it to
     * someone who will; unused, its worker stops when idle.
     */
    public record Kept(Checked checked, CompiledRuleset evaluator) implements AutoCloseable {

        @Override
        public void close() {
            ((SandboxedRuleset) evaluator).close();
        }
    }

    /**
     * {@link #validate}, and the worker kept to evaluate the candidate.
     *
     * @throws RulesetRejectedException with every problem, when it does not compile or the worker fails
     */
    public Kept validateKeeping(RulesetSource source, Instant now) {
        long started = System.nanoTime();
        WorkerProcess worker;
        try {
            worker = WorkerProcess.start(properties.heap());
        } catch (IOException e) {
            log.error("The sandbox worker could not be started", e);
            throw new IllegalStateException("the sandbox worker could not be started", e);
        }
        boolean handedOver = false;
        try {
            worker.send(new SandboxMessages.Start(
                    SandboxMessages.Mode.VALIDATE, source.files(), now, engine.maxRuleFirings()));
            SandboxMessages.Validation validation = worker.read(
                    SandboxMessages.Validation.class, properties.validationTimeout(), "validating the candidate");
            log.info(
                    "Sandbox validated {} in {} ms: {}",
                    source.version(),
                    (System.nanoTime() - started) / 1_000_000,
                    validation.accepted() ? "compiled" : "rejected");
            if (!validation.accepted()) {
                throw new RulesetRejectedException(validation.problems());
            }
            if (validation.scenarios() == null) {
                throw new RulesetRejectedException(List.of(problem("the sandbox returned no scenario results")));
            }
            List<RulesetProblem> warnings = validation.warnings() == null ? List.of() : validation.warnings();
            CompiledRuleset evaluator =
                    new SandboxedRuleset(source, properties, engine.maxRuleFirings(), reaper, worker, warnings);
            handedOver = true;
            return new Kept(new Checked(warnings, validation.scenarios()), evaluator);
        } catch (WorkerProcess.Failure e) {
            throw new RulesetRejectedException(List.of(problem(e.getMessage())));
        } finally {
            if (!handedOver) {
                worker.close(); // rejected, failed, or anything thrown on the way: no worker outlives it
            }
        }
    }

    /**
     * A ruleset whose evaluations run in a worker of their own, started on first use and stopped when idle. Its
     * failures (a deadline passed, memory exhausted, a rejected compile) come back as the safe referral.
     */
    public CompiledRuleset evaluator(RulesetSource source) {
        return new SandboxedRuleset(source, properties, engine.maxRuleFirings(), reaper);
    }

    private static RulesetProblem problem(String message) {
        return RulesetProblem.error("(ruleset)", "sandbox", message);
    }
}
