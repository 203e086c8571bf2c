package io.termsgate.audit;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The decision log's group commit ({@link GroupCommit}): one writer thread takes every decision waiting, commits them
 * in one transaction, and only then lets their requests answer. A decision whose idempotency key is logged already is
 * left out of its batch and fails with {@link DuplicateIdempotencyKeyException}.
 */
final class GroupCommitWriter implements AutoCloseable {

    /** What one commit did: the records it logged, and those left out as already logged. */
    record BatchResult(List<LoggedDecision> logged, Set<DecisionRecord> duplicates) {}

    /**
     * A record to append, and what must be written in the same transaction when it is appended (a credit line's
     * hold), or null.
     */
    record Entry(DecisionRecord record, Runnable sameTransaction) {}

    private final GroupCommit<Entry, LoggedDecision> group;

    GroupCommitWriter(Function<List<Entry>, BatchResult> committer, AuditProperties properties, AuditMetrics metrics) {
        this.group = new GroupCommit<>(
                batch -> {
                    BatchResult result = committer.apply(batch);
                    Map<DecisionRecord, LoggedDecision> byRecord = new IdentityHashMap<>();
                    result.logged().forEach(d -> byRecord.put(d.record(), d));
                    return batch.stream().map(e -> byRecord.get(e.record())).toList();
                },
                new GroupCommit.Settings(
                        properties.maxBatchSize(),
                        properties.maxWait(),
                        properties.commitTimeout(),
                        properties.queueCapacity()),
                metrics,
                new GroupCommit.Names("the decision log", "decision", "decisions", entry -> {
                    DecisionRecord record = ((Entry) entry).record();
                    return new DuplicateIdempotencyKeyException(record.client(), record.idempotencyKey());
                }),
                "decision-log-writer");
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
        return group.commit(new Entry(record, sameTransaction));
    }

    /**
     * Queues a record for the next group commit without waiting: the returned future completes once it is committed,
     * or fails with {@link AuditLogUnavailableException} when it cannot be, or not within the commit timeout (a record
     * whose time ran out before the writer took it is left out of the commit, as a caller of {@link #commit} that gave
     * up), or with {@link DuplicateIdempotencyKeyException}.
     */
    CompletableFuture<LoggedDecision> submitWithinTimeout(DecisionRecord record) {
        return group.submitWithinTimeout(new Entry(record, null));
    }

    /**
     * Queues a record for the next group commit. The future completes once the record is committed, or fails with
     * {@link AuditLogUnavailableException} (the database cannot take it) or {@link DuplicateIdempotencyKeyException}.
     */
    CompletableFuture<LoggedDecision> submit(DecisionRecord record) {
        return submit(record, null);
    }

    CompletableFuture<LoggedDecision> submit(DecisionRecord record, Runnable sameTransaction) {
        return group.submit(new Entry(record, sameTransaction));
    }

    @Override
    public void close() {
        group.close();
    }
}
