package io.termsgate.audit;

import io.termsgate.bench.ExampleCursor;
import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.Evaluation;
import io.termsgate.support.DefaultRuleset;
import io.termsgate.support.PolicyExamples;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a backtest spends reading a logged decision back, beside the replay itself: the stored request and result read
 * in one pass ({@code readRequest}, {@code resultFields}) or as trees (the oracle the one-pass readers are tested
 * against), and a replayed result's fields taken from the evaluation or written as JSON and read back. The policy's
 * worked examples, decided by the default ruleset: src/bench/jmh.sh StoredJsonBenchmark.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class StoredJsonBenchmark {

    @State(Scope.Benchmark)
    public static class Logged {
        String[] requests;
        String[] results;
        Evaluation[] evaluations;

        @Setup(Level.Trial)
        public void setUp() {
            CompiledRuleset ruleset = DefaultRuleset.compiled();
            List<PolicyExamples.Example> examples = PolicyExamples.all();
            requests = new String[examples.size()];
            results = new String[examples.size()];
            evaluations = new Evaluation[examples.size()];
            for (int i = 0; i < requests.length; i++) {
                CreditApplication application = examples.get(i).application();
                evaluations[i] = ruleset.evaluate(application, DefaultRuleset.DECISION_TIME);
                requests[i] = CanonicalJson.request(application);
                results[i] = CanonicalJson.result(evaluations[i], "EUR");
            }
        }
    }

    @Benchmark
    public CreditApplication requestOnePass(Logged l, ExampleCursor c) {
        return CanonicalJson.readRequest(l.requests[c.next(l.requests.length)]);
    }

    @Benchmark
    public CreditApplication requestAsTree(Logged l, ExampleCursor c) {
        return CanonicalJson.readRequestAsTree(l.requests[c.next(l.requests.length)]);
    }

    @Benchmark
    public Map<String, Object> resultOnePass(Logged l, ExampleCursor c) {
        return CanonicalJson.resultFields(l.results[c.next(l.results.length)]);
    }

    @Benchmark
    public Map<String, Object> resultAsTree(Logged l, ExampleCursor c) {
        return CanonicalJson.resultFieldsAsTree(l.results[c.next(l.results.length)]);
    }

    @Benchmark
    public Map<String, Object> replayedFieldsFromTheEvaluation(Logged l, ExampleCursor c) {
        return CanonicalJson.resultFields(l.evaluations[c.next(l.evaluations.length)], "EUR");
    }

    @Benchmark
    public Map<String, Object> replayedFieldsThroughJson(Logged l, ExampleCursor c) {
        return CanonicalJson.resultFields(CanonicalJson.result(l.evaluations[c.next(l.evaluations.length)], "EUR"));
    }
}
