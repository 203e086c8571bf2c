package io.termsgate.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.termsgate.creditapplication.DecisionRequestReader;
import io.termsgate.engine.ApplicationField;
import io.termsgate.jobs.JobRunner;
import io.termsgate.web.CsvRows;
import io.termsgate.web.FieldError;
import io.termsgate.web.InvalidRequestException;
import io.termsgate.web.JsonBodies;
import io.termsgate.web.JsonLinesRows;
import io.termsgate.web.RowSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes a batch file in: reads it line by line from the request's stream, checks each line as the decision endpoint
 * checks a request (a bad line gets its problem as its result at once), stores the lines a few hundred at a time and
 * cuts them into chunks, then queues the batch. Nothing of the file is held beyond one group of lines.
 */
@Service
@EnableConfigurationProperties(BatchProperties.class)
class BatchUploads {

    private static final Logger log = LoggerFactory.getLogger(BatchUploads.class);
    private static final int STORE_EVERY = 500;

    enum Format {
        CSV,
        JSON_LINES
    }

    /** The batch, and whether it was made now (false: the same file sent again with its Idempotency-Key). */
    record Received(JdbcBatches.Batch batch, boolean created) {}

    /** The key names a batch made from another file. */
    static final class KeyReused extends RuntimeException {
        final transient UUID original;

        KeyReused(UUID original) {
            super("the Idempotency-Key was used for another file");
            this.original = original;
        }
    }

    /** The batch with this key is still being received (or its upload was cut off). */
    static final class StillReceiving extends RuntimeException {
        StillReceiving() {
            super("a batch with this Idempotency-Key is still being received");
        }
    }

    /** The file cannot be read past a line (its CSV header, text that is not UTF-8): no line of it is decided. */
    static final class Unreadable extends RuntimeException {
        final transient long line;
        final transient List<FieldError> errors;

        Unreadable(long line, List<FieldError> errors) {
            super("the batch file cannot be read past line " + line);
            this.line = line;
            this.errors = List.copyOf(errors);
        }
    }

    /** The file holds more lines than a batch may. */
    static final class TooManyLines extends RuntimeException {
        TooManyLines(long max) {
            super("A batch holds at most " + max + " lines");
        }
    }

    private final JdbcBatches batches;
    private final JsonBodies json;
    private final ObjectMapper mapper;
    private final BatchProperties properties;
    private final TransactionTemplate transactions;
    private final JobRunner runner;
    private final Clock clock;

    BatchUploads(
            JdbcBatches batches,
            JsonBodies json,
            ObjectMapper mapper,
            BatchProperties properties,
            PlatformTransactionManager transactionManager,
            JobRunner runner,
            Clock clock) {
        this.batches = batches;
        this.json = json;
        this.mapper = mapper;
        this.properties = properties;
        this.transactions = new TransactionTemplate(transactionManager);
        this.runner = runner;
        this.clock = clock;
    }

    Received receive(InputStream body, Format format, String client, String idempotencyKey) throws IOException {
        MessageDigest sha256 = sha256();
        DigestInputStream digested = new DigestInputStream(body, sha256);
        if (idempotencyKey != null) {
            Optional<JdbcBatches.Batch> earlier = batches.findByIdempotencyKey(client, idempotencyKey);
            if (earlier.isPresent()) {
                return sameFile(earlier.get(), digested, sha256);
            }
        }
        UUID id = UUID.randomUUID();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        try {
            batches.create(id, client, idempotencyKey, format.name(), now);
        } catch (DuplicateKeyException e) { // the same key, sent twice at once
            return sameFile(batches.findByIdempotencyKey(client, idempotencyKey).orElseThrow(), digested, sha256);
        }
        boolean received = false;
        try {
            long[] counts = store(id, digested, format);
            batches.received(id, HexFormat.of().formatHex(sha256.digest()), counts[0], counts[1], clock.instant());
            received = true;
            log.info("Batch {} from {}: {} lines ({} bad) queued", id, client, counts[0], counts[1]);
        } finally {
            if (!received) {
                batches.abandoned(id);
            }
        }
        runner.wake();
        return new Received(batches.find(id).orElseThrow(), true);
    }

