package io.termsgate.audit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** The append-only, hash-chained log of every decision the service answered. */
public interface DecisionLog {

    /**
     * Logs a decision: builds its record, commits it to the hash chain with the next group commit and returns once
     * it is committed.
     *
     * @throws AuditLogUnavailableException when the database cannot take it, or not within the commit timeout
     *         (nothing may be answered as decided)
     * @throws DuplicateIdempotencyKeyException when a decision with its client and Idempotency-Key is logged already
     */
    LoggedDecision record(Decided decision);

    /**
     * {@link #record(Decided)}, and runs {@code sameTransaction} in the transaction that appends the record, on the
     * log's writer thread, so what it writes (a credit line's hold and its ledger entry) commits or rolls back with
     * the record: never one without the other. It must only write with the application's JDBC (it joins that
     * transaction), be quick, and not wait for anything the caller holds except database rows.
     */
    LoggedDecision record(Decided decision, Runnable sameTransaction);

    /**
     * {@link #record(Decided)} without waiting for the commit: the record joins the next group commit and the future
     * completes once it is committed. A caller that keeps many decisions in flight (a batch's lines) thus has many of
     * them committed together, in the order submitted, in the one chain, exactly as if each had been recorded alone.
     * Nothing may be answered as decided before its future completes.
     *
     * <p>The future fails with {@link AuditLogUnavailableException} when the database cannot take the record, or not
     * within the commit timeout (then it is never committed later), and with {@link DuplicateIdempotencyKeyException}
     * when a decision with its client and Idempotency-Key is logged already.
     */
    default CompletableFuture<LoggedDecision> submit(Decided decision) {
        try {
            return CompletableFuture.completedFuture(record(decision));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Gets ready to log a customer's decisions: creates their data key now if they have none (a first-time buyer), on
     * a connection of its own, so that logging under a lock never waits for one.
     */
    default void prepare(String customerId) {}

    /**
     * Whether the log still holds readable personal data of the customer: false once they are erased (what keeps
     * customer ids, such as a backtest report written while the erasure ran, drops theirs).
     */
    default boolean holdsPersonalDataOf(String customerId) {
        return true;
    }

    Optional<LoggedDecision> find(UUID decisionId);

    Optional<LoggedDecision> findByIdempotencyKey(String client, String idempotencyKey);

    /** The id of the latest decision logged for a buyer's order, or empty when there is none. */
    Optional<UUID> latestDecisionOfOrder(String customerId, String orderId);

    /** Newest first. */
    List<LoggedDecision> search(DecisionQuery query, int page, int size);

    long count(DecisionQuery query);

    /**
     * Newest first (decided_at, then seq, descending), from just after the record at ({@code afterDecidedAt},
     * {@code afterSeq}), or from the newest when {@code afterDecidedAt} is null: keyset paging, as cheap on the
     * thousandth page as on the first.
     */
    List<LoggedDecision> searchAfter(DecisionQuery query, Instant afterDecidedAt, long afterSeq, int limit);

    /** Every match, newest first, without holding them all in memory. */
    void forEach(DecisionQuery query, Consumer<LoggedDecision> each);

    /** Records in chain order, from {@code fromSeq} (inclusive), at most {@code limit}. */
    List<LoggedDecision> chain(long fromSeq, int limit);

    /** The first and last sequence numbers of records decided in [from, to), or empty when there are none. */
    Optional<long[]> seqRange(Instant from, Instant to);

    /**
     * What a replay needs of the records decided in [from, to) after {@code afterSeq}, in seq order, at most
     * {@code limit}: backtests read the log in such pages.
     */
    List<Replayable> replayable(Instant from, Instant to, long afterSeq, int limit);

    /** A logged decision without its trace: its request and result, to be replayed. */
    record Replayable(
            long seq,
            UUID decisionId,
            Instant decidedAt,
            String customerId,
            String rulesetVersion,
            String requestJson,
            String resultJson) {

        /** The customer's personal data was erased: there is no request to replay. */
        public boolean erased() {
            return requestJson == null;
        }
    }

    /** The end of the chain as the writers left it: seq and hash. */
    LoggedDecision.Head head();

    /** A search of the log; null fields match anything; time is [from, to). */
    record DecisionQuery(String customerId, Instant from, Instant to, String outcome, String rulesetVersion) {}
}
