package io.termsgate.creditline;

import io.termsgate.engine.DecisionMath;
import io.termsgate.receivables.Receivables;
import io.termsgate.receivables.ReceivablesSnapshot;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Credit lines, holds and the hold ledger in the database (H2 or PostgreSQL, same SQL). Every method runs in the
 * caller's transaction; {@link #lockLine} is what serialises the decisions and transitions of one buyer, on every
 * instance.
 */
@Repository
class JdbcCreditLines {

    static final String LEDGER_CHAIN = "ledger";
    private static final String HOLD_COLUMNS = "id, customer_id, order_id, decision_id, amount, currency, status, "
            + "captured_amount, created_at, expires_at, closed_at";
    private static final String LEDGER_COLUMNS = "seq, at, customer_id, hold_id, order_id, event, reason, amount, "
            + "currency, actor, idempotency_key, decision_id, previous_hash, hash";

    private final JdbcClient jdbc;
    private final Receivables receivables;

    JdbcCreditLines(JdbcClient jdbc, Receivables receivables) {
        this.jdbc = jdbc;
        this.receivables = receivables;
    }

    /** Creates the buyer's line in {@code currency} unless it has one; either way the line then exists. */
    void createLine(String customerId, String currency, Instant at) {
        jdbc.sql("INSERT INTO credit_line (customer_id, currency, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                .params(customerId, currency, utc(at))
                .update();
    }

    /** Locks the buyer's line until the transaction ends and answers its currency; empty when it has no line. */
    Optional<String> lockLine(String customerId) {
        return jdbc.sql("SELECT currency FROM credit_line WHERE customer_id = ? FOR UPDATE")
                .param(customerId)
                .query(String.class)
                .optional();
    }

    /**
     * {@link #lockLine} that also reads the buyer's terms suspension, in the same round trip (checkout's path). Only
     * the line's row is locked. The suspension is read as committed when the statement began (on PostgreSQL that is
     * before any wait for the lock): a dunning call does not take the line's lock, so a suspension committed during
     * that wait reaches the buyer's next decision, like one committed just after this decision. The decision's record
     * says which it saw.
     */
    Optional<LineState.Head> lockLineHead(String customerId) {
        return jdbc.sql("SELECT currency, " + SUSPENSION_OF_LINE
                        + " FROM credit_line l WHERE customer_id = ? FOR UPDATE")
                .param(customerId)
                .query((rs, n) -> new LineState.Head(rs.getString(1), suspension(rs, 2)))
                .optional();
    }

    /** The buyer's currency (null: no line) and terms suspension, in one round trip. */
    LineState.Head head(String customerId) {
        return jdbc.sql("SELECT (SELECT currency FROM credit_line WHERE customer_id = ?), "
                        + "(SELECT suspended_at FROM terms_suspension WHERE customer_id = ? AND status = 'SUSPENDED'), "
                        + "(SELECT suspended_by FROM terms_suspension WHERE customer_id = ? AND status = 'SUSPENDED')")
                .params(customerId, customerId, customerId)
                .query((rs, n) -> new LineState.Head(rs.getString(1), suspension(rs, 2)))
                .single();
    }

    // the line's suspension as two columns of its own row's query
    private static final String SUSPENSION_OF_LINE =
            "(SELECT suspended_at FROM terms_suspension s WHERE s.customer_id = l.customer_id AND s.status = 'SUSPENDED'), "
                    + "(SELECT suspended_by FROM terms_suspension s WHERE s.customer_id = l.customer_id "
                    + "AND s.status = 'SUSPENDED')";

    private static LineState.Suspension suspension(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
        OffsetDateTime since = rs.getObject(column, OffsetDateTime.class);
        return since == null ? null : new LineState.Suspension(since.toInstant(), rs.getObject(column + 1, UUID.class));
    }

    Optional<String> currency(String customerId) {
        return jdbc.sql("SELECT currency FROM credit_line WHERE customer_id = ?")
                .param(customerId)
                .query(String.class)
                .optional();
    }

    /**
     * The line as a decision at {@code at} sees it, in as few round trips as the decision needs (this is on checkout's
     * path): a buyer without a line has no holds and no captures; the receivables snapshot is read only when
     * {@code withSnapshot} (the request left out a field it fills in). The open holds and the captures since the
     * snapshot come in one query.
     */
    LineState state(String customerId, Instant at, boolean withSnapshot) {
        return state(customerId, head(customerId), at, withSnapshot);
    }

    /** {@link #state(String, Instant, boolean)} of a line whose head the caller read (a null currency: no line). */
    LineState state(String customerId, LineState.Head head, Instant at, boolean withSnapshot) {
        ReceivablesSnapshot snapshot =
                withSnapshot ? receivables.latest(customerId).orElse(null) : null;
        String currency = head.currency();
        LineState.Suspension suspension = head.suspension();
        if (currency == null) {
            return new LineState(null, snapshot, BigDecimal.ZERO, List.of(), suspension);
        }
        Instant capturedAfter = snapshot == null ? Instant.EPOCH : snapshot.asOf();
        List<Hold> holds = jdbc.sql("SELECT " + HOLD_COLUMNS + " FROM credit_hold WHERE customer_id = ? AND ("
                        + "(status = 'OPEN' AND expires_at > ?) OR (status = 'CAPTURED' AND closed_at > ?)) "
                        + "ORDER BY created_at, id")
                .params(customerId, utc(at), utc(capturedAfter))
                .query(JdbcCreditLines::hold)
                .list();
        BigDecimal captured = holds.stream()
                .filter(h -> h.status() == HoldStatus.CAPTURED)
                .map(Hold::capturedAmount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        List<Hold> open =
                holds.stream().filter(h -> h.status() == HoldStatus.OPEN).toList();
        return new LineState(currency, snapshot, DecisionMath.canonical(captured), open, suspension);
    }

    Optional<Hold> hold(String customerId, UUID holdId) {
        return jdbc.sql("SELECT " + HOLD_COLUMNS + " FROM credit_hold WHERE id = ? AND customer_id = ?")
                .params(holdId, customerId)
                .query(JdbcCreditLines::hold)
                .optional();
    }

    /** The open hold of an order, expired or not: a new decision for the order replaces it. */
    Optional<Hold> openHoldOf(String customerId, String orderId) {
        return jdbc.sql("SELECT " + HOLD_COLUMNS + " FROM credit_hold "
                        + "WHERE customer_id = ? AND order_id = ? AND status = 'OPEN' ORDER BY created_at DESC LIMIT 1")
                .params(customerId, orderId)
                .query(JdbcCreditLines::hold)
                .optional();
    }

    /** The buyer's holds, open ones first, then the newest closed ones; at most {@code limit}. */
    List<Hold> holds(String customerId, int limit) {
        return jdbc.sql("SELECT " + HOLD_COLUMNS + " FROM credit_hold WHERE customer_id = ? "
                        + "ORDER BY CASE WHEN status = 'OPEN' THEN 0 ELSE 1 END, created_at DESC, id LIMIT ?")
                .params(customerId, limit)
                .query(JdbcCreditLines::hold)
                .list();
    }

    /** Open holds whose expiry has passed at {@code at}, oldest first: the expiry sweep's work. */
    List<Hold> due(Instant at, int limit) {
        return jdbc.sql("SELECT " + HOLD_COLUMNS + " FROM credit_hold WHERE status = 'OPEN' AND expires_at <= ? "
                        + "ORDER BY expires_at LIMIT ?")
                .params(utc(at), limit)
                .query(JdbcCreditLines::hold)
                .list();
    }

    void insert(Hold hold) {
        jdbc.sql("INSERT INTO credit_hold (" + HOLD_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        hold.id(),
                        hold.customerId(),
                        hold.orderId(),
                        hold.decisionId(),
                        hold.amount(),
                        hold.currency(),
                        hold.status().name(),
                        hold.capturedAmount(),
                        utc(hold.createdAt()),
                        utc(hold.expiresAt()),
                        hold.closedAt() == null ? null : utc(hold.closedAt()))
                .update();
    }

    /** Closes an open hold; false when it was not open any more. */
    boolean close(UUID holdId, HoldStatus status, BigDecimal capturedAmount, Instant at) {
        return jdbc.sql("UPDATE credit_hold SET status = ?, captured_amount = ?, closed_at = ? "
                                + "WHERE id = ? AND status = 'OPEN'")
                        .params(status.name(), capturedAmount, utc(at), holdId)
                        .update()
                == 1;
    }

    /** Appends an entry to the ledger chain; the chain's head stays locked until the transaction ends. */
    LedgerEntry append(LedgerEntry entry) {
        Head head = jdbc.sql("SELECT seq, hash FROM decision_log_head WHERE chain = ? FOR UPDATE")
                .param(LEDGER_CHAIN)
                .query((rs, n) -> new Head(rs.getLong(1), rs.getString(2)))
                .single();
        LedgerEntry chained = entry.chained(head.seq() + 1, head.hash());
        jdbc.sql("INSERT INTO credit_ledger (" + LEDGER_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        chained.seq(),
                        utc(chained.at()),
                        chained.customerId(),
                        chained.holdId(),
                        chained.orderId(),
                        chained.event(),
                        chained.reason(),
                        chained.amount(),
                        chained.currency(),
                        chained.actor(),
                        chained.idempotencyKey(),
                        chained.decisionId(),
                        chained.previousHash(),
                        chained.hash())
                .update();
        jdbc.sql("UPDATE decision_log_head SET seq = ?, hash = ? WHERE chain = ?")
                .params(chained.seq(), chained.hash(), LEDGER_CHAIN)
                .update();
        return chained;
    }

    Optional<LedgerEntry> entryByIdempotencyKey(String actor, String idempotencyKey) {
        return jdbc.sql("SELECT " + LEDGER_COLUMNS + " FROM credit_ledger WHERE actor = ? AND idempotency_key = ?")
                .params(actor, idempotencyKey)
                .query(JdbcCreditLines::entry)
                .optional();
    }

    List<LedgerEntry> entriesOf(UUID holdId) {
        return jdbc.sql("SELECT " + LEDGER_COLUMNS + " FROM credit_ledger WHERE hold_id = ? ORDER BY seq")
                .param(holdId)
                .query(JdbcCreditLines::entry)
                .list();
    }

    /** Ledger entries in chain order from {@code fromSeq}, at most {@code limit}. */
    List<LedgerEntry> chain(long fromSeq, int limit) {
        return jdbc.sql("SELECT " + LEDGER_COLUMNS + " FROM credit_ledger WHERE seq >= ? ORDER BY seq LIMIT ?")
                .params(fromSeq, limit)
                .query(JdbcCreditLines::entry)
                .list();
    }

    record Head(long seq, String hash) {}

    Head ledgerHead() {
        return jdbc.sql("SELECT seq, hash FROM decision_log_head WHERE chain = ?")
                .param(LEDGER_CHAIN)
                .query((rs, n) -> new Head(rs.getLong(1), rs.getString(2)))
                .single();
    }

    private static Hold hold(ResultSet rs, int n) throws SQLException {
        BigDecimal captured = rs.getBigDecimal("captured_amount");
        OffsetDateTime closed = rs.getObject("closed_at", OffsetDateTime.class);
        return new Hold(
                rs.getObject("id", UUID.class),
                rs.getString("customer_id"),
                rs.getString("order_id"),
                rs.getObject("decision_id", UUID.class),
                DecisionMath.canonical(rs.getBigDecimal("amount")),
                rs.getString("currency"),
                HoldStatus.valueOf(rs.getString("status")),
                captured == null ? null : DecisionMath.canonical(captured),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("expires_at", OffsetDateTime.class).toInstant(),
                closed == null ? null : closed.toInstant());
    }

    private static LedgerEntry entry(ResultSet rs, int n) throws SQLException {
        return new LedgerEntry(
                rs.getLong("seq"),
                rs.getObject("at", OffsetDateTime.class).toInstant(),
                rs.getString("customer_id"),
                rs.getObject("hold_id", UUID.class),
                rs.getString("order_id"),
                rs.getString("event"),
                rs.getString("reason"),
                DecisionMath.canonical(rs.getBigDecimal("amount")),
                rs.getString("currency"),
                rs.getString("actor"),
                rs.getString("idempotency_key"),
                rs.getObject("decision_id", UUID.class),
                rs.getString("previous_hash"),
                rs.getString("hash"));
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
