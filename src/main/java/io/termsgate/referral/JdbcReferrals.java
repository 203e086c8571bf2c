package io.termsgate.referral;

import io.termsgate.engine.ApprovalRoute;
import io.termsgate.engine.DecisionMath;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Referral cases and their hash-chained events in the database (H2 or PostgreSQL, same SQL). Every method runs in the
 * caller's transaction; {@link #lock} is what makes one answer (or one escalation) per case, on every instance.
 */
@Repository
class JdbcReferrals {

    static final String CHAIN = "referrals";
    private static final String CASE_COLUMNS = "id, decision_id, customer_id, order_id, amount, currency, "
            + "original_route, route, reasons, risk_grade, policy_credit_limit, policy_term_days, ruleset_version, "
            + "status, created_at, due_at, expires_at, escalations, first_approved_by, first_approver, first_approved_at, "
            + "first_credit_limit, first_term_days, final_outcome, decided_by, decided_at, credit_limit, term_days, "
            + "final_reasons, note, hold_id, authority_version";
    private static final String EVENT_COLUMNS = "seq, at, case_id, decision_id, event, actor, level, outcome, "
            + "credit_limit, term_days, reasons, note, authority_version, hold_id, previous_hash, hash";

    private final JdbcClient jdbc;

    JdbcReferrals(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(ReferralCase c) {
        jdbc.sql("INSERT INTO referral_case (" + CASE_COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                        + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        c.id(),
                        c.decisionId(),
                        c.customerId(),
                        c.orderId(),
                        c.amount(),
                        c.currency(),
                        c.originalRoute().name(),
                        c.route().name(),
                        String.join(",", c.reasons()),
                        c.riskGrade(),
                        c.policyCreditLimit(),
                        c.policyTermDays(),
                        c.rulesetVersion(),
                        c.status().name(),
                        utc(c.createdAt()),
                        utc(c.dueAt()),
                        utc(c.expiresAt()),
                        c.escalations(),
                        c.firstApprovedBy(),
                        c.firstApprover(),
                        utc(c.firstApprovedAt()),
                        c.firstCreditLimit(),
                        c.firstTermDays(),
                        c.finalOutcome(),
                        c.decidedBy(),
                        utc(c.decidedAt()),
                        c.creditLimit(),
                        c.termDays(),
                        c.finalReasons() == null ? null : String.join(",", c.finalReasons()),
                        c.note(),
                        c.holdId(),
                        c.authorityVersion())
                .update();
    }

    Optional<ReferralCase> find(UUID id) {
        return jdbc.sql("SELECT " + CASE_COLUMNS + " FROM referral_case WHERE id = ?")
                .param(id)
                .query(JdbcReferrals::referralCase)
                .optional();
    }

    Optional<ReferralCase> findByDecision(UUID decisionId) {
        return jdbc.sql("SELECT " + CASE_COLUMNS + " FROM referral_case WHERE decision_id = ?")
                .param(decisionId)
                .query(JdbcReferrals::referralCase)
                .optional();
    }

    /** Locks the case until the transaction ends and reads it as it is now. */
    Optional<ReferralCase> lock(UUID id) {
        return jdbc.sql("SELECT " + CASE_COLUMNS + " FROM referral_case WHERE id = ? FOR UPDATE")
                .param(id)
                .query(JdbcReferrals::referralCase)
                .optional();
    }

    /** Writes every changeable field of a locked case. */
    void update(ReferralCase c) {
        jdbc.sql("UPDATE referral_case SET route = ?, status = ?, due_at = ?, escalations = ?, first_approved_by = ?, "
                        + "first_approver = ?, first_approved_at = ?, first_credit_limit = ?, first_term_days = ?, final_outcome = ?, "
                        + "decided_by = ?, decided_at = ?, credit_limit = ?, term_days = ?, final_reasons = ?, note = ?, "
                        + "hold_id = ?, authority_version = ? WHERE id = ?")
                .params(
                        c.route().name(),
                        c.status().name(),
                        utc(c.dueAt()),
                        c.escalations(),
                        c.firstApprovedBy(),
                        c.firstApprover(),
                        utc(c.firstApprovedAt()),
                        c.firstCreditLimit(),
                        c.firstTermDays(),
                        c.finalOutcome(),
                        c.decidedBy(),
                        utc(c.decidedAt()),
                        c.creditLimit(),
                        c.termDays(),
                        c.finalReasons() == null ? null : String.join(",", c.finalReasons()),
                        c.note(),
                        c.holdId(),
                        c.authorityVersion(),
                        c.id())
                .update();
    }

    /** A search of the cases; null fields match anything. */
    record Query(ReferralStatus status, ApprovalRoute route, String customerId) {}

    /** Oldest due first (then oldest first). */
    List<ReferralCase> search(Query query, int page, int size) {
        List<Object> params = new ArrayList<>();
        String where = where(query, params);
        params.add(size);
        params.add((long) page * size);
        return jdbc.sql("SELECT " + CASE_COLUMNS + " FROM referral_case" + where
                        + " ORDER BY due_at, created_at, id LIMIT ? OFFSET ?")
                .params(params)
                .query(JdbcReferrals::referralCase)
                .list();
    }

    long count(Query query) {
        List<Object> params = new ArrayList<>();
        String where = where(query, params);
        return jdbc.sql("SELECT COUNT(*) FROM referral_case" + where)
                .params(params)
                .query(Long.class)
                .single();
    }

    private static String where(Query query, List<Object> params) {
        List<String> conditions = new ArrayList<>();
        if (query.status() != null) {
            conditions.add("status = ?");
            params.add(query.status().name());
        }
        if (query.route() != null) {
            conditions.add("route = ?");
            params.add(query.route().name());
        }
        if (query.customerId() != null) {
            conditions.add("customer_id = ?");
            params.add(query.customerId());
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    /** Open cases at a level past their deadline at {@code at} (escalated by the next sweep, or at CFO). */
    long countOverdue(ApprovalRoute route, Instant at) {
        return jdbc.sql("SELECT COUNT(*) FROM referral_case WHERE status = 'OPEN' AND route = ? AND due_at <= ?")
                .params(route.name(), utc(at))
                .query(Long.class)
                .single();
    }

    /** Open cases per level. */
    Map<ApprovalRoute, Long> openByRoute() {
        Map<ApprovalRoute, Long> open = new EnumMap<>(ApprovalRoute.class);
        jdbc.sql("SELECT route, COUNT(*) FROM referral_case WHERE status = 'OPEN' GROUP BY route")
                .query((rs, n) -> {
                    open.put(ApprovalRoute.valueOf(rs.getString(1)), rs.getLong(2));
                    return null;
                })
                .list();
        return open;
    }

    /** Open cases past their deadline below the top level (the ones an escalation can raise), oldest due first. */
    List<UUID> overdue(Instant at, int limit) {
        return jdbc.sql("SELECT id FROM referral_case WHERE status = 'OPEN' AND due_at <= ? AND route <> ? "
                        + "ORDER BY due_at LIMIT ?")
                .params(utc(at), ApprovalRoute.CFO.name(), limit)
                .query(UUID.class)
                .list();
    }

    /** Open cases past their expiry, oldest first. */
    List<UUID> expired(Instant at, int limit) {
        return jdbc.sql("SELECT id FROM referral_case WHERE status = 'OPEN' AND expires_at <= ? "
                        + "ORDER BY expires_at LIMIT ?")
                .params(utc(at), limit)
                .query(UUID.class)
                .list();
    }

    /** Appends an event to the referrals' chain; the chain's head stays locked until the transaction ends. */
    ReferralEvent append(ReferralEvent event) {
        Head head = jdbc.sql("SELECT seq, hash FROM decision_log_head WHERE chain = ? FOR UPDATE")
                .param(CHAIN)
                .query((rs, n) -> new Head(rs.getLong(1), rs.getString(2)))
                .single();
        ReferralEvent chained = event.chained(head.seq() + 1, head.hash());
        jdbc.sql("INSERT INTO referral_event (" + EVENT_COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        chained.seq(),
                        utc(chained.at()),
                        chained.caseId(),
                        chained.decisionId(),
                        chained.event(),
                        chained.actor(),
                        chained.level(),
                        chained.outcome(),
                        chained.creditLimit(),
                        chained.termDays(),
                        chained.reasons() == null ? null : String.join(",", chained.reasons()),
                        chained.note(),
                        chained.authorityVersion(),
                        chained.holdId(),
                        chained.previousHash(),
                        chained.hash())
                .update();
        jdbc.sql("UPDATE decision_log_head SET seq = ?, hash = ? WHERE chain = ?")
                .params(chained.seq(), chained.hash(), CHAIN)
                .update();
        return chained;
    }

    List<ReferralEvent> eventsOf(UUID caseId) {
        return jdbc.sql("SELECT " + EVENT_COLUMNS + " FROM referral_event WHERE case_id = ? ORDER BY seq")
                .param(caseId)
                .query(JdbcReferrals::event)
                .list();
    }

    /** Events in chain order from {@code fromSeq}, at most {@code limit}. */
    List<ReferralEvent> chain(long fromSeq, int limit) {
        return jdbc.sql("SELECT " + EVENT_COLUMNS + " FROM referral_event WHERE seq >= ? ORDER BY seq LIMIT ?")
                .params(fromSeq, limit)
                .query(JdbcReferrals::event)
                .list();
    }

    record Head(long seq, String hash) {}

    Head head() {
        return jdbc.sql("SELECT seq, hash FROM decision_log_head WHERE chain = ?")
                .param(CHAIN)
                .query((rs, n) -> new Head(rs.getLong(1), rs.getString(2)))
                .single();
    }

    private static ReferralCase referralCase(ResultSet rs, int n) throws SQLException {
        return new ReferralCase(
                rs.getObject("id", UUID.class),
                rs.getObject("decision_id", UUID.class),
                rs.getString("customer_id"),
                rs.getString("order_id"),
                money(rs, "amount"),
                rs.getString("currency"),
                ApprovalRoute.valueOf(rs.getString("original_route")),
                ApprovalRoute.valueOf(rs.getString("route")),
                codes(rs.getString("reasons")),
                rs.getString("risk_grade"),
                money(rs, "policy_credit_limit"),
                rs.getInt("policy_term_days"),
                rs.getString("ruleset_version"),
                ReferralStatus.valueOf(rs.getString("status")),
                instant(rs, "created_at"),
                instant(rs, "due_at"),
                instant(rs, "expires_at"),
                rs.getInt("escalations"),
                rs.getString("first_approved_by"),
                rs.getString("first_approver"),
                instant(rs, "first_approved_at"),
                money(rs, "first_credit_limit"),
                (Integer) rs.getObject("first_term_days", Integer.class),
                rs.getString("final_outcome"),
                rs.getString("decided_by"),
                instant(rs, "decided_at"),
                money(rs, "credit_limit"),
                (Integer) rs.getObject("term_days", Integer.class),
                rs.getString("final_reasons") == null ? null : codes(rs.getString("final_reasons")),
                rs.getString("note"),
                rs.getObject("hold_id", UUID.class),
                rs.getString("authority_version"));
    }

    private static ReferralEvent event(ResultSet rs, int n) throws SQLException {
        return new ReferralEvent(
                rs.getLong("seq"),
                instant(rs, "at"),
                rs.getObject("case_id", UUID.class),
                rs.getObject("decision_id", UUID.class),
                rs.getString("event"),
                rs.getString("actor"),
                rs.getString("level"),
                rs.getString("outcome"),
                money(rs, "credit_limit"),
                (Integer) rs.getObject("term_days", Integer.class),
                rs.getString("reasons") == null ? null : codes(rs.getString("reasons")),
                rs.getString("note"),
                rs.getString("authority_version"),
                rs.getObject("hold_id", UUID.class),
                rs.getString("previous_hash"),
                rs.getString("hash"));
    }

    /** Money as the rest of the service writes it: exact, without the column's trailing zeros. */
    private static java.math.BigDecimal money(ResultSet rs, String column) throws SQLException {
        java.math.BigDecimal value = rs.getBigDecimal(column);
        return value == null ? null : DecisionMath.canonical(value);
    }

    private static List<String> codes(String joined) {
        return joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }

    private static OffsetDateTime utc(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }
}
