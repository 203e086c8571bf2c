package io.termsgate.receivables;

import io.termsgate.engine.DecisionMath;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Every snapshot the ERP sent of one buyer, in the order {@link Receivables#latest} picks from: latest first. */
@Component
class ReceivablesHistory {

    record Entry(
            UUID id,
            UUID importId,
            Instant asOf,
            Instant importedAt,
            BigDecimal outstandingBalance,
            Integer invoicesPaid,
            BigDecimal avgDaysBeyondTerms,
            Integer maxDaysPastDue) {}

    private final JdbcClient jdbc;

    ReceivablesHistory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long count(String customerId) {
        return jdbc.sql("SELECT COUNT(*) FROM receivables_snapshot WHERE customer_id = ?")
                .param(customerId)
                .query(Long.class)
                .single();
    }

    List<Entry> page(String customerId, int page, int size) {
        return jdbc.sql("SELECT id, import_id, as_of, imported_at, outstanding_balance, invoices_paid, "
                        + "avg_days_beyond_terms, max_days_past_due FROM receivables_snapshot WHERE customer_id = ? "
                        + "ORDER BY as_of DESC, imported_at DESC, id DESC LIMIT ? OFFSET ?")
                .params(customerId, size, (long) page * size)
                .query((rs, n) -> new Entry(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        rs.getObject(3, OffsetDateTime.class).toInstant(),
                        rs.getObject(4, OffsetDateTime.class).toInstant(),
                        DecisionMath.canonical(rs.getBigDecimal(5)),
                        (Integer) rs.getObject(6),
                        rs.getBigDecimal(7) == null ? null : DecisionMath.canonical(rs.getBigDecimal(7)),
                        (Integer) rs.getObject(8)))
                .list();
    }
}
