package io.termsgate.audit;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The decision log in a relational database (H2 or PostgreSQL, same SQL). Appends go through a
 * {@link GroupCommitWriter}: concurrent decisions share one transaction and one disk flush.
 *
 * <p>Each batch locks the chain's head row, so writers on several instances append to one chain, in turn.
 */
@Repository
class JdbcDecisionLog implements DecisionLog, AutoCloseable {

    static final String CHAIN = "decisions";
    private static final String COLUMNS = "seq, decision_id, decided_at, client, idempotency_key, request_sha256, "
            + "customer_id, outcome, approval_route, ruleset_version, engine_versions, request_json, result_json, "
            + "trace_json, evaluation_micros, order_id, credit_line_json, previous_hash, hash";

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final TransactionTemplate transactions;
    private final GroupCommitWriter writer;
    private final PersonalData personalData;

    public JdbcDecisionLog(
            JdbcClient jdbc,
            JdbcTemplate template,
            TransactionTemplate transactions,
            AuditProperties properties,
            AuditMetrics metrics,
            PersonalData personalData) {
        this.jdbc = jdbc;
        this.personalData = personalData;
        this.template = template;
        this.transactions = transactions;
        this.writer = new GroupCommitWriter(this::commit, properties, metrics);
    }

    @Override
    public LoggedDecision record(Decided decision) {
        return writer.commit(sealed(DecisionRecord.of(decision)));
    }

    @Override
    public LoggedDecision record(Decided decision, Runnable sameTransaction) {
        return writer.commit(sealed(DecisionRecord.of(decision)), sameTransaction);
    }

    @Override
    public CompletableFuture<LoggedDecision> submit(Decided decision) {
        return writer.submitWithinTimeout(sealed(DecisionRecord.of(decision)));
    }

    @Override
    public void prepare(String customerId) {
        personalData.prepare(customerId);
    }

    @Override
    public boolean holdsPersonalDataOf(String customerId) {
        return personalData.subjectOf(customerId).isPresent() || personalData.clearDecisionsOf(customerId) > 0;
    }

    /** Sealed on the caller's thread, so the writer's one thread only inserts. */
    private DecisionRecord sealed(DecisionRecord record) {
        return record.sealedAs(personalData.seal(record.customerId(), record.requestJson(), record.creditLineJson()));
    }

    /** A record as read from its columns, its personal data opened (or found erased). */
    private LoggedDecision opened(LoggedDecision stored) {
        DecisionRecord r = stored.record();
        if (!PersonalData.isSubjectRef(r.customerId())) {
            return stored; // logged before personal data was sealed: in clear
        }
        return new LoggedDecision(
                stored.seq(),
                r.opened(personalData
                        .open(r.customerId(), r.requestJson(), r.creditLineJson())
                        .orElse(null)),
                stored.previousHash(),
                stored.hash());
    }

    @Override
    public void close() {
        writer.close();
    }

