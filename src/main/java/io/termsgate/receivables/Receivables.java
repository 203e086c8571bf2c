package io.termsgate.receivables;

import io.termsgate.engine.DecisionMath;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** The receivables the ERP sent: a buyer's latest snapshot, as credit lines read it. */
@Service
public class Receivables {

    private final JdbcClient jdbc;

    Receivables(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The buyer's snapshot with the latest as-of time (of two with one as-of time, the later import). */
    public Optional<ReceivablesSnapshot> latest(String customerId) {
        return jdbc.sql("SELECT id, customer_id, as_of, imported_at, outstanding_balance, invoices_paid, "
                        + "avg_days_beyond_terms, max_days_past_due FROM receivables_snapshot WHERE customer_id = ? "
                        + "ORDER BY as_of DESC, imported_at DESC, id DESC LIMIT 1")
                .param(customerId)
                .query((rs, n) -> new ReceivablesSnapshot(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getObject(3, OffsetDateTime.class).toInstant(),
                        rs.getObject(4, OffsetDateTime.class).toInstant(),
                        DecisionMath.canonical(rs.getBigDecimal(5)),
                        (Integer) rs.getObject(6),
                        rs.getBigDecimal(7) == null ? null : DecisionMath.canonical(rs.getBigDecimal(7)),
                        (Integer) rs.getObject(8)))
                .optional();
    }
}
