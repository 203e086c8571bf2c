package io.termsgate.referral.webhook;

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
 * The webhook outbox in the database (H2 or PostgreSQL, same SQL). Every method runs in the caller's transaction
 * when there is one; the deliverer calls them without one, so each statement commits on its own.
 */
@Repository
class WebhookDeliveries {

    enum Status {
        PENDING,
        DELIVERED,
        FAILED
    }

    /** A delivery as the deliverer needs it. */
    record Delivery(UUID id, String event, String body, int attempts) {}

    private static final String VIEW_COLUMNS = "id, event, decision_id, referral_id, status, attempts, created_at, "
            + "last_attempt_at, last_status, last_error, next_attempt_at, delivered_at";

    private final JdbcClient jdbc;

    WebhookDeliveries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID id, String event, UUID decisionId, UUID referralId, String body, Instant at) {
        jdbc.sql("INSERT INTO referral_webhook (id, event, decision_id, referral_id, body, created_at, status, "
                        + "attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, 'PENDING', 0, ?)")
                .params(id, event, decisionId, referralId, body, utc(at), utc(at))
                .update();
    }

    /** Pending deliveries due at {@code now} and claimed by no one (or whose claim ran out), the longest due first. */
    List<UUID> due(Instant now, int limit) {
        return jdbc.sql("SELECT id FROM referral_webhook WHERE status = 'PENDING' AND next_attempt_at <= ? "
                        + "AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY next_attempt_at, id LIMIT ?")
                .params(utc(now), utc(now), limit)
                .query(UUID.class)
                .list();
    }

    /**
     * Takes a due delivery for {@code claimant} until {@code until}, when no one else holds it. A conditional update
     * and its count, so two instances on one database never both get it: the database runs one update on a row at a
     * time, and the second finds the condition false.
     */
    Optional<Delivery> claim(UUID id, String claimant, Instant now, Instant until) {
        int claimed = jdbc.sql("UPDATE referral_webhook SET claimed_by = ?, claimed_until = ? WHERE id = ? "
                        + "AND status = 'PENDING' AND next_attempt_at <= ? "
                        + "AND (claimed_until IS NULL OR claimed_until < ?)")
                .params(claimant, utc(until), id, utc(now), utc(now))
                .update();
        if (claimed != 1) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT id, event, body, attempts FROM referral_webhook WHERE id = ?")
                .param(id)
                .query((rs, n) -> new Delivery(
                        rs.getObject("id", UUID.class),
                        rs.getString("event"),
                        rs.getString("body"),
                        rs.getInt("attempts")))
                .optional();
    }

    /** The receiver answered 2xx: delivered, whoever holds the claim now (a second POST may still be under way). */
    boolean delivered(UUID id, int attempts, int httpStatus, Instant at) {
        return jdbc.sql("UPDATE referral_webhook SET status = 'DELIVERED', attempts = ?, last_attempt_at = ?, "
                                + "last_status = ?, last_error = NULL, delivered_at = ?, next_attempt_at = NULL, "
                                + "claimed_by = NULL, claimed_until = NULL WHERE id = ? AND status = 'PENDING'")
                        .params(attempts, utc(at), httpStatus, utc(at), id)
                        .update()
                == 1;
    }

    /**
     * An attempt failed: recorded, and the delivery waits until {@code next} (or is FAILED when {@code next} is null).
     * Only by the claimant still holding it, so a late answer cannot overwrite a newer attempt.
     */
    boolean failed(UUID id, String claimant, int attempts, Integer httpStatus, String error, Instant at, Instant next) {
        return jdbc.sql("UPDATE referral_webhook SET status = ?, attempts = ?, last_attempt_at = ?, last_status = ?, "
                                + "last_error = ?, next_attempt_at = ?, claimed_by = NULL, claimed_until = NULL "
                                + "WHERE id = ? AND status = 'PENDING' AND claimed_by = ?")
                        .params(
                                next == null ? Status.FAILED.name() : Status.PENDING.name(),
                                attempts,
                                utc(at),
                                httpStatus,
                                error,
                                next == null ? null : utc(next),
                                id,
                                claimant)
                        .update()
                == 1;
    }

    long count(Status status) {
        return jdbc.sql("SELECT COUNT(*) FROM referral_webhook" + (status == null ? "" : " WHERE status = ?"))
                .params(status == null ? List.of() : List.of(status.name()))
                .query(Long.class)
                .single();
    }

    /** Deliveries for operators, newest first. */
    List<DeliveryView> page(Status status, int page, int size) {
        return jdbc.sql("SELECT " + VIEW_COLUMNS + " FROM referral_webhook"
                        + (status == null ? "" : " WHERE status = ?")
                        + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?")
                .params(
                        status == null
                                ? List.of(size, (long) page * size)
                                : List.of(status.name(), size, (long) page * size))
                .query(WebhookDeliveries::view)
                .list();
    }

    Optional<DeliveryView> find(UUID id) {
        return jdbc.sql("SELECT " + VIEW_COLUMNS + " FROM referral_webhook WHERE id = ?")
                .param(id)
                .query(WebhookDeliveries::view)
                .optional();
    }

    private static DeliveryView view(ResultSet rs, int row) throws SQLException {
        return new DeliveryView(
                rs.getObject("id", UUID.class),
                rs.getString("event"),
                rs.getObject("decision_id", UUID.class),
                rs.getObject("referral_id", UUID.class),
                rs.getString("status"),
                rs.getInt("attempts"),
                instant(rs, "created_at"),
                instant(rs, "last_attempt_at"),
                rs.getObject("last_status", Integer.class),
                rs.getString("last_error"),
                instant(rs, "next_attempt_at"),
                instant(rs, "delivered_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
