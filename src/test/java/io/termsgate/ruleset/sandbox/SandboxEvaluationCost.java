package io.termsgate.ruleset.sandbox;

import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.RulesetSource;
import io.termsgate.engine.drools.DroolsDecisionEngine;
import io.termsgate.engine.drools.EngineProperties;
import io.termsgate.ruleset.RulesetFiles;
import io.termsgate.support.Applications;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a candidate's evaluations cost in the sandbox (a backtest's or a what-if's): the default ruleset evaluated
 * in this JVM, in a worker one question at a time, and in a worker a chunk of questions at a time, in one run, with
 * the worker's CPU time a decision. A measuring aid, not a test (docs/performance.md, "Backtests of a candidate in
 * the sandbox"): {@code java -cp target/classes:target/test-classes:$(cat target/jmh/classpath.txt)
 * io.termsgate.ruleset.sandbox.SandboxEvaluationCost 5 5000 64}.
 */
public final class SandboxEvaluationCost {

    private SandboxEvaluationCost() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int decisions = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        int chunk = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        RulesetSource source = RulesetFiles.readFolder(Path.of("."));
        EngineProperties engineProperties = new EngineProperties(10_000);
        CompiledRuleset inProcess = new DroolsDecisionEngine(engineProperties).compile(source);
        CandidateSandbox sandbox = new CandidateSandbox(
                new SandboxProperties("256m", Duration.ofSeconds(120), Duration.ofSeconds(10), Duration.ofSeconds(600)),
                engineProperties);
        CompiledRuleset oneByOne = sandbox.evaluator(source);
        CompiledRuleset chunked = sandbox.evaluator(source);
        List<CompiledRuleset.Question> questions = new ArrayList<>();
        Instant at = Instant.parse("2026-11-22T10:00:00Z");
        for (int i = 0; i < decisions; i++) {
            questions.add(new CompiledRuleset.Question(
                    Applications.typical()
                            .id("COST-" + i % 1000)
                            .annualRevenue(String.valueOf(2_000_000 + 99_991L * i))
                            .creditScore(40 + i % 60)
                            .amount(String.valueOf(1000 + 31 * (i % 9000)))
                            .requestedTermDays(List.of(15, 30, 45, 60, 90).get(i % 5))
                            .build(),
                    at.plusSeconds(i)));
        }
        // start both workers (each compiles the ruleset) before anything is timed
        oneByOne.evaluate(questions.get(0).application(), at);
        chunked.evaluateAll(questions.subList(0, 1));
        long[] workers = ProcessHandle.current()
                .children()
                .mapToLong(ProcessHandle::pid)
                .sorted()
                .toArray();
        for (int round = 1; round <= rounds; round++) {
            long start = System.nanoTime();
            for (CompiledRuleset.Question question : questions) {
                inProcess.evaluate(question.application(), question.decisionTime());
            }
            double local = rate(decisions, start);

            long cpu = cpuMillis(workers[0]);
            start = System.nanoTime();
            for (CompiledRuleset.Question question : questions) {
                oneByOne.evaluate(question.application(), question.decisionTime());
            }
            double single = rate(decisions, start);
            double singleCpu = (cpuMillis(workers[0]) - cpu) * 1000.0 / decisions;

            cpu = cpuMillis(workers[1]);
            start = System.nanoTime();
            for (int i = 0; i < decisions; i += chunk) {
                chunked.evaluateAll(questions.subList(i, Math.min(decisions, i + chunk)));
            }
            double batched = rate(decisions, start);
            double batchedCpu = (cpuMillis(workers[1]) - cpu) * 1000.0 / decisions;
            System.out.printf(
                    "round %d: in process %.0f /s; sandbox one at a time %.0f /s (worker %.0f us CPU a decision); "
                            + "chunks of %d %.0f /s (worker %.0f us)%n",
                    round, local, single, singleCpu, chunk, batched, batchedCpu);
        }
        ((AutoCloseable) oneByOne).close();
        ((AutoCloseable) chunked).close();
    }

    private static double rate(int decisions, long start) {
        return decisions / ((System.nanoTime() - start) / 1e9);
    }

    /** A process's user and system CPU time so far, from /proc (clock ticks of 10 ms). */
    private static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
    }
}