    /**
     * Commits one batch: chains the records after the current head, inserts them and moves the head, all in one
     * transaction. Records whose idempotency key is already logged are left out and reported as duplicates.
     */
    GroupCommitWriter.BatchResult commit(List<GroupCommitWriter.Entry> entries) {
        List<DecisionRecord> batch =
                entries.stream().map(GroupCommitWriter.Entry::record).toList();
        return transactions.execute(status -> {
            LoggedDecision.Head head = jdbc.sql("SELECT seq, hash FROM decision_log_head WHERE chain = ? FOR UPDATE")
                    .param(CHAIN)
                    .query((rs, n) -> new LoggedDecision.Head(rs.getLong(1), rs.getString(2)))
                    .single();
            Set<DecisionRecord> duplicates = alreadyLogged(batch);
            List<LoggedDecision> logged = new ArrayList<>(batch.size());
            long seq = head.seq();
            String previous = head.hash();
            for (DecisionRecord record : batch) {
                if (duplicates.contains(record)) {
                    continue;
                }
                seq++;
                String hash = LoggedDecision.chainHash(previous, seq, record);
                logged.add(new LoggedDecision(seq, record, previous, hash));
                previous = hash;
            }
            if (!logged.isEmpty()) {
                template.batchUpdate(
                        "INSERT INTO decision_log (" + COLUMNS + ") VALUES "
                                + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        logged,
                        logged.size(),
                        JdbcDecisionLog::bind);
                jdbc.sql("UPDATE decision_log_head SET seq = ?, hash = ? WHERE chain = ?")
                        .params(seq, previous, CHAIN)
                        .update();
            }
            // what belongs with each logged record (a credit line's hold) commits or rolls back with the batch
            for (GroupCommitWriter.Entry entry : entries) {
                if (entry.sameTransaction() != null && !duplicates.contains(entry.record())) {
                    entry.sameTransaction().run();
                }
            }
            return new GroupCommitWriter.BatchResult(logged, duplicates);
        });
    }

    /** Idempotency keys logged already (by any instance), or repeated within the batch. */
    private Set<DecisionRecord> alreadyLogged(List<DecisionRecord> batch) {
        Set<DecisionRecord> duplicates = new HashSet<>();
        List<DecisionRecord> keyed =
                batch.stream().filter(r -> r.idempotencyKey() != null).toList();
        if (keyed.isEmpty()) {
            return duplicates;
        }
        Set<String> seen = new HashSet<>();
        // row values, so each key is a seek on the unique index (client, idempotency_key): "client = ? AND
        // idempotency_key IN (...)" scans every key of the client (H2 seeks on the first column only), and a key
        // alone scans the whole index; either grows with the log
        List<Object> params = new ArrayList<>();
        keyed.stream()
                .map(r -> List.of(r.client(), r.idempotencyKey()))
                .distinct()
                .forEach(params::addAll);
        Set<String> logged = new HashSet<>(jdbc.sql("SELECT client, idempotency_key FROM decision_log WHERE (client, "
                        + "idempotency_key) IN ("
                        + String.join(", ", java.util.Collections.nCopies(params.size() / 2, "(?, ?)"))
                        + ")")
                .params(params)
                .query((rs, n) -> rs.getString(1) + "\u0000" + rs.getString(2))
                .list());
        for (DecisionRecord record : keyed) {
            String scoped = record.client() + "\u0000" + record.idempotencyKey();
            if (logged.contains(scoped) || !seen.add(scoped)) {
                duplicates.add(record);
            }
        }
        return duplicates;
    }

    private static void bind(PreparedStatement ps, LoggedDecision d) throws SQLException {
        DecisionRecord r = d.record();
        ps.setLong(1, d.seq());
        ps.setObject(2, r.decisionId());
        ps.setObject(3, r.decidedAt().atOffset(ZoneOffset.UTC));
        ps.setString(4, r.client());
        ps.setString(5, r.idempotencyKey());
        ps.setString(6, r.requestSha256());
        ps.setString(7, r.storedCustomerId());
        ps.setString(8, r.outcome());
        ps.setString(9, r.approvalRoute());
        ps.setString(10, r.rulesetVersion());
        ps.setString(11, r.engineVersionsJson());
        ps.setString(12, r.storedRequestJson());
        ps.setString(13, r.resultJson());
        ps.setString(14, r.traceJson());
        ps.setLong(15, r.evaluationMicros());
        ps.setString(16, r.orderId());
        ps.setString(17, r.storedCreditLineJson());
        ps.setString(18, d.previousHash());
        ps.setString(19, d.hash());
    }

