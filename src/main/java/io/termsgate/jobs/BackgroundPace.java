package io.termsgate.jobs;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * How background work shares the cores with the calls someone waits on. A batch's lines and a backtest's replays
 * call {@link #checkpoint()} between small units of work; a thread that has spent a slice of CPU time
 * ({@code termsgate.jobs.slice}) on a core rests, while {@link ForegroundTraffic} says checkout is being served, long
 * enough to keep its share of a core at {@code termsgate.jobs.duty-cycle}: at 0.1, 5 ms on a core are followed by
 * 45 ms of rest. With nobody waiting the work runs at full speed.
 *
 * <p>Work is the thread's CPU time, not the wall time: a batch thread waiting for its lines' group commit leaves the
 * core to others and owes no rest for it. The time it waits for the database to read or write for it is counted
 * ({@link #charging}): the database runs on the same cores. Thread priorities alone
 * do not do this: the JVM hands them to Linux only with {@code -XX:ThreadPriorityPolicy=1} as root, and even then a
 * busy background thread holds a core that checkout's bursts need (docs/performance.md "Backtests and batches beside
 * checkout").
 */
public final class BackgroundPace {

    /** How a rest is taken (a real sleep; a test records it instead). */
    interface Rest {
        void take(long nanos) throws InterruptedException;
    }

    private final ForegroundTraffic traffic;
    private final double dutyCycle;
    private final long sliceNanos;
    private final long quietNanos;
    private final LongSupplier nanoTime;
    private final LongSupplier cpuTime;
    private final Rest rest;
    private final Timer rested;
    // when this thread's current slice began: {wall time, the thread's CPU time}
    private final ThreadLocal<long[]> sliceStart;

    public BackgroundPace(JobProperties properties, ForegroundTraffic traffic, MeterRegistry meters) {
        this(properties, traffic, System::nanoTime, threadCpuTime(), TimeUnit.NANOSECONDS::sleep, meters);
    }

    BackgroundPace(
            JobProperties properties,
            ForegroundTraffic traffic,
            LongSupplier nanoTime,
            LongSupplier cpuTime,
            Rest rest,
            MeterRegistry meters) {
        this.traffic = traffic;
        this.dutyCycle = properties.dutyCycle();
        this.sliceNanos = properties.slice().toNanos();
        this.quietNanos = properties.idleAfter().toNanos();
        this.nanoTime = nanoTime;
        this.cpuTime = cpuTime;
        this.rest = rest;
        this.rested = Timer.builder("termsgate.jobs.rested")
                .description("Rests background threads took to leave the cores to checkout")
                .register(meters);
        this.sliceStart = ThreadLocal.withInitial(() -> new long[] {nanoTime.getAsLong(), cpuTime.getAsLong()});
    }

    /** The current thread's CPU time; where the JVM cannot tell, its wall time (every wait then counts as work). */
    private static LongSupplier threadCpuTime() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (threads.isCurrentThreadCpuTimeSupported()) {
            if (!threads.isThreadCpuTimeEnabled()) {
                threads.setThreadCpuTimeEnabled(true);
            }
            return threads::getCurrentThreadCpuTime;
        }
        return System::nanoTime;
    }

    /**
     * Between two units of background work: rests this thread if it has spent its slice on a core and someone is
     * waiting on this instance. An interrupt ends the rest and stays set for the caller to see.
     */
    public void checkpoint() {
        long[] start = sliceStart.get();
        long now = nanoTime.getAsLong();
        if (now - start[0] < sliceNanos) {
            return; // cheap: the CPU time cannot be more than the wall time
        }
        long worked = cpuTime.getAsLong() - start[1];
        if (worked < sliceNanos) {
            return; // mostly waiting so far: the slice goes on
        }
        if (dutyCycle < 1.0 && traffic.busy(now, quietNanos)) {
            // a long slice (a stall between checkpoints) rests at most a second at a time
            long nanos = Math.min((long) (worked * (1.0 - dutyCycle) / dutyCycle), TimeUnit.SECONDS.toNanos(1));
            try {
                rest.take(nanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            rested.record(Duration.ofNanos(nanos));
        }
        begin();
    }

    /**
     * Runs {@code call}, a query or write the database does for this background thread, and counts the time the
     * thread waited for it as work: the database runs on the cores checkout needs too. (The thread's own CPU time
     * within the call counts as work anyway.)
     */
    public <T> T charging(Supplier<T> call) {
        long wall = nanoTime.getAsLong();
        long cpu = cpuTime.getAsLong();
        try {
            return call.get();
        } finally {
            long waited = (nanoTime.getAsLong() - wall) - (cpuTime.getAsLong() - cpu);
            if (waited > 0) {
                sliceStart.get()[1] -= waited;
            }
        }
    }

    /** {@link #charging(Supplier)} for a call without a result. */
    public void charging(Runnable call) {
        charging(() -> {
            call.run();
            return null;
        });
    }

    /** A thread about to start background work begins a fresh slice (what it did before is not counted). */
    public void begin() {
        long[] start = sliceStart.get();
        start[0] = nanoTime.getAsLong();
        start[1] = cpuTime.getAsLong();
    }
}
