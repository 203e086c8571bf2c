package io.termsgate.batch;

import io.termsgate.jobs.PartitionedJob.Partition;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/** The batches' tables: the batch, its lines (request, then result) and its chunks of work. */
@Repository
class JdbcBatches {

    enum Status {
        RECEIVING,
        RUNNING,
        DONE
    }

    /** A batch as its client sees it. */
    record Batch(
            UUID id,
            String client,
            String idempotencyKey,
            String format,
            Status status,
            String sha256,
            long lines,
            long badLines,
            Instant createdAt,
            Instant receivedAt,
            Instant finishedAt) {}

    /** A stored line: its request (null for a bad line) and its result once it has one. */
    record Line(long line, String requestJson, String resultJson) {}

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final TransactionTemplate transactions;

    JdbcBatches(JdbcClient jdbc, JdbcTemplate template, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.template = template;
        this.transactions = transactions;
    }

    /** @throws org.springframework.dao.DuplicateKeyException when the client used the key for another batch */
    void create(UUID id, String client, String idempotencyKey, String format, Instant at) {
        jdbc.sql("INSERT INTO batch (id, client, idempotency_key, format, status, lines, bad_lines, created_at) "
                        + "VALUES (?, ?, ?, ?, 'RECEIVING', 0, 0, ?)")
                .params(id, client, idempotencyKey, format, utc(at))
                .update();
    }

    Optional<Batch> find(UUID id) {
        return jdbc.sql("SELECT * FROM batch WHERE id = ?")
                .param(id)
                .query(JdbcBatches::batch)
                .optional();
    }

    Optional<Batch> findByIdempotencyKey(String client, String idempotencyKey) {
        return jdbc.sql("SELECT * FROM batch WHERE client = ? AND idempotency_key = ?")
                .params(client, idempotencyKey)
                .query(JdbcBatches::batch)
                .optional();
    }

    /** Stores lines in one JDBC batch (the caller's transaction). */
    void insertLines(UUID batch, List<Line> lines) {
        template.batchUpdate(
                "INSERT INTO batch_line (batch_id, line, request_json, result_json) VALUES (?, ?, ?, ?)",
                lines,
                lines.size(),
                (statement, line) -> {
                    statement.setObject(1, batch);
                    statement.setLong(2, line.line());
                    statement.setString(3, line.requestJson());
                    statement.setString(4, line.resultJson());
                });
    }

    void insertChunk(UUID batch, long firstLine, long lastLine) {
        jdbc.sql("INSERT INTO batch_chunk (batch_id, first_line, last_line, done) VALUES (?, ?, ?, FALSE)")
                .params(batch, firstLine, lastLine)
                .update();
    }

    /** Every line is stored: the chunks may be claimed. */
    void received(UUID batch, String sha256, long lines, long badLines, Instant at) {
        // a file without a line is done at once: it has no chunk to finish it
        jdbc.sql("UPDATE batch SET status = ?, sha256 = ?, lines = ?, bad_lines = ?, received_at = ?, finished_at = ? "
                        + "WHERE id = ? AND status = 'RECEIVING'")
                .params(
                        lines == 0 ? "DONE" : "RUNNING",
                        sha256,
                        lines,
                        badLines,
                        utc(at),
                        lines == 0 ? utc(at) : null,
                        batch)
                .update();
    }

    /**
     * The file could not be read to its end (the client went away, it was too large): the batch stays RECEIVING, is
     * never run, and lets go of its Idempotency-Key so a retry with the key starts afresh.
     */
    void abandoned(UUID batch) {
        jdbc.sql("UPDATE batch SET idempotency_key = NULL WHERE id = ? AND status = 'RECEIVING'")
                .param(batch)
                .update();
    }

    /** Chunks of running batches that are not done and claimed by no one (or whose claim ran out), oldest first. */
    List<Partition> ready(Instant now, int limit) {
        return jdbc.sql("SELECT c.batch_id, c.first_line, c.last_line FROM batch_chunk c JOIN batch b ON b.id = "
                        + "c.batch_id WHERE c.done = FALSE AND (c.claimed_until IS NULL OR c.claimed_until < ?) "
                        + "AND b.status = 'RUNNING' ORDER BY b.created_at, c.batch_id, c.first_line LIMIT ?")
                .params(utc(now), limit)
                .query((rs, n) -> new Partition(
                        rs.getObject("batch_id", UUID.class), rs.getLong("first_line"), rs.getLong("last_line")))
                .list();
    }

    /** Takes a chunk for {@code worker} until {@code until} when no one else holds it: a conditional update. */
    boolean claim(Partition chunk, String worker, Instant now, Instant until) {
        return jdbc.sql("UPDATE batch_chunk SET claimed_by = ?, claimed_until = ? WHERE batch_id = ? AND first_line "
                                + "= ? AND done = FALSE AND (claimed_until IS NULL OR claimed_until < ?)")
                        .params(worker, utc(until), chunk.job(), chunk.first(), utc(now))
                        .update()
                == 1;
    }

