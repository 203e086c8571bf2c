package io.termsgate.bench;

import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.Evaluation;
import io.termsgate.engine.drools.DroolsDecisionEngine;
import io.termsgate.engine.drools.EngineProperties;
import io.termsgate.ruleset.RulesetFiles;
import io.termsgate.support.PolicyExamples;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full decision in process, no HTTP: the default ruleset of this repository compiled by the real engine
 * ({@code DroolsDecisionEngine.compile(RulesetFiles.readFolder(Path.of(".")))}) and {@code evaluate} on the 41
 * worked examples of the credit policy in turn (knock-out rules, scorecard, DMN, consistency checks, trace).
 * Measured on one thread and on two (aggregate throughput of both), with the DMN model compiled and interpreted
 * ({@code dmn} parameter) in the same run. Run from the repository root with src/bench/jmh.sh EngineBenchmark.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class EngineBenchmark {

    static final Instant DECISION_TIME = Instant.parse("2026-11-22T10:00:00Z");

    @State(Scope.Benchmark)
    public static class Ruleset {
        /** How the DMN model runs: compiled (the service's default) or by KIE's interpreter, in the same run. */
        @Param({"compiled", "interpreted"})
        public String dmn;

        CompiledRuleset compiled;
        CreditApplication[] applications;

        @Setup(Level.Trial)
        public void compile() {
            // logging as in the service (root at INFO), not logback's unconfigured DEBUG;
            // -jvmArgsAppend -Dtermsgate.bench.log=DEBUG shows what debug logging costs
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                    .setLevel(ch.qos.logback.classic.Level.toLevel(System.getProperty("termsgate.bench.log", "INFO")));
            long start = System.nanoTime();
            // no shadow verification: the benchmark measures the decision alone
            compiled = new DroolsDecisionEngine(new EngineProperties(
                            10_000, EngineProperties.DmnMode.valueOf(dmn.toUpperCase(java.util.Locale.ROOT)), 0))
                    .compile(RulesetFiles.readFolder(Path.of(".")));
            System.out.printf(
                    "%n# default ruleset compiled in %d ms (first compile in this JVM)%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            List<PolicyExamples.Example> examples = PolicyExamples.all();
            applications = new CreditApplication[examples.size()];
            for (int i = 0; i < applications.length; i++) {
                PolicyExamples.Example example = examples.get(i);
                applications[i] = example.application();
                // measure real decisions: every example must decide as the policy says, not fall into the
                // engine's safe-referral path
                Evaluation e = compiled.evaluate(applications[i], DECISION_TIME);
                String expected = example.expected().path("outcome").asText();
                if (e.engineError() || !e.outcome().name().equals(expected)) {
                    throw new IllegalStateException(example + ": expected " + expected + ", got " + e.outcome() + " "
                            + e.trace().errors());
                }
            }
        }
    }

    @Benchmark
    @Threads(1)
    public Evaluation decide(Ruleset ruleset, ExampleCursor cursor) {
        return ruleset.compiled.evaluate(ruleset.applications[cursor.next(ruleset.applications.length)], DECISION_TIME);
    }

    @Benchmark
    @Threads(2)
    public Evaluation decideTwoThreads(Ruleset ruleset, ExampleCursor cursor) {
        return ruleset.compiled.evaluate(ruleset.applications[cursor.next(ruleset.applications.length)], DECISION_TIME);
    }
}