    private Received sameFile(JdbcBatches.Batch earlier, InputStream body, MessageDigest sha256) throws IOException {
        if (earlier.status() == JdbcBatches.Status.RECEIVING) {
            throw new StillReceiving();
        }
        body.transferTo(OutputStream.nullOutputStream());
        if (!HexFormat.of().formatHex(sha256.digest()).equals(earlier.sha256())) {
            throw new KeyReused(earlier.id());
        }
        return new Received(earlier, false);
    }

    /** Stores every line and cuts the chunks; answers {lines, bad lines}. */
    private long[] store(UUID id, InputStream body, Format format) throws IOException {
        List<JdbcBatches.Line> group = new ArrayList<>(STORE_EVERY);
        long lines = 0;
        long bad = 0;
        long chunkFirst = -1;
        long lastLine = -1;
        int inChunk = 0;
        try (RowSource source = format == Format.CSV
                ? new CsvRows(body, "a batch file", ApplicationField.paths(), List.of())
                : new JsonLinesRows(body, json, "\"customer\" and \"order\"")) {
            RowSource.RawRow raw;
            while ((raw = source.next()) != null) {
                if (source.stopped()) {
                    throw new Unreadable(raw.line(), raw.problems());
                }
                if (++lines > properties.maxLines()) {
                    throw new TooManyLines(properties.maxLines());
                }
                JdbcBatches.Line line = line(raw, format);
                if (line.requestJson() == null) {
                    bad++;
                }
                group.add(line);
                lastLine = raw.line();
                if (chunkFirst < 0) {
                    chunkFirst = raw.line();
                }
                if (++inChunk == properties.chunkLines()) {
                    flush(id, group, chunkFirst, raw.line());
                    chunkFirst = -1;
                    inChunk = 0;
                } else if (group.size() == STORE_EVERY) {
                    flush(id, group, -1, -1);
                }
            }
            if (inChunk > 0) {
                flush(id, group, chunkFirst, lastLine);
            }
        }
        return new long[] {lines, bad};
    }

    /** Stores the group of lines, and the chunk that ends with them when {@code chunkFirst} is given. */
    private void flush(UUID id, List<JdbcBatches.Line> group, long chunkFirst, long chunkLast) {
        List<JdbcBatches.Line> lines = List.copyOf(group);
        group.clear();
        transactions.executeWithoutResult(status -> {
            if (!lines.isEmpty()) {
                batches.insertLines(id, lines);
            }
            if (chunkFirst >= 0) {
                batches.insertChunk(id, chunkFirst, chunkLast);
            }
        });
    }

    /** A line as stored: its request when it is one the decision endpoint would take, else its problem. */
    private JdbcBatches.Line line(RowSource.RawRow raw, Format format) {
        if (!raw.problems().isEmpty()) {
            return problem(raw.line(), raw.problems());
        }
        JsonNode request;
        if (format == Format.CSV) {
            Map<String, String> cells = new LinkedHashMap<>();
            raw.values().forEach((column, value) -> cells.put(column, (String) value));
            request = DecisionRequestReader.requestOfCells(cells);
        } else {
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            raw.values().forEach((name, value) -> object.set(name, (JsonNode) value));
            request = object;
        }
        try {
            var requested = DecisionRequestReader.readRequest(request);
            if (requested.application().order().getId() != null) {
                return problem(
                        raw.line(),
                        List.of(new FieldError(
                                ApplicationField.ORDER_ID.path(),
                                "a batch decides assessments, which hold no credit: leave out the order id")));
            }
        } catch (InvalidRequestException e) {
            return problem(raw.line(), e.errors());
        }
        return new JdbcBatches.Line(raw.line(), request.toString(), null);
    }

    private JdbcBatches.Line problem(long line, List<FieldError> errors) {
        return new JdbcBatches.Line(line, null, problemJson(mapper, line, errors));
    }

    /** A bad line's result: {@code {line, problem}}, the problem as the decision endpoint would answer it. */
    static String problemJson(ObjectMapper mapper, long line, List<FieldError> errors) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", io.termsgate.web.ProblemTypes.INVALID_REQUEST.toString());
        problem.put("title", "Invalid decision request");
        problem.put("status", 400);
        problem.put(
                "detail",
                errors.size() == 1
                        ? "1 field is invalid"
                                + (errors.get(0).field() == null
                                        ? ""
                                        : ": " + errors.get(0).field())
                        : errors.size() + " fields are invalid");
        problem.put("errors", errors);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("line", line);
        result.put("problem", problem);
        try {
            return mapper.writeValueAsString(result);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
