package io.termsgate.jobs;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * How background work shares the cores with the calls someone waits on. A batch's lines and a backtest's replays
 * call {@link #checkpoint()} between small units of work; a thread that has worked a slice
 * ({@code termsgate.jobs.slice}) rests, while {@link ForegroundTraffic} says checkout is being served, long enough to
 * keep its share of the time at {@code termsgate.jobs.duty-cycle}: at 0.25 a 5 ms slice is followed by 15 ms of rest.
 * With nobody waiting the work runs at full speed.
 *
 * <p>Thread priorities alone do not do this: the JVM hands them to Linux only with {@code -XX:ThreadPriorityPolicy=1}
 * as root, and even then a busy background thread holds a core that checkout's bursts need (docs/performance.md
 * "Backtests and batches beside checkout"). The rest is measured in wall time, so a thread slowed down by checkout
 * rests longer, not shorter.
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
    private final Rest rest;
    private final Timer rested;
    // when this thread's current slice began
    private final ThreadLocal<long[]> sliceStart;

    public BackgroundPace(JobProperties properties, ForegroundTraffic traffic, MeterRegistry meters) {
        this(properties, traffic, System::nanoTime, TimeUnit.NANOSECONDS::sleep, meters);
    }

    BackgroundPace(
            JobProperties properties,
            ForegroundTraffic traffic,
            LongSupplier nanoTime,
            Rest rest,
            MeterRegistry meters) {
        this.traffic = traffic;
        this.dutyCycle = properties.dutyCycle();
        this.sliceNanos = properties.slice().toNanos();
        this.quietNanos = properties.idleAfter().toNanos();
        this.nanoTime = nanoTime;
        this.rest = rest;
        this.rested = Timer.builder("termsgate.jobs.rested")
                .description("Rests background threads took to leave the cores to checkout")
                .register(meters);
        this.sliceStart = ThreadLocal.withInitial(() -> new long[] {nanoTime.getAsLong()});
    }

    /**
     * Between two units of background work: rests this thread if its slice is over and someone is waiting on this
     * instance. An interrupt ends the rest and stays set for the caller to see.
     */
    public void checkpoint() {
        long[] start = sliceStart.get();
        long now = nanoTime.getAsLong();
        long worked = now - start[0];
        if (worked < sliceNanos) {
            return;
        }
        if (dutyCycle < 1.0 && traffic.busy(now, quietNanos)) {
            // a slice stretched by a stall (a page read, a collection) rests at most a second at a time
            long nanos = Math.min((long) (worked * (1.0 - dutyCycle) / dutyCycle), TimeUnit.SECONDS.toNanos(1));
            try {
                rest.take(nanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            rested.record(Duration.ofNanos(nanos));
        }
        start[0] = nanoTime.getAsLong();
    }

    /** A thread about to start background work begins a fresh slice (time it spent waiting is not work). */
    public void begin() {
        sliceStart.get()[0] = nanoTime.getAsLong();
    }
}