    /** Extends the worker's claim; false when it is no longer the worker's (it ran out and another took it). */
    boolean renew(Partition chunk, String worker, Instant until) {
        return jdbc.sql("UPDATE batch_chunk SET claimed_until = ? WHERE batch_id = ? AND first_line = ? "
                                + "AND claimed_by = ? AND done = FALSE")
                        .params(utc(until), chunk.job(), chunk.first(), worker)
                        .update()
                == 1;
    }

    /** Lets go of a claim early (the log could not be reached), so the chunk is tried again at the next poll. */
    void release(Partition chunk, String worker) {
        jdbc.sql("UPDATE batch_chunk SET claimed_by = NULL, claimed_until = NULL WHERE batch_id = ? "
                        + "AND first_line = ? AND claimed_by = ?")
                .params(chunk.job(), chunk.first(), worker)
                .update();
    }

    /** The lines of a chunk without a result yet, in order. */
    List<Line> undecided(Partition chunk) {
        return jdbc.sql("SELECT line, request_json, result_json FROM batch_line WHERE batch_id = ? AND line BETWEEN "
                        + "? AND ? AND result_json IS NULL ORDER BY line")
                .params(chunk.job(), chunk.first(), chunk.last())
                .query((rs, n) -> new Line(rs.getLong(1), rs.getString(2), rs.getString(3)))
                .list();
    }

    /** A line's result; only the first is kept (a worker that lost its claim may arrive second). */
    void decided(UUID batch, long line, UUID decisionId, String resultJson) {
        jdbc.sql("UPDATE batch_line SET decision_id = ?, result_json = ? WHERE batch_id = ? AND line = ? "
                        + "AND result_json IS NULL")
                .params(decisionId, resultJson, batch, line)
                .update();
    }

    /** A line's result, to be stored with others. */
    record Result(long line, UUID decisionId, String resultJson) {}

    /**
     * Lines' results, in one transaction and one JDBC batch; as {@link #decided}, only a line's first result is kept.
     */
    void decided(UUID batch, List<Result> results) {
        if (results.isEmpty()) {
            return;
        }
        transactions.executeWithoutResult(tx -> template.batchUpdate(
                "UPDATE batch_line SET decision_id = ?, result_json = ? WHERE batch_id = ? AND line = ? "
                        + "AND result_json IS NULL",
                results,
                results.size(),
                (statement, result) -> {
                    statement.setObject(1, result.decisionId());
                    statement.setString(2, result.resultJson());
                    statement.setObject(3, batch);
                    statement.setLong(4, result.line());
                }));
    }

    /** The chunk is done; the batch too when it was its last. */
    void chunkDone(Partition chunk, Instant at) {
        jdbc.sql("UPDATE batch_chunk SET done = TRUE, claimed_by = NULL, claimed_until = NULL WHERE batch_id = ? "
                        + "AND first_line = ?")
                .params(chunk.job(), chunk.first())
                .update();
        long left = jdbc.sql("SELECT COUNT(*) FROM batch_chunk WHERE batch_id = ? AND done = FALSE")
                .param(chunk.job())
                .query(Long.class)
                .single();
        if (left == 0) {
            jdbc.sql("UPDATE batch SET status = 'DONE', finished_at = ? WHERE id = ? AND status = 'RUNNING'")
                    .params(utc(at), chunk.job())
                    .update();
        }
    }

    /** How many of the batch's lines have their result (a decision, or the bad line's problem). */
    long done(UUID batch) {
        return jdbc.sql("SELECT COUNT(*) FROM batch_line WHERE batch_id = ? AND result_json IS NOT NULL")
                .param(batch)
                .query(Long.class)
                .single();
    }

    /** Every line's result in input order, a page at a time: never the whole batch in memory. */
    void results(UUID batch, int page, Consumer<Line> each) {
        long after = 0;
        while (true) {
            List<Line> lines = jdbc.sql("SELECT line, request_json, result_json FROM batch_line WHERE batch_id = ? "
                            + "AND line > ? ORDER BY batch_id, line LIMIT ?") // the key's order: H2 reads, not sorts
                    .params(batch, after, page)
                    .query((rs, n) -> new Line(rs.getLong(1), null, rs.getString(3)))
                    .list();
            lines.forEach(each);
            if (lines.size() < page) {
                return;
            }
            after = lines.get(lines.size() - 1).line();
        }
    }

    private static Batch batch(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Batch(
                rs.getObject("id", UUID.class),
                rs.getString("client"),
                rs.getString("idempotency_key"),
                rs.getString("format"),
                Status.valueOf(rs.getString("status")),
                rs.getString("sha256"),
                rs.getLong("lines"),
                rs.getLong("bad_lines"),
                instant(rs.getObject("created_at", OffsetDateTime.class)),
                instant(rs.getObject("received_at", OffsetDateTime.class)),
                instant(rs.getObject("finished_at", OffsetDateTime.class)));
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
