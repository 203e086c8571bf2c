package io.termsgate.engine.drools;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How DMN models are evaluated, and the sampled shadow check of the compiled path: a share of compiled evaluations
 * ({@code termsgate.engine.verify-sample}) is evaluated again by KIE's interpreter on one small background thread,
 * off the request path, and the two answers compared. A mismatch is logged by model and decision names only (never
 * input or result values: they are personal data) and counted. When the background queue is full the check is
 * dropped and counted, never waited for.
 */
final class DmnVerifier {

    private static final Logger log = LoggerFactory.getLogger(DmnVerifier.class);
    private static final int QUEUE = 256;

    /** Interpreted only, nothing verified: what a sandbox or a test without settings gets when it asks for it. */
    static final DmnVerifier INTERPRETED = new DmnVerifier(false, 0);

    private final boolean compiled;
    private final double sample;
    private final Counter checked;
    private final Counter mismatches;
    private final Counter dropped;
    private final ThreadPoolExecutor executor;

    /**
     * The counters go to Micrometer's global registry, which Spring Boot's registry joins: a ruleset compiled before
     * the application context exists (EarlyCompile) counts there too.
     */
    DmnVerifier(boolean compiled, double sample) {
        this.compiled = compiled;
        this.sample = compiled ? Math.max(0, Math.min(1, sample)) : 0;
        MeterRegistry meters = Metrics.globalRegistry;
        this.checked = meters.counter("termsgate.engine.verify.checked");
        this.mismatches = meters.counter("termsgate.engine.verify.mismatches");
        this.dropped = meters.counter("termsgate.engine.verify.dropped");
        this.executor = this.sample > 0 ? executor() : null;
    }

    static DmnVerifier of(EngineProperties properties) {
        return new DmnVerifier(properties.dmn() != EngineProperties.DmnMode.INTERPRETED, properties.verifySample());
    }

    /** Whether compiled models are evaluated compiled. */
    boolean compiled() {
        return compiled;
    }

    private static ThreadPoolExecutor executor() {
        ThreadPoolExecutor executor =
                new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread thread = new Thread(r, "dmn-verify");
                    thread.setDaemon(true);
                    thread.setPriority(Thread.MIN_PRIORITY);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    private long verified;
    private long mismatched;

    /** Counts for tests and the log: checks run and mismatches found since start. */
    synchronized long[] counts() {
        return new long[] {verified, mismatched};
    }

    /**
     * Maybe (by the sample) compares a compiled answer with the interpreter's, in the background.
     *
     * @param compiledAnswer the compiled path's decisions, by name (plain values)
     * @param interpreted computes the interpreter's decisions on the same inputs
     */
    void maybeVerify(String model, Map<String, Object> compiledAnswer, Supplier<Map<String, Object>> interpreted) {
        maybeVerify(model, () -> compiledAnswer, interpreted);
    }

    /**
     * As above, with the compiled answer made only when this evaluation is sampled (it must not change afterwards):
     * the credit decision's answer is a copy with its tables, which the unsampled decisions need not pay for.
     */
    void maybeVerify(
            String model, Supplier<Map<String, Object>> compiledAnswer, Supplier<Map<String, Object>> interpreted) {
        if (executor == null || ThreadLocalRandom.current().nextDouble() >= sample) {
            return;
        }
        Map<String, Object> answer = compiledAnswer.get();
        try {
            executor.execute(() -> verify(model, answer, interpreted));
        } catch (java.util.concurrent.RejectedExecutionException full) {
            if (dropped != null) {
                dropped.increment();
            }
        }
    }

    private void verify(String model, Map<String, Object> compiledAnswer, Supplier<Map<String, Object>> interpreted) {
        Map<String, Object> oracle;
        try {
            oracle = interpreted.get();
        } catch (RuntimeException e) {
            log.warn(
                    "DMN verification of model '{}': the interpreter failed ({})",
                    model,
                    e.getClass().getSimpleName());
            record(false);
            return;
        }
        List<String> differing = differing(compiledAnswer, oracle);
        record(differing.isEmpty());
        if (!differing.isEmpty()) {
            log.warn(
                    "DMN verification: the compiled evaluation of model '{}' differs from the interpreter's in {}",
                    model,
                    differing);
        }
    }

    private void record(boolean same) {
        synchronized (this) {
            verified++;
            mismatched += same ? 0 : 1;
        }
        if (checked != null) {
            checked.increment();
        }
        if (!same && mismatches != null) {
            mismatches.increment();
        }
    }

    /** The names whose values differ (exactly: a BigDecimal's scale counts), sorted. */
    static List<String> differing(Map<String, Object> a, Map<String, Object> b) {
        TreeSet<String> names = new TreeSet<>(a.keySet());
        names.addAll(b.keySet());
        List<String> differing = new ArrayList<>();
        for (String name : names) {
            if (!a.containsKey(name) || !b.containsKey(name) || !Objects.equals(a.get(name), b.get(name))) {
                differing.add(name);
            }
        }
        return differing;
    }
}