    /** A record exactly as stored: personal data as its columns hold it (sealed, or in clear in older records). */
    static final RowMapper<LoggedDecision> ROW = (ResultSet rs, int n) -> new LoggedDecision(
            rs.getLong("seq"),
            new DecisionRecord(
                    rs.getObject("decision_id", UUID.class),
                    rs.getObject("decided_at", OffsetDateTime.class).toInstant(),
                    rs.getString("client"),
                    rs.getString("idempotency_key"),
                    rs.getString("request_sha256"),
                    rs.getString("customer_id"),
                    rs.getString("outcome"),
                    rs.getString("approval_route"),
                    rs.getString("ruleset_version"),
                    rs.getString("engine_versions"),
                    rs.getString("request_json"),
                    rs.getString("result_json"),
                    rs.getString("trace_json"),
                    rs.getLong("evaluation_micros"),
                    rs.getString("order_id"),
                    rs.getString("credit_line_json")),
            rs.getString("previous_hash"),
            rs.getString("hash"));

    @Override
    public Optional<LoggedDecision> find(UUID decisionId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM decision_log WHERE decision_id = ?")
                .param(decisionId)
                .query(ROW)
                .optional()
                .map(this::opened);
    }

    @Override
    public Optional<UUID> latestDecisionOfOrder(String customerId, String orderId) {
        return jdbc.sql("SELECT decision_id FROM decision_log WHERE customer_id IN (:stored) AND order_id = :order "
                        + "ORDER BY seq DESC LIMIT 1")
                .param("stored", storedCustomerIds(customerId))
                .param("order", orderId)
                .query(UUID.class)
                .optional();
    }

