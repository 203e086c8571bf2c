package io.termsgate.creditline;

import com.zaxxer.hikari.HikariDataSource;
import io.termsgate.audit.ChainWalk;
import io.termsgate.audit.Decided;
import io.termsgate.audit.DecisionLog;
import io.termsgate.audit.LoggedDecision;
import io.termsgate.creditapplication.DecisionRequestReader.Requested;
import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.Evaluation;
import io.termsgate.engine.Outcome;
import io.termsgate.web.ApiProblemException;
import io.termsgate.web.ProblemTypes;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Buyers' credit lines: what a decision sees of its buyer's exposure, the hold an approved order places, and the
 * hold's life after (capture on invoice, release on cancel, expiry).
 *
 * <p>A decision with an order id locks the buyer's line row in a transaction of its own, reads the line and lets the
 * policy decide; the decision is then appended by the log's group commit together with what it does to the line
 * (the order's earlier hold released, the new one placed, their ledger entries), in one transaction, and only then is
 * the line's lock let go. Decisions on one buyer therefore run one at a time on every instance, each seeing the holds of those
 * before it, so the holds of approved orders plus the balance never exceed the limit the policy computed. A decision
 * without an order id (an assessment) reads the line without locking, holds nothing, and is logged by the group
 * commit like before.
 */
@Service
public class CreditLines {

    private static final Logger log = LoggerFactory.getLogger(CreditLines.class);
    static final String SYSTEM = "system";

    /** The decision's part: evaluate the application the line filled in, and build its record. */
    public interface Decider {
        Evaluation evaluate(CreditApplication evaluated);

        Decided decided(CreditApplication evaluated, Evaluation evaluation, Map<String, Object> creditLine);

        /**
         * What else commits with the decision (a referral's case), run in the transaction that logs it; null for
         * nothing. Only quick inserts with the application's JDBC: see {@link DecisionLog#record(Decided, Runnable)}.
         */
        default Runnable alongside(Decided decided) {
            return null;
        }
    }

    /** A check of the line as it is now, under its lock, before an approved referral's hold is placed. */
    public interface LineCheck {
        /** Throws to refuse. */
        void check(BigDecimal balance, BigDecimal heldByOtherOrders);
    }

    /** A logged decision and the hold it placed, if any. */
    public record Decision(LoggedDecision logged, Hold hold) {}

    private final JdbcCreditLines lines;
    private final DecisionLog decisionLog;
    private final TransactionTemplate transactions;
    private final CreditLineProperties properties;
    private final Clock clock;
    /** One waiter per buyer per instance holds a database connection; the others wait here, not in the pool. */
    private final ReentrantLock[] stripes = new ReentrantLock[1024];

    private final Semaphore lockingConnections;

    CreditLines(
            JdbcCreditLines lines,
            DecisionLog decisionLog,
            PlatformTransactionManager transactionManager,
            DataSource dataSource,
            CreditLineProperties properties,
            Clock clock) {
        int pool = dataSource instanceof HikariDataSource hikari ? hikari.getMaximumPoolSize() : 10;
        this.lockingConnections = new Semaphore(Math.max(1, pool - 2));
        this.lines = lines;
        this.decisionLog = decisionLog;
        this.transactions = new TransactionTemplate(transactionManager);
        this.transactions.setTimeout(30); // a lock never waited for forever: the caller gets a 503, nothing is held
        this.properties = properties;
        this.clock = clock;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /**
     * Decides {@code requested} at {@code at} against its buyer's line: with an order id under the line's lock,
     * placing a hold when approved, in the transaction that logs the decision; without, as an assessment.
     *
     * @throws ApiProblemException 422 when the order's currency is not the line's
     */
    public Decision decide(Requested requested, Instant at, Decider decider) {
        CreditApplication application = requested.application();
        String customerId = application.customer().getId();
        String orderId = application.order().getId();
        if (orderId == null) {
            Decided decided = assessed(requested, at, decider);
            Runnable alongside = decider.alongside(decided);
            return new Decision(
                    alongside == null ? decisionLog.record(decided) : decisionLog.record(decided, alongside), null);
        }
        String currency = application.order().getCurrency();
        lines.createLine(customerId, currency, at); // committed at once: the line row the lock is taken on
        // a first-time buyer's data key is created now, on its own connection, not under the line's lock
        decisionLog.prepare(customerId);
        return underLineLock(
                customerId,
                () -> withLockingConnection(() -> transactions.execute(tx -> {
                    // this transaction only holds the buyer's line row locked; the decision, its hold and their ledger
                    // entry are written by the log's group commit, which this thread waits for before it lets go of the
                    // lock
                    LineState.Head line = lines.lockLineHead(customerId).orElseThrow();
                    checkCurrency(line.currency(), currency);
                    Exposure exposure = Exposure.of(
                            lines.state(customerId, line, at, Exposure.needsSnapshot(requested)), requested);
                    CreditApplication evaluated = exposure.applyTo(application);
                    Evaluation evaluation = decider.evaluate(evaluated);
                    Hold replaced = lines.openHoldOf(customerId, orderId).orElse(null);
                    Hold placed = evaluation.outcome() == Outcome.APPROVED
                            ? new Hold(
                                    UUID.randomUUID(),
                                    customerId,
                                    orderId,
                                    null,
                                    application.order().getAmount(),
                                    currency,
                                    HoldStatus.OPEN,
                                    null,
                                    at,
                                    at.plus(properties.holdTtl()).truncatedTo(ChronoUnit.MILLIS),
                                    null)
                            : null;
                    Decided decided = decider.decided(evaluated, evaluation, exposure.json(replaced, placed));
                    Hold hold = placed == null ? null : withDecision(placed, decided.decisionId());
                    String actor = decided.client();
                    Runnable alongside = decider.alongside(decided);
                    LoggedDecision logged = decisionLog.record(decided, () -> {
                        if (replaced != null) {
                            lines.close(replaced.id(), HoldStatus.RELEASED, null, at);
                            lines.append(entry(
                                    replaced, at, "RELEASED", "REPLACED", replaced.amount(), actor, null, decided));
                        }
                        if (hold != null) {
                            lines.insert(hold);
                            lines.append(entry(hold, at, "PLACED", null, hold.amount(), actor, null, decided));
                        }
                        if (alongside != null) {
                            alongside.run();
                        }
                    });
                    return new Decision(logged, hold);
                })));
    }

    /**
     * Decides an assessment ({@code requested} names no order): reads the buyer's line without locking it, lets the
     * policy decide, and submits the decision to the log's next group commit without waiting for it (see
     * {@link DecisionLog#submit}). It holds nothing, so nothing needs to commit with it.
     *
     * @throws IllegalArgumentException when the request names an order
     * @throws ApiProblemException 422 when the order's currency is not the line's
     */
    public java.util.concurrent.CompletableFuture<LoggedDecision> assess(
            Requested requested, Instant at, Decider decider) {
        if (requested.application().order().getId() != null) {
            throw new IllegalArgumentException("an assessment has no order id");
        }
        return decisionLog.submit(assessed(requested, at, decider));
    }

    private Decided assessed(Requested requested, Instant at, Decider decider) {
        CreditApplication application = requested.application();
        LineState state = lines.state(application.customer().getId(), at, Exposure.needsSnapshot(requested));
        checkCurrency(state.currency(), application.order().getCurrency());
        Exposure exposure = Exposure.of(state, requested);
        CreditApplication evaluated = exposure.applyTo(application);
        Evaluation evaluation = decider.evaluate(evaluated);
        return decider.decided(evaluated, evaluation, exposure.json(null, null));
    }

    /**
     * A person approved a referred order: under the buyer's line lock, in one transaction, releases the order's open
     * hold (if any) and places one for {@code amount}, attributed to the referred decision, then runs
     * {@code sameTransaction} with the new hold (the case's final answer). Before it places anything, under the lock,
     * {@code underLock} is shown the line as it is now: the buyer's balance and the open holds of its other orders
     * (approvals since the referral among them), to refuse by throwing. Anything either throws rolls everything back.
     *
     * @throws ApiProblemException 422 when the line's currency is not the order's
     */
    public Hold placeApproved(
            String customerId,
            String orderId,
            BigDecimal amount,
            String currency,
            UUID decisionId,
            String actor,
            LineCheck underLock,
            java.util.function.Consumer<Hold> sameTransaction) {
        lines.createLine(customerId, currency, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        return underLineLock(
                customerId,
                () -> transactions.execute(tx -> {
                    Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                    LineState.Head line = lines.lockLineHead(customerId).orElseThrow();
                    checkCurrency(line.currency(), currency);
                    LineState state = lines.state(customerId, line, at, true);
                    BigDecimal otherOrders = state.openHolds().stream()
                            .filter(h -> !h.orderId().equals(orderId))
                            .map(Hold::amount)
                            .reduce(BigDecimal.ZERO, BigDecimal::add);
                    underLock.check(Exposure.of(state, null).balance(), otherOrders);
                    Hold replaced = lines.openHoldOf(customerId, orderId).orElse(null);
                    if (replaced != null) {
                        lines.close(replaced.id(), HoldStatus.RELEASED, null, at);
                        lines.append(entry(replaced, at, "RELEASED", "REPLACED", replaced.amount(), actor, null, null));
                    }
                    Hold hold = new Hold(
                            UUID.randomUUID(),
                            customerId,
                            orderId,
                            decisionId,
                            amount,
                            currency,
                            HoldStatus.OPEN,
                            null,
                            at,
                            at.plus(properties.holdTtl()).truncatedTo(ChronoUnit.MILLIS),
                            null);
                    lines.insert(hold);
                    lines.append(new LedgerEntry(
                            0,
                            at,
                            customerId,
                            hold.id(),
                            orderId,
                            "PLACED",
                            "REFERRAL_APPROVED",
                            amount,
                            currency,
                            actor,
                            null,
                            decisionId,
                            null,
                            null));
                    sameTransaction.accept(hold);
                    return hold;
                }));
    }

    /**
     * An order's decision holds one pooled connection (its line lock) while it waits for the group commit, which
     * needs a connection of its own: at most {@link #lockingConnections} such waits at a time leave the pool room for
     * the writer and for reads, so they can never starve it.
     */
    private <T> T withLockingConnection(Supplier<T> work) {
        try {
            lockingConnections.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CannotCreateTransactionException("interrupted while waiting to lock a credit line", e);
        }
        try {
            return work.get();
        } finally {
            lockingConnections.release();
        }
    }

    /**
     * The order was invoiced: captures {@code amount} of the hold (all of it when null) and releases the rest. With an
     * Idempotency-Key, a retry answers the hold as it is now and changes nothing.
     */
    public Hold capture(
            String customerId, UUID holdId, BigDecimal amount, String currency, String actor, String idempotencyKey) {
        // a retry is the same capture: the same amount (the whole hold when none is given)
        Retry sameCapture = (earlier, hold) -> earlier.amount().compareTo(amount == null ? hold.amount() : amount) == 0;
        return transition(customerId, holdId, "CAPTURED", actor, idempotencyKey, sameCapture, (hold, at) -> {
            if (currency != null && !currency.equals(hold.currency())) {
                throw currencyMismatch(hold.currency(), currency);
            }
            BigDecimal captured = amount == null ? hold.amount() : amount;
            if (captured.compareTo(hold.amount()) > 0) {
                throw new ApiProblemException(
                                HttpStatus.UNPROCESSABLE_ENTITY,
                                ProblemTypes.INVALID_REQUEST,
                                "Capture exceeds the hold",
                                "amount " + captured.toPlainString() + " is more than the hold's "
                                        + hold.amount().toPlainString())
                        .with("holdAmount", hold.amount());
            }
            lines.close(hold.id(), HoldStatus.CAPTURED, captured, at);
            lines.append(entry(hold, at, "CAPTURED", null, captured, actor, idempotencyKey, null));
            BigDecimal rest = hold.amount().subtract(captured);
            if (rest.signum() > 0) {
                lines.append(entry(hold, at, "RELEASED", "PARTIAL_CAPTURE", rest, actor, null, null));
            }
        });
    }

    /** The order was cancelled: releases the whole hold. Idempotent like {@link #capture}. */
    public Hold release(String customerId, UUID holdId, String actor, String idempotencyKey) {
        return transition(
                customerId, holdId, "RELEASED", actor, idempotencyKey, (earlier, hold) -> true, (hold, at) -> {
                    lines.close(hold.id(), HoldStatus.RELEASED, null, at);
                    lines.append(entry(hold, at, "RELEASED", "CANCELLED", hold.amount(), actor, idempotencyKey, null));
                });
    }

    private interface Transition {
        void apply(Hold hold, Instant at);
    }

    /** Whether a request with an Idempotency-Key asks for what the earlier entry with that key did. */
    private interface Retry {
        boolean same(LedgerEntry earlier, Hold hold);
    }

    private Hold transition(
            String customerId,
            UUID holdId,
            String event,
            String actor,
            String idempotencyKey,
            Retry retry,
            Transition transition) {
        try {
            return transitionUnderLock(customerId, holdId, event, actor, idempotencyKey, retry, transition);
        } catch (DuplicateKeyException e) {
            // the same key, at the same time, on another buyer's line (whose lock this one did not wait for)
            throw idempotencyKeyReused();
        }
    }

    private Hold transitionUnderLock(
            String customerId,
            UUID holdId,
            String event,
            String actor,
            String idempotencyKey,
            Retry retry,
            Transition transition) {
        return underLineLock(
                customerId,
                () -> transactions.execute(tx -> {
                    Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                    if (lines.lockLine(customerId).isEmpty()) {
                        throw unknownHold(customerId, holdId);
                    }
                    if (idempotencyKey != null) {
                        Optional<LedgerEntry> earlier = lines.entryByIdempotencyKey(actor, idempotencyKey);
                        if (earlier.isPresent()) {
                            LedgerEntry e = earlier.get();
                            Optional<Hold> same = e.customerId().equals(customerId)
                                            && e.holdId().equals(holdId)
                                            && e.event().equals(event)
                                    ? lines.hold(customerId, holdId)
                                    : Optional.empty();
                            if (same.isEmpty() || !retry.same(e, same.get())) {
                                throw idempotencyKeyReused();
                            }
                            return same.get();
                        }
                    }
                    Hold hold = lines.hold(customerId, holdId).orElseThrow(() -> unknownHold(customerId, holdId));
                    // past its expiry a hold is expired, whether or not the sweep has written that down yet
                    HoldStatus status =
                            hold.holdsAt(at) || hold.status().isFinal() ? hold.status() : HoldStatus.EXPIRED;
                    if (status.isFinal()) {
                        throw new ApiProblemException(
                                        HttpStatus.CONFLICT,
                                        ProblemTypes.CONFLICT,
                                        "Hold is closed",
                                        "hold " + holdId + " is " + status + "; only an OPEN hold can be "
                                                + event.toLowerCase(Locale.ROOT))
                                .with("holdStatus", status.name());
                    }
                    transition.apply(hold, at);
                    return lines.hold(customerId, holdId).orElseThrow();
                }));
    }

    /** Closes the holds whose time has passed, each under its line's lock, and writes each to the ledger. */
    @Scheduled(
            initialDelayString = "${termsgate.credit-lines.expiry-sweep:1m}",
            fixedDelayString = "${termsgate.credit-lines.expiry-sweep:1m}")
    public int expireDue() {
        int expired = 0;
        try {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            for (Hold due : lines.due(now, 500)) {
                Boolean done = underLineLock(
                        due.customerId(),
                        () -> transactions.execute(tx -> {
                            lines.lockLine(due.customerId());
                            Hold hold = lines.hold(due.customerId(), due.id()).orElseThrow();
                            if (hold.status() != HoldStatus.OPEN
                                    || hold.expiresAt().isAfter(now)) {
                                return false; // captured, released or replaced meanwhile, by this instance or another
                            }
                            expire(hold, now);
                            return true;
                        }));
                expired += Boolean.TRUE.equals(done) ? 1 : 0;
            }
        } catch (RuntimeException e) {
            log.warn("expiring holds failed; the next sweep retries: {}", e.toString());
        }
        return expired;
    }

    private void expire(Hold hold, Instant at) {
        lines.close(hold.id(), HoldStatus.EXPIRED, null, at);
        lines.append(entry(hold, at, "EXPIRED", null, hold.amount(), SYSTEM, null, null));
    }

    /** The buyer's holds, open ones first, at most {@code limit}. */
    public List<Hold> holds(String customerId, int limit) {
        return lines.holds(customerId, limit);
    }

    /** One of the buyer's holds, as it is now; empty when the buyer has no such hold. */
    public Optional<Hold> hold(String customerId, UUID holdId) {
        return lines.hold(customerId, holdId);
    }

    /** The line's currency, or empty when the buyer has no line yet. */
    public Optional<String> currency(String customerId) {
        return lines.currency(customerId);
    }

    /** What a decision at {@code at} would see of the line, without a request of its own (the line's page). */
    public Exposure exposure(String customerId, Instant at) {
        return Exposure.of(lines.state(customerId, at, true), null);
    }

    /** The result of walking the hold ledger's chain: valid, or the first entry that breaks it. */
    public record LedgerReport(boolean valid, long checked, Long firstInvalidSeq, String problem) {}

    /**
     * Walks the hold ledger from its first entry: each entry's hash is recomputed from its stored columns, each
     * links to the one before, and the chain ends where its head says.
     */
    public LedgerReport verifyLedger() {
        JdbcCreditLines.Head head = lines.ledgerHead();
        ChainWalk.Result walked = ChainWalk.walk(
                head.seq(), head.hash(), lines::chain, new ChainWalk.Names("entry", "entries", "the ledger's"));
        return new LedgerReport(walked.valid(), walked.checked(), walked.firstInvalidSeq(), walked.problem());
    }

    /** The transitions of one hold, in order. */
    public List<LedgerEntry> history(UUID holdId) {
        return lines.entriesOf(holdId);
    }

    private <T> T underLineLock(String customerId, Supplier<T> work) {
        ReentrantLock stripe = stripes[Math.floorMod(customerId.hashCode(), stripes.length)];
        stripe.lock();
        try {
            return work.get();
        } finally {
            stripe.unlock();
        }
    }

    private static void checkCurrency(String lineCurrency, String currency) {
        if (lineCurrency != null && !lineCurrency.equals(currency)) {
            throw currencyMismatch(lineCurrency, currency);
        }
    }

    private static ApiProblemException currencyMismatch(String lineCurrency, String currency) {
        return new ApiProblemException(
                        HttpStatus.UNPROCESSABLE_ENTITY,
                        ProblemTypes.CURRENCY_MISMATCH,
                        "Currency is not the credit line's",
                        "the buyer's credit line is in " + lineCurrency + "; " + currency
                                + " cannot be decided or captured on it")
                .with("lineCurrency", lineCurrency);
    }

    private static ApiProblemException idempotencyKeyReused() {
        return new ApiProblemException(
                HttpStatus.UNPROCESSABLE_ENTITY,
                ProblemTypes.IDEMPOTENCY_KEY_REUSED,
                "Idempotency-Key reused",
                "this Idempotency-Key was used for another hold, transition or amount; use a new key for a new"
                        + " request");
    }

    private static ApiProblemException unknownHold(String customerId, UUID holdId) {
        return new ApiProblemException(
                HttpStatus.NOT_FOUND,
                ProblemTypes.NOT_FOUND,
                "Hold not found",
                "customer " + customerId + " has no hold " + holdId);
    }

    private static Hold withDecision(Hold h, UUID decisionId) {
        return new Hold(
                h.id(),
                h.customerId(),
                h.orderId(),
                decisionId,
                h.amount(),
                h.currency(),
                h.status(),
                h.capturedAmount(),
                h.createdAt(),
                h.expiresAt(),
                h.closedAt());
    }

    private static LedgerEntry entry(
            Hold hold,
            Instant at,
            String event,
            String reason,
            BigDecimal amount,
            String actor,
            String idempotencyKey,
            Decided decided) {
        return new LedgerEntry(
                0,
                at,
                hold.customerId(),
                hold.id(),
                hold.orderId(),
                event,
                reason,
                amount,
                hold.currency(),
                actor,
                idempotencyKey,
                decided == null ? null : decided.decisionId(),
                null,
                null);
    }
}
