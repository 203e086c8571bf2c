package io.termsgate.audit;

import io.termsgate.bench.ExampleCursor;
import io.termsgate.engine.CreditApplication;
import io.termsgate.support.PolicyExamples;
import java.util.List;
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
 * What sealing personal data adds to a decision on checkout's path, in process: the request's canonical JSON (what
 * the log stores either way) alone, and with the customer's request sealed (AES-256-GCM under the customer's data
 * key, the key found in the instance's cache as it is for a returning buyer). Compare with
 * {@code EngineBenchmark.decide} in the same run: src/bench/jmh.sh 'PersonalDataBenchmark|EngineBenchmark.decide$'.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PersonalDataBenchmark {

    @State(Scope.Benchmark)
    public static class Requests {
        PersonalData personalData;
        CreditApplication[] applications;
        String[] customers;

        @Setup(Level.Trial)
        public void setUp() {
            AuditDatabase database = new AuditDatabase();
            personalData = database.personalData();
            List<PolicyExamples.Example> examples = PolicyExamples.all();
            applications = new CreditApplication[examples.size()];
            customers = new String[examples.size()];
            for (int i = 0; i < applications.length; i++) {
                applications[i] = examples.get(i).application();
                customers[i] = applications[i].customer().getId();
                personalData.prepare(customers[i]); // each buyer's key exists, as for a returning buyer
            }
        }
    }

    @Benchmark
    @Threads(1)
    public String canonicalRequest(Requests r, ExampleCursor c) {
        return CanonicalJson.request(r.applications[c.next(r.applications.length)]);
    }

    @Benchmark
    @Threads(1)
    public PersonalData.Sealed canonicalRequestSealed(Requests r, ExampleCursor c) {
        int i = c.next(r.applications.length);
        return r.personalData.seal(r.customers[i], CanonicalJson.request(r.applications[i]), null);
    }
}