    @Override
    public Optional<LoggedDecision> findByIdempotencyKey(String client, String idempotencyKey) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM decision_log WHERE client = ? AND idempotency_key = ?")
                .params(client, idempotencyKey)
                .query(ROW)
                .optional()
                .map(this::opened);
    }

    @Override
    public List<LoggedDecision> search(DecisionQuery query, int page, int size) {
        Where where = where(query);
        return jdbc
                .sql("SELECT " + COLUMNS + " FROM decision_log" + where.sql
                        + " ORDER BY decided_at DESC, seq DESC LIMIT :limit OFFSET :offset")
                .params(where.params)
                .param("limit", size)
                .param("offset", (long) page * size)
                .query(ROW)
                .list()
                .stream()
                .map(this::opened)
                .toList();
    }

    @Override
    public List<LoggedDecision> searchAfter(DecisionQuery query, Instant afterDecidedAt, long afterSeq, int limit) {
        Where where = where(query);
        String sql = where.sql;
        if (afterDecidedAt != null) {
            sql += (sql.isEmpty() ? " WHERE" : " AND")
                    + " (decided_at < :afterAt OR (decided_at = :afterAt AND seq < :afterSeq))";
        }
        var statement = jdbc.sql("SELECT " + COLUMNS + " FROM decision_log" + sql
                        + " ORDER BY decided_at DESC, seq DESC LIMIT :limit")
                .params(where.params)
                .param("limit", limit);
        if (afterDecidedAt != null) {
            statement = statement
                    .param("afterAt", afterDecidedAt.atOffset(ZoneOffset.UTC))
                    .param("afterSeq", afterSeq);
        }
        return statement.query(ROW).list();
    }

    @Override
    public long count(DecisionQuery query) {
        Where where = where(query);
        return jdbc.sql("SELECT COUNT(*) FROM decision_log" + where.sql)
                .params(where.params)
                .query(Long.class)
                .single();
    }

    @Override
    public void forEach(DecisionQuery query, Consumer<LoggedDecision> each) {
        Where where = where(query);
        // read in pages keyed on seq so a long export holds neither a cursor nor everything in memory
        long before = Long.MAX_VALUE;
        while (true) {
            List<LoggedDecision> page = jdbc.sql("SELECT " + COLUMNS + " FROM decision_log" + where.sql
                            + (where.sql.isEmpty() ? " WHERE" : " AND") + " seq < :before ORDER BY seq DESC LIMIT 1000")
                    .params(where.params)
                    .param("before", before)
                    .query(ROW)
                    .list();
            page.forEach(stored -> each.accept(opened(stored)));
            if (page.size() < 1000) {
                return;
            }
            before = page.get(page.size() - 1).seq();
        }
    }

    @Override
    public List<LoggedDecision> chain(long fromSeq, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM decision_log WHERE seq >= ? ORDER BY seq LIMIT ?")
                .params(fromSeq, limit)
                .query(ROW)
                .list();
    }

    @Override
    public Optional<long[]> seqRange(Instant from, Instant to) {
        Where where = where(new DecisionQuery(null, from, to, null, null));
        return jdbc.sql("SELECT MIN(seq), MAX(seq) FROM decision_log" + where.sql)
                .params(where.params)
                .query((rs, n) -> rs.getObject(1) == null ? null : new long[] {rs.getLong(1), rs.getLong(2)})
                .optional();
    }

    @Override
    public List<Replayable> replayable(Instant from, Instant to, long afterSeq, int limit) {
        Where where = where(new DecisionQuery(null, from, to, null, null));
        return jdbc
                .sql("SELECT seq, decision_id, decided_at, customer_id, ruleset_version, request_json, result_json "
                        + "FROM decision_log" + where.sql + (where.sql.isEmpty() ? " WHERE" : " AND")
                        + " seq > :after ORDER BY seq LIMIT :limit")
                .params(where.params)
                .param("after", afterSeq)
                .param("limit", limit)
                .query((rs, n) -> new Replayable(
                        rs.getLong(1),
                        rs.getObject(2, UUID.class),
                        rs.getObject(3, OffsetDateTime.class).toInstant(),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7)))
                .list()
                .stream()
                .map(this::opened)
                .toList();
    }

    /** A replayable record with its personal data opened: customer and request null when erased. */
    private Replayable opened(Replayable stored) {
        if (!PersonalData.isSubjectRef(stored.customerId())) {
            return stored;
        }
        PersonalData.Opened opened = personalData
                .open(stored.customerId(), stored.requestJson(), null)
                .orElse(null);
        return new Replayable(
                stored.seq(),
                stored.decisionId(),
                stored.decidedAt(),
                opened == null ? null : opened.customerId(),
                stored.rulesetVersion(),
                opened == null ? null : opened.requestJson(),
                stored.resultJson());
    }

    /**
     * What {@code decision_log.customer_id} holds for a customer: their subject reference while they have one, and
     * the customer id itself, as records logged before sealing hold it (a reference can never be a customer id).
     */
    private List<String> storedCustomerIds(String customerId) {
        return personalData
                .subjectOf(customerId)
                .map(ref -> List.of(ref, customerId))
                .orElse(List.of(customerId));
    }

    @Override
    public LoggedDecision.Head head() {
        return jdbc.sql("SELECT seq, hash FROM decision_log_head WHERE chain = ?")
                .param(CHAIN)
                .query((rs, n) -> new LoggedDecision.Head(rs.getLong(1), rs.getString(2)))
                .single();
    }

    private record Where(String sql, Map<String, Object> params) {}

    private Where where(DecisionQuery q) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (q.customerId() != null) {
            conditions.add("customer_id IN (:customerIds)");
            params.put("customerIds", storedCustomerIds(q.customerId()));
        }
        if (q.from() != null) {
            conditions.add("decided_at >= :from");
            params.put("from", q.from().atOffset(ZoneOffset.UTC));
        }
        if (q.to() != null) {
            conditions.add("decided_at < :to");
            params.put("to", q.to().atOffset(ZoneOffset.UTC));
        }
        if (q.outcome() != null) {
            conditions.add("outcome = :outcome");
            params.put("outcome", q.outcome());
        }
        if (q.rulesetVersion() != null) {
            conditions.add("ruleset_version = :rulesetVersion");
            params.put("rulesetVersion", q.rulesetVersion());
        }
        return new Where(conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions), params);
    }
}
