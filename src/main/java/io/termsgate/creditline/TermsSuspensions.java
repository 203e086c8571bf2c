package io.termsgate.creditline;

import io.termsgate.web.ApiProblemException;
import io.termsgate.web.ProblemTypes;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Terms suspended by dunning: what a dunning call made for a buyer does to the buyer's line (its result blocks new
 * orders on terms: suspended; it does not: lifted), and a credit manager's lift. A credit decision reads the state
 * with the rest of the line ({@link JdbcCreditLines#lockLineHead}) and is told {@link Exposure#TERMS_SUSPENDED}.
 */
@Service
public class TermsSuspensions {

    private static final String COLUMNS =
            "customer_id, status, suspended_at, suspended_by, changed_at, lifted_by_call, lifted_by";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    TermsSuspensions(JdbcClient jdbc, PlatformTransactionManager transactionManager, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /**
     * What a dunning call's result does to the buyer's terms, to run in the transaction that logs the call (so one
     * never commits without the other): blocked suspends them (a suspension already in force keeps the call that set
     * it), not blocked lifts a suspension in force; anything else changes nothing.
     */
    public Runnable fromDunning(String customerId, boolean blocked, UUID callId, String client, Instant at) {
        return () -> {
            Optional<TermsSuspension> now = find(customerId);
            if (blocked) {
                if (now.isEmpty()) {
                    jdbc.sql("INSERT INTO terms_suspension (" + COLUMNS + ") VALUES (?, 'SUSPENDED', ?, ?, ?, NULL, "
                                    + "NULL)")
                            .params(customerId, utc(at), callId, utc(at))
                            .update();
                } else if (now.get().status() == TermsSuspension.Status.LIFTED) {
                    jdbc.sql("UPDATE terms_suspension SET status = 'SUSPENDED', suspended_at = ?, suspended_by = ?, "
                                    + "changed_at = ?, lifted_by_call = NULL, lifted_by = NULL WHERE customer_id = ?")
                            .params(utc(at), callId, utc(at), customerId)
                            .update();
                }
            } else if (now.isPresent() && now.get().status() == TermsSuspension.Status.SUSPENDED) {
                lift(customerId, callId, client, at);
            }
        };
    }

    /**
     * A credit manager lifts the buyer's suspended terms.
     *
     * @throws ApiProblemException 404 when the buyer's terms were never suspended, 409 when they are not now
     */
    public TermsSuspension lift(String customerId, String actor) {
        return transactions.execute(tx -> {
            TermsSuspension now = find(customerId)
                    .orElseThrow(() -> new ApiProblemException(
                            HttpStatus.NOT_FOUND,
                            ProblemTypes.NOT_FOUND,
                            "No suspended terms",
                            "Dunning never suspended the terms of customer " + customerId + "."));
            if (now.status() != TermsSuspension.Status.SUSPENDED) {
                throw new ApiProblemException(
                                HttpStatus.CONFLICT,
                                ProblemTypes.CONFLICT,
                                "Terms not suspended",
                                "The terms of customer " + customerId + " are not suspended now.")
                        .with("termsStatus", now.status().name());
            }
            lift(customerId, null, actor, clock.instant().truncatedTo(ChronoUnit.MILLIS));
            return find(customerId).orElseThrow();
        });
    }

    private void lift(String customerId, UUID callId, String actor, Instant at) {
        jdbc.sql("UPDATE terms_suspension SET status = 'LIFTED', changed_at = ?, lifted_by_call = ?, lifted_by = ? "
                        + "WHERE customer_id = ? AND status = 'SUSPENDED'")
                .params(utc(at), callId, actor, customerId)
                .update();
    }

    /** The buyer's terms as dunning left them, or empty when dunning never suspended them. */
    public Optional<TermsSuspension> find(String customerId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM terms_suspension WHERE customer_id = ?")
                .param(customerId)
                .query((rs, n) -> new TermsSuspension(
                        rs.getString(1),
                        TermsSuspension.Status.valueOf(rs.getString(2)),
                        rs.getObject(3, java.time.OffsetDateTime.class).toInstant(),
                        rs.getObject(4, UUID.class),
                        rs.getObject(5, java.time.OffsetDateTime.class).toInstant(),
                        rs.getObject(6, UUID.class),
                        rs.getString(7)))
                .optional();
    }

    private static java.time.OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
