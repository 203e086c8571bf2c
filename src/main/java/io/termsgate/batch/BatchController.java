package io.termsgate.batch;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.termsgate.engine.ResultField;
import io.termsgate.web.ApiProblemException;
import io.termsgate.web.CsvCells;
import io.termsgate.web.IdempotencyKeys;
import io.termsgate.web.InvalidRequestException;
import io.termsgate.web.ProblemResponses;
import io.termsgate.web.ProblemTypes;
import jakarta.servlet.http.HttpServletRequest;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** Batch decisions: a file of decision requests in, one result per line out, in the file's order. */
@RestController
class BatchController {

    static final String BATCHES = "/api/v1/batches";
    static final String CSV = "text/csv";
    static final String NDJSON = "application/x-ndjson";
    static final String JSONL = "application/jsonl";
    private static final int RESULT_PAGE = 1_000;
    /** The CSV results' columns: the line, its decision, the result's fields as checkout gets them, its problem. */
    static final List<String> CSV_COLUMNS = Stream.of(
                    Stream.of("line", "decisionId"),
                    ResultField.names().stream(),
                    Stream.of("rulesetVersion", "decidedAt", "problem"))
            .flatMap(s -> s)
            .toList();

    private final BatchUploads uploads;
    private final JdbcBatches batches;
    // the results' numbers exactly as stored (plain decimals), never through a double
    private final ObjectMapper results = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    BatchController(BatchUploads uploads, JdbcBatches batches) {
        this.uploads = uploads;
        this.batches = batches;
    }

    /** A batch as its client sees it: where it stands, and where its results are. */
    record BatchView(
            UUID id,
            String status,
            String format,
            long lines,
            long badLines,
            long done,
            Instant createdAt,
            Instant receivedAt,
            Instant finishedAt,
            String results) {}

    @Operation(
            summary = "Decide a file of decision requests, one per line (role BATCH)",
            description =
                    "JSON lines (one decision request per line, as POST /api/v1/credit-decisions takes it) or CSV "
                            + "(a header naming the request's fields by path: customer.id, order.amount, ...; flags with "
                            + "spaces between them). Every line is an assessment: no order id, no hold, no referral case. "
                            + "Answers 202 once every line is stored; the lines are decided in the background. With an "
                            + "Idempotency-Key, the same file sent again answers 200 with the same batch; another file 422.")
    @RequestBody(
            content = {
                @Content(mediaType = NDJSON, schema = @Schema(type = "string")),
                @Content(mediaType = JSONL, schema = @Schema(type = "string")),
                @Content(mediaType = CSV, schema = @Schema(type = "string"))
            })
    @PostMapping(
            path = BATCHES,
            consumes = {NDJSON, JSONL, CSV},
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<BatchView> submit(
            HttpServletRequest request,
            @RequestHeader(name = IdempotencyKeys.HEADER, required = false) String idempotencyKey,
            Principal client)
            throws IOException {
        if (!IdempotencyKeys.acceptable(idempotencyKey)) {
            throw InvalidRequestException.of("Invalid batch", IdempotencyKeys.HEADER, IdempotencyKeys.RULE);
        }
        MediaType type = MediaType.parseMediaType(request.getContentType());
        if (type.getCharset() != null && !StandardCharsets.UTF_8.equals(type.getCharset())) {
            throw new ApiProblemException(
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    ProblemTypes.UNSUPPORTED_MEDIA_TYPE,
                    "Unsupported media type",
                    "A batch file must be UTF-8; charset " + type.getCharset() + " is not accepted");
        }
        BatchUploads.Format format =
                type.getSubtype().equals("csv") ? BatchUploads.Format.CSV : BatchUploads.Format.JSON_LINES;
        BatchUploads.Received received;
        try {
            received = uploads.receive(request.getInputStream(), format, client.getName(), idempotencyKey);
        } catch (IOException e) {
            ApiProblemException tooLarge = ProblemResponses.payloadTooLarge(e);
            if (tooLarge != null) {
                throw tooLarge;
            }
            throw e;
        } catch (BatchUploads.Unreadable e) {
            throw new ApiProblemException(
                            HttpStatus.UNPROCESSABLE_ENTITY,
                            ProblemTypes.BATCH_REJECTED,
                            "Batch file rejected",
                            "The file cannot be read past line " + e.line + "; no line of it is decided")
                    .with("line", e.line)
                    .with("errors", e.errors);
        } catch (BatchUploads.TooManyLines e) {
            throw new ApiProblemException(
                    HttpStatus.PAYLOAD_TOO_LARGE, ProblemTypes.PAYLOAD_TOO_LARGE, "Too many lines", e.getMessage());
        } catch (BatchUploads.KeyReused e) {
            throw new ApiProblemException(
                            HttpStatus.UNPROCESSABLE_ENTITY,
                            ProblemTypes.IDEMPOTENCY_KEY_REUSED,
                            "Idempotency-Key reused",
                            "This Idempotency-Key was already used for a different file; use a new key for a new "
                                    + "batch.")
                    .with("originalBatchId", e.original);
        } catch (BatchUploads.StillReceiving e) {
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.RETRY_AFTER, "1");
            throw new ApiProblemException(
                    HttpStatus.CONFLICT,
                    ProblemTypes.CONFLICT,
                    "Batch still being received",
                    "A batch with this Idempotency-Key is still being received; retry when it is.",
                    headers);
        }
        BatchView view = view(received.batch());
        return ResponseEntity.status(received.created() ? HttpStatus.ACCEPTED : HttpStatus.OK)
                .location(URI.create(BATCHES + "/" + view.id()))
                .body(view);
    }

