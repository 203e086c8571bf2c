package io.termsgate.benchmark;

import io.termsgate.audit.Decided;
import io.termsgate.audit.DecisionLog;
import io.termsgate.audit.DecisionRecord;
import io.termsgate.audit.LoggedDecision;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** Benchmark only: "logs" a decision by forgetting it, so a run can compare deciding with and without the log. */
final class DiscardingDecisionLog implements DecisionLog {

    private final DecisionLog real;
    private final AtomicLong seq = new AtomicLong();

    DiscardingDecisionLog(DecisionLog real) {
        this.real = real;
    }

    /** Builds the record as the real log does (its cost is part of deciding), then forgets it. */
    @Override
    public LoggedDecision record(Decided decision) {
        return new LoggedDecision(
                seq.incrementAndGet(), DecisionRecord.of(decision), LoggedDecision.GENESIS, LoggedDecision.GENESIS);
    }

    @Override
    public LoggedDecision record(Decided decision, Runnable sameTransaction) {
        sameTransaction.run();
        return record(decision);
    }

    @Override
    public Optional<LoggedDecision> find(UUID decisionId) {
        return Optional.empty();
    }

    @Override
    public Optional<LoggedDecision> findByIdempotencyKey(String client, String idempotencyKey) {
        return Optional.empty();
    }

    @Override
    public List<LoggedDecision> search(DecisionQuery query, int page, int size) {
        return real.search(query, page, size);
    }

    @Override
    public List<LoggedDecision> searchAfter(
            DecisionQuery query, java.time.Instant afterDecidedAt, long afterSeq, int limit) {
        return real.searchAfter(query, afterDecidedAt, afterSeq, limit);
    }

    @Override
    public long count(DecisionQuery query) {
        return real.count(query);
    }

    @Override
    public void forEach(DecisionQuery query, Consumer<LoggedDecision> each) {
        real.forEach(query, each);
    }

    @Override
    public List<LoggedDecision> chain(long fromSeq, int limit) {
        return real.chain(fromSeq, limit);
    }

    @Override
    public Optional<long[]> seqRange(Instant from, Instant to) {
        return real.seqRange(from, to);
    }

    @Override
    public List<Replayable> replayable(Instant from, Instant to, long afterSeq, int limit) {
        return real.replayable(from, to, afterSeq, limit);
    }

    @Override
    public LoggedDecision.Head head() {
        return real.head();
    }

    @Override
    public Optional<java.util.UUID> latestDecisionOfOrder(String customerId, String orderId) {
        return Optional.empty();
    }
}
