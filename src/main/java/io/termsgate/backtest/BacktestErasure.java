package io.termsgate.backtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.termsgate.privacy.ErasureReach;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What an erasure reaches of backtests: the customer id leaves every stored report's listed changed decisions and every
 * stored changed decision ({@code backtest_changed}).
 */
@Component
class BacktestErasure implements ErasureReach {

    private final JdbcClient jdbc;
    private final JdbcBacktestChanges changes;
    private final ObjectMapper json = BacktestRunner.REPORT_JSON; // as the reports were written

    BacktestErasure(JdbcClient jdbc, JdbcBacktestChanges changes) {
        this.jdbc = jdbc;
        this.changes = changes;
    }

    private record Stored(UUID id, String reportJson) {}

    @Override
    public Reached erase(String customerId, String subjectRef) {
        // customer ids hold no quote or backslash (FieldRule.REFERENCE), so the JSON text names one as "...":"id";
        // LIKE's '_' matches more than itself, and each candidate is checked exactly below
        List<Stored> candidates = jdbc.sql("SELECT id, report_json FROM backtest WHERE report_json LIKE ?")
                .param("%\"customerId\":\"" + customerId + "\"%")
                .query((rs, n) -> new Stored(rs.getObject(1, UUID.class), rs.getString(2)))
                .list();
        long reached = 0;
        for (Stored stored : candidates) {
            try {
                BacktestReport report = json.readValue(stored.reportJson(), BacktestReport.class);
                BacktestReport erased = report.withoutCustomer(customerId);
                if (!erased.equals(report)) {
                    jdbc.sql("UPDATE backtest SET report_json = ? WHERE id = ?")
                            .params(json.writeValueAsString(erased), stored.id())
                            .update();
                    reached++;
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("backtest report " + stored.id() + " cannot be read", e);
            }
        }
        long rows = changes.eraseCustomer(null, customerId);
        return new Reached(
                "backtest reports and changed decisions",
                reached + rows,
                "the customer id removed from their changed decisions (" + reached + " reports, " + rows
                        + " stored changed decisions)");
    }
}
