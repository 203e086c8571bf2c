package io.termsgate.jobs;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * This instance's share of the background jobs: it asks every {@link PartitionedJob} for ready partitions and runs at
 * most {@code termsgate.jobs.threads} of them at a time, each on a thread of its own pool (never on the shared
 * scheduler, never on a request's thread). On shutdown it interrupts them; what they leave is claimed again, here
 * after a restart or by another instance, once the claims run out.
 */
@Component
@EnableConfigurationProperties(JobProperties.class)
public class JobRunner implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final List<PartitionedJob> jobs;
    private final String worker = "termsgate-" + UUID.randomUUID();
    private final Semaphore free;
    private final ExecutorService pool;
    private final ExecutorService poller = Executors.newSingleThreadExecutor(daemon("jobs-poller"));
    private final AtomicBoolean pollQueued = new AtomicBoolean();

    JobRunner(List<PartitionedJob> jobs, JobProperties properties) {
        this.jobs = List.copyOf(jobs);
        this.free = new Semaphore(properties.threads());
        // polite: the jobs' threads run at the lowest priority, checkout's at the normal one (the JVM passes thread
        // priorities to Linux only with -XX:ThreadPriorityPolicy=1; docs/operations.md)
        this.pool =
                Executors.newFixedThreadPool(Math.max(1, properties.threads()), daemon("jobs", Thread.MIN_PRIORITY));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return daemon(name, Thread.NORM_PRIORITY);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name, int priority) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread thread = new Thread(r, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            thread.setPriority(priority);
            return thread;
        };
    }

    @Scheduled(fixedDelayString = "${termsgate.jobs.poll-interval:1s}")
    void scheduled() {
        wake();
    }

    /** Looks for partitions to run now, off the caller's thread (a batch just queued, a partition just finished). */
    public void wake() {
        if (pollQueued.compareAndSet(false, true)) {
            try {
                poller.execute(() -> {
                    pollQueued.set(false);
                    poll();
                });
            } catch (RejectedExecutionException e) { // shutting down
                pollQueued.set(false);
            }
        }
    }

    private void poll() {
        for (PartitionedJob job : jobs) {
            int available = free.availablePermits();
            if (available == 0) {
                return;
            }
            List<PartitionedJob.Partition> ready;
            try {
                ready = job.ready(available);
            } catch (RuntimeException e) {
                log.warn("looking for job partitions failed; the next poll retries: {}", e.toString());
                continue;
            }
            for (PartitionedJob.Partition partition : ready) {
                if (!free.tryAcquire()) {
                    return;
                }
                try {
                    pool.execute(() -> run(job, partition));
                } catch (RejectedExecutionException e) { // shutting down
                    free.release();
                    return;
                }
            }
        }
    }

    private void run(PartitionedJob job, PartitionedJob.Partition partition) {
        boolean ran = false;
        try {
            ran = job.run(partition, worker);
        } catch (RuntimeException e) {
            log.warn("partition {} failed; it runs again once its claim runs out: {}", partition, e.toString());
        } finally {
            free.release();
        }
        if (ran && !Thread.currentThread().isInterrupted()) {
            wake(); // the next partition at once, not at the next poll
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        poller.shutdownNow();
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }
}
