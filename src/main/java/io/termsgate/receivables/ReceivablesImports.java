package io.termsgate.receivables;

import io.termsgate.web.CsvRows;
import io.termsgate.web.JsonBodies;
import io.termsgate.web.JsonLinesRows;
import io.termsgate.web.RowSource;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Imports a receivables file from the ERP: all or nothing, once per file.
 *
 * <p>The file is read from the request as a stream and its rows are written in batches inside one transaction as
 * they are read, while the body's SHA-256 is computed. When any row is bad the transaction is rolled back and every
 * problem is reported (the first {@link #MAX_ERRORS} in full): the ERP fixes the file and sends it again. When the
 * whole file was good and a file with the same SHA-256 was imported before, the transaction is rolled back too and
 * the earlier import is the answer; otherwise the import takes the file's SHA-256 and commits. Two requests that
 * send one file at once both write their rows, and the unique SHA-256 decides which commits.
 */
@Service
class ReceivablesImports {

    static final int MAX_ERRORS = 100;

    /** What a file is. */
    enum Format {
        CSV,
        JSON_LINES
    }

    /** An import as its summary tells it. */
    record Summary(UUID id, String sha256, int rows, int customers, Instant importedAt, String client) {}

    /** The import a file made, or the earlier import of the same file ({@code created} false). */
    record Outcome(Summary summary, boolean created) {}

    /** A file with bad rows: nothing was imported. */
    static final class Rejected extends RuntimeException {
        final transient List<RowError> errors;
        final long errorCount;
        final long badRows;
        final long rows;

        Rejected(List<RowError> errors, long errorCount, long badRows, long rows) {
            super(errorCount + " problems in " + badRows + " rows");
            this.errors = List.copyOf(errors);
            this.errorCount = errorCount;
            this.badRows = badRows;
            this.rows = rows;
        }
    }

    /** A file with more rows than {@code termsgate.receivables.max-rows}: nothing was imported. */
    static final class TooManyRows extends RuntimeException {
        TooManyRows(int maxRows) {
            super("The file holds more than " + maxRows + " rows; split it into files of at most " + maxRows
                    + " rows. Nothing was imported.");
        }
    }

    /** The same file is being imported by another request that has not committed yet. */
    static final class ImportInProgress extends RuntimeException {
        ImportInProgress() {
            super("The same file is being imported by another request right now; send it again shortly");
        }
    }

    private static final String SUMMARY_COLUMNS = "id, sha256, row_count, customer_count, imported_at, client";

    private final JdbcTemplate jdbcTemplate;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final JsonBodies json;
    private final Clock clock;
    private final ReceivablesProperties properties;

    ReceivablesImports(
            JdbcTemplate jdbcTemplate,
            JdbcClient jdbc,
            PlatformTransactionManager transactionManager,
            JsonBodies json,
            Clock clock,
            ReceivablesProperties properties) {
        this.jdbcTemplate = jdbcTemplate;
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.json = json;
        this.clock = clock;
        this.properties = properties;
    }

    /**
     * Reads {@code body} to its end and imports it.
     *
     * @throws Rejected when any row is bad
     * @throws TooManyRows when the file is longer than allowed
     * @throws ImportInProgress when another request is importing the same file and has not finished
     * @throws IOException when the body cannot be read (or grows past its cap)
     */
    Outcome importFile(InputStream body, Format format, String client) throws IOException {
        MessageDigest sha256 = sha256();
        DigestInputStream digesting = new DigestInputStream(body, sha256);
        UUID id = UUID.randomUUID();
        Instant importedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String[] sha = new String[1];
        try {
            return transactions.execute(status -> {
                Written written = write(id, importedAt, client, digesting, sha256, format);
                sha[0] = written.sha256();
                Optional<Summary> earlier = findBySha256(written.sha256());
                if (earlier.isPresent()) {
                    status.setRollbackOnly(); // the same file again: its rows are already there
                    return new Outcome(earlier.get(), false);
                }
                int customers = jdbc.sql(
                                "SELECT COUNT(DISTINCT customer_id) FROM receivables_snapshot WHERE import_id = ?")
                        .param(id)
                        .query(Integer.class)
                        .single();
                // the unique constraint on sha256 decides between two requests importing the same file at once
                jdbc.sql("UPDATE receivables_import SET sha256 = ?, row_count = ?, customer_count = ? WHERE id = ?")
                        .params(written.sha256(), written.rows(), customers, id)
                        .update();
                return new Outcome(
                        new Summary(id, written.sha256(), written.rows(), customers, importedAt, client), true);
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (DuplicateKeyException e) {
            // another request committed the same file first (or, on H2, is about to)
            return findBySha256(sha[0]).map(s -> new Outcome(s, false)).orElseThrow(ImportInProgress::new);
        }
    }

    private record Written(String sha256, int rows) {}

    private Written write(
            UUID id, Instant importedAt, String client, DigestInputStream body, MessageDigest sha256, Format format) {
        jdbc.sql("INSERT INTO receivables_import (id, sha256, client, imported_at, row_count) VALUES (?, ?, ?, ?, 0)")
                .params(id, "pending:" + id.toString().replace("-", ""), client, utc(importedAt))
                .update();
        Batch batch = new Batch(id, importedAt);
        RowKeys keys = new RowKeys();
        List<RowError> errors = new ArrayList<>();
        long errorCount = 0;
        long badRows = 0;
        int rows = 0;
        // the parsers may close what they read at its end; the body must stay open for the digest
        InputStream unclosed = new FilterInputStream(body) {
            @Override
            public void close() {}
        };
        try (RowSource source = format == Format.CSV
                ? new CsvRows(unclosed, "a receivables file", Column.NAMES, Column.REQUIRED)
                : new JsonLinesRows(unclosed, json, Column.allowed())) {
            RowSource.RawRow raw;
            while ((raw = source.next()) != null) {
                if (++rows > properties.maxRows()) {
                    throw new TooManyRows(properties.maxRows());
                }
                List<RowError> problems = new ArrayList<>();
                ReceivablesRow row = ReceivablesRows.read(raw, importedAt, problems);
                if (row != null) {
                    int earlier = keys.putIfAbsent(row.customerId(), row.asOf(), row.line());
                    // once the file is known to be bad nothing more is written, and a matching fingerprint is
                    // taken at its word: the file is refused anyway, the list only helps to mend it
                    if (earlier != 0 && (badRows > 0 || batch.holds(row))) {
                        problems.add(new RowError(
                                row.line(),
                                Column.AS_OF.columnName(),
                                "repeats line " + earlier + ": one row per customerId and asOf"));
                        row = null;
                    }
                }
                if (row == null) {
                    badRows++;
                    errorCount += problems.size();
                    for (RowError problem : problems) {
                        if (errors.size() < MAX_ERRORS) {
                            errors.add(problem);
                        }
                    }
                } else if (badRows == 0) {
                    batch.add(row);
                }
            }
            // the digest covers the whole body, whatever the parser left unread after the last row
            body.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (badRows == 0 && rows == 0) {
            throw new Rejected(List.of(new RowError(1, null, "the file holds no rows")), 1, 0, 0);
        }
        if (badRows > 0) {
            throw new Rejected(errors, errorCount, badRows, rows);
        }
        batch.flush();
        return new Written(HexFormat.of().formatHex(sha256.digest()), rows);
    }

    /** Rows waiting to be written together. */
    private final class Batch {
        private final UUID importId;
        private final OffsetDateTime importedAt;
        private final List<ReceivablesRow> rows = new ArrayList<>();

        Batch(UUID importId, Instant importedAt) {
            this.importId = importId;
            this.importedAt = utc(importedAt);
        }

        void add(ReceivablesRow row) {
            rows.add(row);
            if (rows.size() >= properties.batchSize()) {
                flush();
            }
        }

        /** Whether this import has already written a row for the same customer and as-of time. */
        boolean holds(ReceivablesRow row) {
            flush();
            return jdbc.sql("SELECT COUNT(*) FROM receivables_snapshot "
                                    + "WHERE customer_id = ? AND as_of = ? AND import_id = ?")
                            .params(row.customerId(), utc(row.asOf()), importId)
                            .query(Long.class)
                            .single()
                    > 0;
        }

        void flush() {
            if (rows.isEmpty()) {
                return;
            }
            jdbcTemplate.batchUpdate(
                    "INSERT INTO receivables_snapshot (id, import_id, customer_id, as_of, outstanding_balance, "
                            + "invoices_paid, avg_days_beyond_terms, max_days_past_due, imported_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    new BatchPreparedStatementSetter() {
                        @Override
                        public void setValues(PreparedStatement ps, int i) throws SQLException {
                            ReceivablesRow row = rows.get(i);
                            ps.setObject(1, UUID.randomUUID());
                            ps.setObject(2, importId);
                            ps.setString(3, row.customerId());
                            ps.setObject(4, utc(row.asOf()));
                            ps.setBigDecimal(5, row.outstandingBalance());
                            setInteger(ps, 6, row.invoicesPaid());
                            setDecimal(ps, 7, row.avgDaysBeyondTerms());
                            setInteger(ps, 8, row.maxDaysPastDue());
                            ps.setObject(9, importedAt);
                        }

                        @Override
                        public int getBatchSize() {
                            return rows.size();
                        }
                    });
            rows.clear();
        }
    }

    Optional<Summary> find(UUID id) {
        return jdbc.sql("SELECT " + SUMMARY_COLUMNS + " FROM receivables_import WHERE id = ?")
                .param(id)
                .query(ReceivablesImports::summary)
                .optional();
    }

    private Optional<Summary> findBySha256(String sha256) {
        return jdbc.sql("SELECT " + SUMMARY_COLUMNS + " FROM receivables_import WHERE sha256 = ?")
                .param(sha256)
                .query(ReceivablesImports::summary)
                .optional();
    }

    private static Summary summary(java.sql.ResultSet rs, int n) throws SQLException {
        return new Summary(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getInt(3),
                rs.getInt(4),
                rs.getObject(5, OffsetDateTime.class).toInstant(),
                rs.getString(6));
    }

    private static void setInteger(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }

    private static void setDecimal(PreparedStatement ps, int index, BigDecimal value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NUMERIC);
        } else {
            ps.setBigDecimal(index, value);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
