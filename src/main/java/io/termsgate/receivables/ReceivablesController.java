package io.termsgate.receivables;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.termsgate.creditapplication.DecisionRequestReader;
import io.termsgate.engine.ApplicationField;
import io.termsgate.engine.DecisionMath;
import io.termsgate.web.ApiProblemException;
import io.termsgate.web.FieldError;
import io.termsgate.web.InvalidRequestException;
import io.termsgate.web.ProblemResponses;
import io.termsgate.web.ProblemTypes;
import io.termsgate.web.QueryParameters;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The ERP's door: receivables files in, and what they said about a buyer out. */
@RestController
class ReceivablesController {

    static final String RECEIVABLES = "/api/v1/receivables";
    static final String CSV = "text/csv";
    static final String NDJSON = "application/x-ndjson";
    static final String JSONL = "application/jsonl";
    private static final int MAX_PAGE_SIZE = 200;

    private final ReceivablesImports imports;
    private final ReceivablesHistory history;

    ReceivablesController(ReceivablesImports imports, ReceivablesHistory history) {
        this.imports = imports;
        this.history = history;
    }

    /** An import, as the ERP and auditors see it. */
    record ImportView(UUID id, String sha256, int rows, int customers, Instant importedAt, String client) {
        static ImportView of(ReceivablesImports.Summary s) {
            return new ImportView(s.id(), s.sha256(), s.rows(), s.customers(), s.importedAt(), s.client());
        }
    }

    /** One snapshot of a buyer; the payment history fields are null where the ERP sent none. */
    record SnapshotView(
            UUID id,
            UUID importId,
            Instant asOf,
            Instant importedAt,
            BigDecimal outstandingBalance,
            Integer invoicesPaid,
            BigDecimal avgDaysBeyondTerms,
            Integer maxDaysPastDue) {}

    record SnapshotPage(
            String customerId, List<SnapshotView> items, int page, int size, long totalItems, long totalPages) {}

    @Operation(
            summary = "Import a receivables file from the ERP, all or nothing, once per file (role ERP_SYNC)",
            description = "CSV with a header row, or JSON lines: customerId, asOf, outstandingBalance, and optionally "
                    + "invoicesPaid, avgDaysBeyondTerms, maxDaysPastDue (blank or null: unknown). 201 for a new "
                    + "import, 200 with the earlier import for a file sent before, 422 naming every bad row "
                    + "(nothing is imported).")
    @RequestBody(
            content = {
                @Content(mediaType = CSV, schema = @Schema(type = "string")),
                @Content(mediaType = NDJSON, schema = @Schema(type = "string")),
                @Content(mediaType = JSONL, schema = @Schema(type = "string"))
            })
    @PostMapping(
            path = RECEIVABLES,
            consumes = {CSV, NDJSON, JSONL},
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ImportView> importFile(HttpServletRequest request, Principal client) throws IOException {
        MediaType type = MediaType.parseMediaType(request.getContentType());
        if (type.getCharset() != null && !StandardCharsets.UTF_8.equals(type.getCharset())) {
            throw new ApiProblemException(
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    ProblemTypes.UNSUPPORTED_MEDIA_TYPE,
                    "Unsupported media type",
                    "A receivables file must be UTF-8; charset " + type.getCharset() + " is not accepted");
        }
        ReceivablesImports.Format format =
                type.getSubtype().equals("csv") ? ReceivablesImports.Format.CSV : ReceivablesImports.Format.JSON_LINES;
        ReceivablesImports.Outcome outcome;
        try {
            outcome = imports.importFile(request.getInputStream(), format, client.getName());
        } catch (IOException e) {
            ApiProblemException tooLarge = ProblemResponses.payloadTooLarge(e);
            if (tooLarge != null) {
                throw tooLarge;
            }
            throw e;
        } catch (ReceivablesImports.Rejected e) {
            throw rejected(e);
        } catch (ReceivablesImports.TooManyRows e) {
            throw new ApiProblemException(
                    HttpStatus.PAYLOAD_TOO_LARGE, ProblemTypes.PAYLOAD_TOO_LARGE, "Too many rows", e.getMessage());
        } catch (ReceivablesImports.ImportInProgress e) {
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.RETRY_AFTER, "1");
            throw new ApiProblemException(
                    HttpStatus.CONFLICT, ProblemTypes.CONFLICT, "Import in progress", e.getMessage(), headers);
        }
        ImportView view = ImportView.of(outcome.summary());
        URI location = URI.create(RECEIVABLES + "/" + view.id());
        return outcome.created()
                ? ResponseEntity.created(location).body(view)
                : ResponseEntity.ok().location(location).body(view);
    }

    @Operation(summary = "An import's summary (roles ERP_SYNC, AUDITOR)")
    @GetMapping(path = RECEIVABLES + "/{importId}", produces = MediaType.APPLICATION_JSON_VALUE)
    ImportView importSummary(@PathVariable String importId) {
        UUID id = uuid(importId);
        return imports.find(id)
                .map(ImportView::of)
                .orElseThrow(() -> new ApiProblemException(
                        HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "Not found", "No receivables import " + id));
    }

    @Operation(summary = "A buyer's receivables snapshots, latest as-of first (roles AUDITOR, ERP_SYNC)")
    @GetMapping(path = RECEIVABLES + "/customers/{customerId}", produces = MediaType.APPLICATION_JSON_VALUE)
    SnapshotPage snapshots(
            @PathVariable String customerId,
            @Parameter(description = "page number, from 0") @RequestParam Optional<String> page,
            @Parameter(description = "page size, 1 to 200 (default 20)") @RequestParam Optional<String> size) {
        List<FieldError> errors = new ArrayList<>();
        Object id = DecisionRequestReader.cell(customerId, ApplicationField.CUSTOMER_ID, "customerId", errors);
        int pageNumber = QueryParameters.integer("page", page, 0, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE, errors);
        int pageSize = QueryParameters.integer("size", size, 20, 1, MAX_PAGE_SIZE, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("Invalid query", errors);
        }
        long total = history.count((String) id);
        List<SnapshotView> items = history.page((String) id, pageNumber, pageSize).stream()
                .map(s -> new SnapshotView(
                        s.id(),
                        s.importId(),
                        s.asOf(),
                        s.importedAt(),
                        DecisionMath.canonical(s.outstandingBalance()),
                        s.invoicesPaid(),
                        s.avgDaysBeyondTerms() == null ? null : DecisionMath.canonical(s.avgDaysBeyondTerms()),
                        s.maxDaysPastDue()))
                .toList();
        return new SnapshotPage((String) id, items, pageNumber, pageSize, total, (total + pageSize - 1) / pageSize);
    }

    private static ApiProblemException rejected(ReceivablesImports.Rejected e) {
        String detail = e.rows == 0
                ? "The file holds no rows; nothing was imported"
                : e.badRows + " of " + e.rows + " rows are bad (" + e.errorCount + " problems"
                        + (e.errorCount > e.errors.size() ? ", the first " + e.errors.size() + " listed" : "")
                        + "); nothing was imported";
        return new ApiProblemException(
                        HttpStatus.UNPROCESSABLE_ENTITY,
                        ProblemTypes.RECEIVABLES_REJECTED,
                        "Receivables file rejected",
                        detail)
                .with("errors", e.errors)
                .with("errorCount", e.errorCount)
                .with("badRows", e.badRows)
                .with("rows", e.rows);
    }

    private static UUID uuid(String value) {
        try {
            if (value.length() == 36) {
                return UUID.fromString(value);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw InvalidRequestException.of("Invalid import id", "importId", "must be a UUID");
    }
}