    @Operation(summary = "A batch's status and progress (role BATCH, the client that sent it)")
    @GetMapping(path = BATCHES + "/{batchId}", produces = MediaType.APPLICATION_JSON_VALUE)
    BatchView status(@PathVariable String batchId, Principal client) {
        return view(own(batchId, client));
    }

    @Operation(
            summary = "A batch's results in the file's order, once it is done (role BATCH, the client that sent it)",
            description = "JSON lines (default) of {line, decisionId, outcome, ..., rulesetVersion, decidedAt}, or "
                    + "{line, problem} for a line that is no valid request; CSV with Accept: text/csv. 409 while the "
                    + "batch is still running.")
    @GetMapping(
            path = BATCHES + "/{batchId}/results",
            produces = {NDJSON, JSONL, CSV})
    ResponseEntity<StreamingResponseBody> results(
            @PathVariable String batchId,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept,
            Principal client) {
        JdbcBatches.Batch batch = own(batchId, client);
        if (batch.status() != JdbcBatches.Status.DONE) {
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.RETRY_AFTER, "5");
            throw new ApiProblemException(
                            HttpStatus.CONFLICT,
                            ProblemTypes.CONFLICT,
                            "Batch not done",
                            "The batch's results are ready once every line is decided; " + batches.done(batch.id())
                                    + " of " + batch.lines() + " are.",
                            headers)
                    .with("status", batch.status().name());
        }
        boolean csv = wantsCsv(accept);
        StreamingResponseBody body = out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
            if (csv) {
                writer.write(String.join(",", CSV_COLUMNS));
                writer.write("\r\n");
            }
            try {
                batches.results(batch.id(), RESULT_PAGE, line -> {
                    try {
                        writer.write(csv ? csvRow(line.resultJson()) : line.resultJson());
                        writer.write(csv ? "\r\n" : "\n");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            writer.flush();
        };
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(csv ? CSV + ";charset=UTF-8" : NDJSON))
                .body(body);
    }

    /** CSV when the client prefers it to JSON lines. */
    private static boolean wantsCsv(String accept) {
        if (accept == null) {
            return false;
        }
        List<MediaType> types = new ArrayList<>(MediaType.parseMediaTypes(accept));
        MediaType.sortBySpecificityAndQuality(types);
        for (MediaType type : types) {
            if (type.isCompatibleWith(MediaType.parseMediaType(NDJSON))
                    || type.isCompatibleWith(MediaType.parseMediaType(JSONL))) {
                return false;
            }
            if (type.isCompatibleWith(MediaType.parseMediaType(CSV))) {
                return true;
            }
        }
        return false;
    }

    private String csvRow(String resultJson) throws IOException {
        JsonNode result = results.readTree(resultJson);
        List<String> cells = new ArrayList<>(CSV_COLUMNS.size());
        for (String column : CSV_COLUMNS) {
            JsonNode value = result.get(column);
            if (value == null || value.isNull()) {
                cells.add("");
            } else if (column.equals("problem")) {
                List<String> errors = new ArrayList<>();
                value.path("errors")
                        .forEach(e -> errors.add(
                                (e.hasNonNull("field") ? e.get("field").asText() + " " : "")
                                        + e.path("message").asText()));
                cells.add(CsvCells.cell(String.join("; ", errors)));
            } else if (value.isArray()) {
                cells.add(CsvCells.cell(StreamSupport.stream(value.spliterator(), false)
                        .map(JsonNode::asText)
                        .reduce((a, b) -> a + " " + b)
                        .orElse("")));
            } else if (value.isNumber()) {
                cells.add(value.decimalValue().toPlainString());
            } else {
                cells.add(CsvCells.cell(value.asText()));
            }
        }
        return String.join(",", cells);
    }

    /** The client's own batch; another client's is as unknown as one that does not exist. */
    private JdbcBatches.Batch own(String batchId, Principal client) {
        UUID id = uuid(batchId);
        return batches.find(id)
                .filter(b -> b.client().equals(client.getName()))
                .orElseThrow(() -> new ApiProblemException(
                        HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "Not found", "No batch " + id));
    }

    private BatchView view(JdbcBatches.Batch b) {
        long done = b.status() == JdbcBatches.Status.DONE ? b.lines() : batches.done(b.id());
        return new BatchView(
                b.id(),
                b.status().name(),
                b.format(),
                b.lines(),
                b.badLines(),
                done,
                b.createdAt(),
                b.receivedAt(),
                b.finishedAt(),
                BATCHES + "/" + b.id() + "/results");
    }

    private static UUID uuid(String value) {
        try {
            if (value.length() == 36) {
                return UUID.fromString(value);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw InvalidRequestException.of("Invalid batch id", "batchId", "must be a UUID");
    }
}
