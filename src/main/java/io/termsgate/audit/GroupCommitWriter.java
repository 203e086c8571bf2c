package io.termsgate.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one writer thread takes every decision waiting, commits them in one transaction, and only then
 * lets their requests answer. Under load a batch fills while the previous one commits, so the log costs one disk
 * flush per batch instead of one per decision; with no load a decision commits alone at once.
 *
 * <p>When the database fails, every decision of the batch fails with {@link AuditLogUnavailableException} and the
 * writer simply tries the next batch: it recovers by itself when the database is back. A caller that gave up
 * waiting cancels its future; a batch leaves out decisions already cancelled.
 */
final class GroupCommitWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

    /** What one commit did: the records it logged, and those left out as already logged. */
    record BatchResult(List<LoggedDecision> logged, Set<DecisionRecord> duplicates) {}

    /**
     * A record to append, and what must be written in the same transaction when it is appended (a credit line's
     * hold), or null.
     */
    record Entry(DecisionRecord record, Runnable sameTransaction) {}

    private record Pending(Entry entry, CompletableFuture<LoggedDecision> done) {

        DecisionRecord record() {
            return entry.record();
        }
    }

    private final Function<List<Entry>, BatchResult> committer;
    private final BlockingQueue<Pending> queue;
    private final int maxBatchSize;
    private final Duration maxWait;
    private final long commitTimeoutMillis;
    private final AuditMetrics metrics;
    private final Thread thread;
    private volatile boolean running = true;

    GroupCommitWriter(Function<List<Entry>, BatchResult> committer, AuditProperties properties, AuditMetrics metrics) {
        this.committer = committer;
        this.queue = new ArrayBlockingQueue<>(properties.queueCapacity());
        this.maxBatchSize = properties.maxBatchSize();
        this.maxWait = properties.maxWait();
        this.commitTimeoutMillis = properties.commitTimeout().toMillis();
        this.metrics = metrics;
        this.thread = new Thread(this::run, "decision-log-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues a record and waits for its batch's commit, at most the commit timeout.
     *
     * @throws AuditLogUnavailableException when it could not be committed, or not in time
     * @throws DuplicateIdempotencyKeyException when its idempotency key is logged already
     */
    LoggedDecision commit(DecisionRecord record) {
        return commit(record, null);
    }

    /** {@link #commit(DecisionRecord)}, with what must be written in the same transaction as the record. */
    LoggedDecision commit(DecisionRecord record, Runnable sameTransaction) {
        CompletableFuture<LoggedDecision> done = submit(record, sameTransaction);
        try {
            return done.get(commitTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            done.cancel(false); // if the writer has not taken it yet, it never will
            throw new AuditLogUnavailableException(
                    "the decision log did not confirm the commit within " + commitTimeoutMillis + " ms", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new AuditLogUnavailableException("the decision could not be logged", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditLogUnavailableException("interrupted while waiting for the decision log", e);
        }
    }

    /**
     * Queues a record for the next group commit without waiting: the returned future completes once it is committed,
     * or fails with {@link AuditLogUnavailableException} when it cannot be, or not within the commit timeout (a record
     * whose time ran out before the writer took it is left out of the commit, as a caller of {@link #commit} that gave
     * up), or with {@link DuplicateIdempotencyKeyException}.
     */
    CompletableFuture<LoggedDecision> submitWithinTimeout(DecisionRecord record) {
        CompletableFuture<LoggedDecision> done = submit(record, null);
        done.orTimeout(commitTimeoutMillis, TimeUnit.MILLISECONDS);
        return done.exceptionallyCompose(e -> {
            Throwable cause =
                    e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof TimeoutException) {
                cause = new AuditLogUnavailableException(
                        "the decision log did not confirm the commit within " + commitTimeoutMillis + " ms", cause);
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    /**
     * Queues a record for the next group commit. The future completes once the record is committed, or fails with
     * {@link AuditLogUnavailableException} (the database cannot take it) or {@link DuplicateIdempotencyKeyException}.
     */
    CompletableFuture<LoggedDecision> submit(DecisionRecord record) {
        return submit(record, null);
    }

    CompletableFuture<LoggedDecision> submit(DecisionRecord record, Runnable sameTransaction) {
        Pending pending = new Pending(new Entry(record, sameTransaction), new CompletableFuture<>());
        if (!running) {
            pending.done.completeExceptionally(
                    new AuditLogUnavailableException("the decision log is shutting down", null));
        } else if (!queue.offer(pending)) {
            pending.done.completeExceptionally(new AuditLogUnavailableException(
                    "the decision log is " + queue.size() + " decisions behind; not accepting more until it catches up",
                    null));
        }
        return pending.done;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatchSize);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatchSize - batch.size());
                if (!maxWait.isZero() && batch.size() < maxBatchSize) {
                    long deadline = System.nanoTime() + maxWait.toNanos();
                    long left;
                    while (batch.size() < maxBatchSize && (left = deadline - System.nanoTime()) > 0) {
                        Pending next = queue.poll(left, TimeUnit.NANOSECONDS);
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
                log.error("decision log writer failed; failing its batch", e);
                fail(batch, e);
            } finally {
                batch.clear();
            }
        }
        fail(new ArrayList<>(queue), new IllegalStateException("shut down"));
    }

    private void write(List<Pending> batch) {
        batch.removeIf(p -> p.done.isDone()); // callers that gave up: their decision was never answered
        if (batch.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        BatchResult result;
        try {
            result = committer.apply(batch.stream().map(Pending::entry).toList());
        } catch (RuntimeException e) {
            log.warn("could not commit {} decision(s) to the log: {}", batch.size(), e.toString());
            metrics.commitFailed(batch.size());
            fail(batch, e);
            return;
        }
        metrics.committed(result.logged().size(), System.nanoTime() - start);
        Map<DecisionRecord, LoggedDecision> byRecord = new IdentityHashMap<>();
        result.logged().forEach(d -> byRecord.put(d.record(), d));
        for (Pending pending : batch) {
            LoggedDecision logged = byRecord.get(pending.record());
            if (logged != null) {
                pending.done.complete(logged);
            } else {
                pending.done.completeExceptionally(new DuplicateIdempotencyKeyException(
                        pending.record().client(), pending.record().idempotencyKey()));
            }
        }
    }

    private static void fail(List<Pending> batch, Throwable cause) {
        for (Pending pending : batch) {
            pending.done.completeExceptionally(new AuditLogUnavailableException(
                    "the decision could not be written to the log: " + cause.getMessage(), cause));
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
