package io.termsgate.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for any hash chain kept in the database (the decision log, the model calls): one writer thread takes
 * every entry waiting, commits them in one transaction, and only then lets their requests answer. Under load a batch
 * fills while the previous one commits, so the chain costs one head lock and one disk flush per batch instead of one
 * per entry; with no load an entry commits alone at once.
 *
 * <p>When the database fails, every entry of the batch fails with {@link AuditLogUnavailableException} and the writer
 * simply tries the next batch: it recovers by itself when the database is back. A caller that gave up waiting cancels
 * its future; a batch leaves out entries already cancelled.
 *
 * @param <T> what is appended
 * @param <R> what an appended entry answers (the entry as chained: its seq and hashes)
 */
public final class GroupCommit<T, R> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    /**
     * Commits one batch in one transaction (and only returns once it is committed).
     *
     * @return per entry of the batch, in its order: what it answers, or null when the committer left it out (then
     *         {@link Names#refused} says why)
     */
    public interface Committer<T, R> {
        List<R> commit(List<T> batch);
    }

    /** How the writer reports its batches. */
    public interface Metrics {
        void committed(int entries, long nanos);

        void commitFailed(int entries);
    }

    /**
     * @param maxBatchSize the most entries committed in one transaction
     * @param maxWait how long the writer waits for more entries before committing a batch that is not full; zero
     *        commits whatever has arrived while the previous commit was running
     * @param commitTimeout how long a caller waits for its batch's commit
     * @param queueCapacity the most entries waiting; beyond it an entry fails at once
     */
    public record Settings(int maxBatchSize, Duration maxWait, Duration commitTimeout, int queueCapacity) {}

    /**
     * How problems name things: the log ("the decision log"), one entry ("decision"), several ("decisions"), and the
     * exception for an entry the committer left out.
     */
    public record Names(String log, String entry, String entries, Function<Object, RuntimeException> refused) {}

    private record Pending<T, R>(T entry, CompletableFuture<R> done) {}

    private final Committer<T, R> committer;
    private final Names names;
    private final BlockingQueue<Pending<T, R>> queue;
    private final int maxBatchSize;
    private final Duration maxWait;
    private final long commitTimeoutMillis;
    private final Metrics metrics;
    private final Thread thread;
    private volatile boolean running = true;

    public GroupCommit(Committer<T, R> committer, Settings settings, Metrics metrics, Names names, String threadName) {
        this.committer = committer;
        this.names = names;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.maxBatchSize = settings.maxBatchSize();
        this.maxWait = settings.maxWait();
        this.commitTimeoutMillis = settings.commitTimeout().toMillis();
        this.metrics = metrics;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues an entry and waits for its batch's commit, at most the commit timeout.
     *
     * @throws AuditLogUnavailableException when it could not be committed, or not in time
     * @throws RuntimeException what {@link Names#refused} makes of an entry the committer left out
     */
    public R commit(T entry) {
        CompletableFuture<R> done = submit(entry);
        try {
            return done.get(commitTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            done.cancel(false); // if the writer has not taken it yet, it never will
            throw new AuditLogUnavailableException(
                    names.log() + " did not confirm the commit within " + commitTimeoutMillis + " ms", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new AuditLogUnavailableException("the " + names.entry() + " could not be logged", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditLogUnavailableException("interrupted while waiting for " + names.log(), e);
        }
    }

    /**
     * Queues an entry for the next group commit. The future completes once the entry is committed, or fails with
     * {@link AuditLogUnavailableException} (the database cannot take it) or what {@link Names#refused} makes.
     */
    public CompletableFuture<R> submit(T entry) {
        Pending<T, R> pending = new Pending<>(entry, new CompletableFuture<>());
        if (!running) {
            pending.done.completeExceptionally(
                    new AuditLogUnavailableException(names.log() + " is shutting down", null));
        } else if (!queue.offer(pending)) {
            pending.done.completeExceptionally(new AuditLogUnavailableException(
                    names.log() + " is " + queue.size() + " " + names.entries()
                            + " behind; not accepting more until it catches up",
                    null));
        }
        return pending.done;
    }

    /**
     * Queues an entry for the next group commit without waiting: the future completes once it is committed, or fails
     * as {@link #submit} does, or with {@link AuditLogUnavailableException} when the commit timeout passes first (an
     * entry whose time ran out before the writer took it is left out of the commit, as for a caller of
     * {@link #commit} that gave up).
     */
    public CompletableFuture<R> submitWithinTimeout(T entry) {
        CompletableFuture<R> done = submit(entry);
        done.orTimeout(commitTimeoutMillis, TimeUnit.MILLISECONDS);
        return done.exceptionallyCompose(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof TimeoutException) {
                cause = new AuditLogUnavailableException(
                        names.log() + " did not confirm the commit within " + commitTimeoutMillis + " ms", cause);
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    private void run() {
        List<Pending<T, R>> batch = new ArrayList<>(maxBatchSize);
        while (running || !queue.isEmpty()) {
            try {
                Pending<T, R> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatchSize - batch.size());
                if (!maxWait.isZero() && batch.size() < maxBatchSize) {
                    long deadline = System.nanoTime() + maxWait.toNanos();
                    long left;
                    while (batch.size() < maxBatchSize && (left = deadline - System.nanoTime()) > 0) {
                        Pending<T, R> next = queue.poll(left, TimeUnit.NANOSECONDS);
                        if (next == null) {
                            break;
                        }
                        batch.add(next);
                        queue.drainTo(batch, maxBatchSize - batch.size());
                    }
                }
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } catch (RuntimeException | Error e) {
                log.error("{} writer failed; failing its batch", names.log(), e);
                fail(batch, e);
            } finally {
                batch.clear();
            }
        }
        fail(new ArrayList<>(queue), new IllegalStateException("shut down"));
    }

    private void write(List<Pending<T, R>> batch) {
        batch.removeIf(p -> p.done.isDone()); // callers that gave up: their entry was never answered
        if (batch.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        List<R> results;
        try {
            results = committer.commit(batch.stream().map(Pending::entry).toList());
        } catch (RuntimeException e) {
            log.warn("could not commit {} {} to {}: {}", batch.size(), names.entries(), names.log(), e.toString());
            metrics.commitFailed(batch.size());
            fail(batch, e);
            return;
        }
        int committed = 0;
        for (int i = 0; i < batch.size(); i++) {
            Pending<T, R> pending = batch.get(i);
            R result = results.get(i);
            if (result != null) {
                committed++;
                pending.done.complete(result);
            } else {
                pending.done.completeExceptionally(names.refused().apply(pending.entry()));
            }
        }
        metrics.committed(committed, System.nanoTime() - start);
    }

    private void fail(List<Pending<T, R>> batch, Throwable cause) {
        for (Pending<T, R> pending : batch) {
            pending.done.completeExceptionally(new AuditLogUnavailableException(
                    "the " + names.entry() + " could not be written to the log: " + cause.getMessage(), cause));
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
