package io.termsgate.backtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every changed decision of a backtest, in {@code backtest_changed}: written a page at a time while it runs, read a
 * page at a time after, never all at once.
 */
@Repository
class JdbcBacktestChanges {

    private static final TypeReference<Map<String, Object>> FIELDS = new TypeReference<>() {};
    private final ObjectMapper json = BacktestRunner.REPORT_JSON;
    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final TransactionTemplate transactions;

    JdbcBacktestChanges(JdbcClient jdbc, JdbcTemplate template, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.template = template;
        this.transactions = transactions;
    }

    /** Removes every changed decision stored for a backtest (one that failed: its rows are never read). */
    int delete(UUID backtest) {
        return jdbc.sql("DELETE FROM backtest_changed WHERE backtest_id = ?")
                .param(backtest)
                .update();
    }

    /** Writes a page's changed decisions in one transaction (a page replayed again writes nothing twice: seq is key). */
    void insert(UUID backtest, List<BacktestReport.ChangedDecision> changed) {
        if (changed.isEmpty()) {
            return;
        }
        transactions.executeWithoutResult(tx -> template.batchUpdate(
                "INSERT INTO backtest_changed (backtest_id, seq, decision_id, customer_id, decided_at, "
                        + "original_ruleset_version, changed_fields, original_json, replayed_json) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                changed,
                changed.size(),
                (statement, d) -> {
                    statement.setObject(1, backtest);
                    statement.setLong(2, d.seq());
                    statement.setObject(3, d.decisionId());
                    statement.setString(4, d.customerId());
                    statement.setObject(5, d.decidedAt().atOffset(ZoneOffset.UTC));
                    statement.setString(6, d.originalRulesetVersion());
                    statement.setString(7, String.join(" ", d.changedFields()));
                    statement.setString(8, write(d.original()));
                    statement.setString(9, write(d.replayed()));
                }));
    }

    /** How many changed decisions of the backtest are stored. */
    long count(UUID backtest) {
        return jdbc.sql("SELECT COUNT(*) FROM backtest_changed WHERE backtest_id = ?")
                .param(backtest)
                .query(Long.class)
                .single();
    }

    /** A page of the changed decisions, by seq. */
    List<BacktestReport.ChangedDecision> page(UUID backtest, long offset, int size) {
        return jdbc.sql(
                        "SELECT * FROM backtest_changed WHERE backtest_id = ? ORDER BY backtest_id, seq LIMIT ? OFFSET ?")
                .params(backtest, size, offset)
                .query(this::changed)
                .list();
    }

    /**
     * Every changed decision by seq, read 1,000 at a time. The order names the primary key's columns, the fixed one
     * included: only then does H2 read the index in order instead of sorting every remaining row for each page.
     */
    void forEach(UUID backtest, Consumer<BacktestReport.ChangedDecision> each) {
        long after = -1;
        while (true) {
            List<BacktestReport.ChangedDecision> page = jdbc.sql(
                            "SELECT * FROM backtest_changed WHERE backtest_id = ? AND seq > ? "
                                    + "ORDER BY backtest_id, seq LIMIT 1000")
                    .params(backtest, after)
                    .query(this::changed)
                    .list();
            page.forEach(each);
            if (page.size() < 1000) {
                return;
            }
            after = page.get(page.size() - 1).seq();
        }
    }

    /** The customers named by the backtest's changed decisions, after {@code after} in order, at most 1,000. */
    List<String> customers(UUID backtest, String after) {
        return jdbc.sql("SELECT DISTINCT customer_id FROM backtest_changed WHERE backtest_id = ? AND customer_id > ? "
                        + "ORDER BY customer_id LIMIT 1000")
                .params(backtest, after)
                .query(String.class)
                .list();
    }

    /** Takes a customer's id out of one backtest's changed decisions, or every backtest's ({@code backtest} null). */
    long eraseCustomer(UUID backtest, String customerId) {
        return backtest == null
                ? jdbc.sql("UPDATE backtest_changed SET customer_id = NULL WHERE customer_id = ?")
                        .param(customerId)
                        .update()
                : jdbc.sql("UPDATE backtest_changed SET customer_id = NULL WHERE backtest_id = ? AND customer_id = ?")
                        .params(backtest, customerId)
                        .update();
    }

    private BacktestReport.ChangedDecision changed(ResultSet rs, int n) throws SQLException {
        String fields = rs.getString("changed_fields");
        return new BacktestReport.ChangedDecision(
                rs.getObject("decision_id", UUID.class),
                rs.getLong("seq"),
                rs.getString("customer_id"),
                rs.getObject("decided_at", OffsetDateTime.class).toInstant(),
                rs.getString("original_ruleset_version"),
                read(rs.getString("original_json")),
                read(rs.getString("replayed_json")),
                fields.isEmpty() ? List.of() : Arrays.asList(fields.split(" ")));
    }

    private String write(Map<String, Object> fields) {
        try {
            return json.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> read(String text) {
        try {
            return json.readValue(text, FIELDS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
