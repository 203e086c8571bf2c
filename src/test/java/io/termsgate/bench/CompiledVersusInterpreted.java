package io.termsgate.bench;

import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.drools.DroolsDecisionEngine;
import io.termsgate.engine.drools.EngineProperties;
import io.termsgate.ruleset.RulesetFiles;
import io.termsgate.support.PolicyExamples;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Whole credit decisions, DMN compiled against DMN interpreted, interleaved in short rounds in one JVM on one thread,
 * so that a loaded, shared machine slows both alike and the ratio per round stays meaningful when absolute figures do
 * not (docs/performance.md). Not a test; run with src/bench/dmn-ab.sh.
 */
public final class CompiledVersusInterpreted {

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        long roundNanos = (long) ((args.length > 1 ? Double.parseDouble(args[1]) : 2.0) * 1e9);
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        CompiledRuleset compiled = ruleset(EngineProperties.DmnMode.COMPILED);
        CompiledRuleset interpreted = ruleset(EngineProperties.DmnMode.INTERPRETED);
        List<PolicyExamples.Example> examples = PolicyExamples.all();
        CreditApplication[] applications =
                examples.stream().map(PolicyExamples.Example::application).toArray(CreditApplication[]::new);
        for (CreditApplication application : applications) {
            if (!compiled.evaluate(application, EngineBenchmark.DECISION_TIME)
                    .equals(interpreted.evaluate(application, EngineBenchmark.DECISION_TIME))) {
                throw new IllegalStateException("compiled and interpreted differ on " + application);
            }
        }
        // warm-up: both paths, alternating, until the JIT has had its go at each
        for (int i = 0; i < 6; i++) {
            run(compiled, applications, roundNanos);
            run(interpreted, applications, roundNanos);
        }
        double[] c = new double[rounds];
        double[] in = new double[rounds];
        double[] ratio = new double[rounds];
        double[] cCpu = new double[rounds];
        double[] inCpu = new double[rounds];
        double[] ratioCpu = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            double[] compiledRound = run(compiled, applications, roundNanos);
            double[] interpretedRound = run(interpreted, applications, roundNanos);
            c[r] = compiledRound[0];
            in[r] = interpretedRound[0];
            ratio[r] = c[r] / in[r];
            cCpu[r] = compiledRound[1];
            inCpu[r] = interpretedRound[1];
            ratioCpu[r] = cCpu[r] / inCpu[r];
            System.out.printf(
                    "round %2d: compiled %,10.0f/s  interpreted %,9.0f/s  ratio %5.1f   per CPU-second: compiled %,10.0f"
                            + "  interpreted %,9.0f  ratio %5.1f%n",
                    r + 1, c[r], in[r], ratio[r], cCpu[r], inCpu[r], ratioCpu[r]);
        }
        System.out.printf(
                "median: compiled %,.0f decisions/s (%.1f us), interpreted %,.0f/s (%.1f us), ratio %.1f (per round:"
                        + " %.1f to %.1f)%n",
                median(c),
                1e6 / median(c),
                median(in),
                1e6 / median(in),
                median(ratio),
                Arrays.stream(ratio).min().orElse(0),
                Arrays.stream(ratio).max().orElse(0));
        // the thread's CPU time leaves out what a shared host takes from it (steal, other processes): the cost of a
        // decision itself, steadier than wall time when the machine is not quiet
        System.out.printf(
                "median per CPU-second of this thread: compiled %,.0f decisions (%.1f us), interpreted %,.0f (%.1f us),"
                        + " ratio %.1f%n",
                median(cCpu), 1e6 / median(cCpu), median(inCpu), 1e6 / median(inCpu), median(ratioCpu));
    }

    private static CompiledRuleset ruleset(EngineProperties.DmnMode mode) {
        return new DroolsDecisionEngine(new EngineProperties(10_000, mode, 0))
                .compile(RulesetFiles.readFolder(Path.of(".")));
    }

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    /** Decisions per second of wall time in [0] and per second of this thread's CPU time in [1]. */
    private static double[] run(CompiledRuleset ruleset, CreditApplication[] applications, long nanos) {
        long start = System.nanoTime();
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        long end = start + nanos;
        long count = 0;
        int sink = 0;
        while (System.nanoTime() < end) {
            for (CreditApplication application : applications) {
                sink += ruleset.evaluate(application, EngineBenchmark.DECISION_TIME)
                        .termDays();
            }
            count += applications.length;
        }
        if (sink == 42) {
            System.out.print("");
        }
        double wall = count / ((System.nanoTime() - start) / 1e9);
        double cpu = count / ((THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9);
        return new double[] {wall, cpu};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
