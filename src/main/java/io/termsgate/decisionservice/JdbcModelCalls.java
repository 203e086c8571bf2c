package io.termsgate.decisionservice;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.termsgate.audit.GroupCommit;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The model calls' chain in {@code model_call}, its head in {@code decision_log_head} under 'model-calls'. Appends go
 * through a {@link GroupCommit} as the decision log's do: concurrent calls share one head lock, one transaction and
 * one disk flush, and each call answers only once its batch is committed.
 */
@Repository
class JdbcModelCalls implements AutoCloseable {

    static final String CHAIN = "model-calls";
    private static final String COLUMNS = "seq, id, called_at, client, model_name, model_namespace, decision_service, "
            + "ruleset_version, inputs_json, result_json, customer_ref, previous_hash, hash";

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final TransactionTemplate transactions;
    private final GroupCommit<Entry, ModelCall> writer;

    JdbcModelCalls(
            JdbcClient jdbc,
            JdbcTemplate template,
            PlatformTransactionManager transactionManager,
            ModelCallLogProperties properties,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.template = template;
        this.transactions = new TransactionTemplate(transactionManager);
        this.writer = new GroupCommit<>(
                this::commit,
                new GroupCommit.Settings(
                        properties.maxBatchSize(),
                        properties.maxWait(),
                        properties.commitTimeout(),
                        properties.queueCapacity()),
                new Metrics(meters),
                new GroupCommit.Names(
                        "the model call log",
                        "model call",
                        "model calls",
                        entry -> new IllegalStateException("a model call was left out of its commit")),
                "model-call-log-writer");
    }

    /** How the model calls' group commit keeps up, beside the decision log's {@code termsgate.audit.*}. */
    private static final class Metrics implements GroupCommit.Metrics {
        private final DistributionSummary batchSize;
        private final Timer commitLatency;
        private final Counter failed;

        Metrics(MeterRegistry registry) {
            batchSize = DistributionSummary.builder("termsgate.models.log.batch.size")
                    .description("Model calls committed per transaction (group commit)")
                    .register(registry);
            commitLatency = Timer.builder("termsgate.models.log.commit.latency")
                    .description("Time to commit one batch of model calls")
                    .register(registry);
            failed = Counter.builder("termsgate.models.log.commit.failures")
                    .description("Model calls whose commit failed (answered 503)")
                    .register(registry);
        }

        @Override
        public void committed(int entries, long nanos) {
            batchSize.record(entries);
            commitLatency.record(nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void commitFailed(int entries) {
            failed.increment(entries);
        }
    }

    record Head(long seq, String hash) {}

    /** A call to append, and what must be written in the same transaction (a credit line's suspension), or null. */
    record Entry(ModelCall call, Runnable sameTransaction) {}

    /**
     * Appends a call with the next group commit and returns once it is committed, chained.
     *
     * @throws io.termsgate.audit.AuditLogUnavailableException when the database cannot take it, or not in time
     */
    ModelCall append(ModelCall call, Runnable sameTransaction) {
        return writer.commit(new Entry(call, sameTransaction));
    }

    /**
     * Commits one batch: chains the calls after the current head, inserts them and moves the head, all in one
     * transaction, which also runs what each entry must write with it.
     */
    List<ModelCall> commit(List<Entry> batch) {
        return transactions.execute(status -> {
            Head head = jdbc.sql("SELECT seq, hash FROM decision_log_head WHERE chain = ? FOR UPDATE")
                    .param(CHAIN)
                    .query((rs, n) -> new Head(rs.getLong(1), rs.getString(2)))
                    .single();
            List<ModelCall> chained = new ArrayList<>(batch.size());
            long seq = head.seq();
            String previous = head.hash();
            for (Entry entry : batch) {
                ModelCall call = entry.call().chained(++seq, previous);
                chained.add(call);
                previous = call.hash();
            }
            template.batchUpdate(
                    "INSERT INTO model_call (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    chained,
                    chained.size(),
                    JdbcModelCalls::bind);
            jdbc.sql("UPDATE decision_log_head SET seq = ?, hash = ? WHERE chain = ?")
                    .params(seq, previous, CHAIN)
                    .update();
            for (Entry entry : batch) {
                if (entry.sameTransaction() != null) {
                    entry.sameTransaction().run();
                }
            }
            return chained;
        });
    }

    private static void bind(PreparedStatement ps, ModelCall c) throws SQLException {
        ps.setLong(1, c.seq());
        ps.setObject(2, c.id());
        ps.setObject(3, OffsetDateTime.ofInstant(c.calledAt(), ZoneOffset.UTC));
        ps.setString(4, c.client());
        ps.setString(5, c.modelName());
        ps.setString(6, c.modelNamespace());
        ps.setString(7, c.decisionService());
        ps.setString(8, c.rulesetVersion());
        ps.setString(9, c.inputsJson());
        ps.setString(10, c.resultJson());
        ps.setString(11, c.customerRef());
        ps.setString(12, c.previousHash());
        ps.setString(13, c.hash());
    }

    @Override
    public void close() {
        writer.close();
    }

    Optional<ModelCall> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM model_call WHERE id = ?")
                .param(id)
                .query(JdbcModelCalls::call)
                .optional();
    }

    List<ModelCall> chain(long fromSeq, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM model_call WHERE seq >= ? ORDER BY seq LIMIT ?")
                .params(fromSeq, limit)
                .query(JdbcModelCalls::call)
                .list();
    }

    Head head() {
        return jdbc.sql("SELECT seq, hash FROM decision_log_head WHERE chain = ?")
                .param(CHAIN)
                .query((rs, n) -> new Head(rs.getLong(1), rs.getString(2)))
                .single();
    }

    private static ModelCall call(ResultSet rs, int n) throws SQLException {
        return new ModelCall(
                rs.getLong("seq"),
                rs.getObject("id", UUID.class),
                rs.getObject("called_at", OffsetDateTime.class).toInstant(),
                rs.getString("client"),
                rs.getString("model_name"),
                rs.getString("model_namespace"),
                rs.getString("decision_service"),
                rs.getString("ruleset_version"),
                rs.getString("inputs_json"),
                rs.getString("result_json"),
                rs.getString("customer_ref"),
                rs.getString("previous_hash"),
                rs.getString("hash"));
    }
}
