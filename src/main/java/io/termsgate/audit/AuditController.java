package io.termsgate.audit;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.termsgate.engine.FieldRule;
import io.termsgate.engine.Outcome;
import io.termsgate.engine.RulesetSource;
import io.termsgate.web.ApiProblemException;
import io.termsgate.web.FieldError;
import io.termsgate.web.InvalidRequestException;
import io.termsgate.web.ProblemTypes;
import io.termsgate.web.QueryParameters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The auditor's API: look up any decision, search and export the log, replay a decision, verify the hash chain.
 */
@RestController
class AuditController {

    static final String DECISIONS = "/api/v1/credit-decisions";
    private static final int MAX_PAGE_SIZE = 200;

    private final DecisionLog decisionLog;
    private final Replays replays;
    private final ChainVerifier verifier;
    private final DecisionExport export;
    private final AuditSigningKey signingKey;

    AuditController(
            DecisionLog decisionLog,
            Replays replays,
            ChainVerifier verifier,
            DecisionExport export,
            AuditSigningKey signingKey) {
        this.decisionLog = decisionLog;
        this.signingKey = signingKey;
        this.export = export;
        this.replays = replays;
        this.verifier = verifier;
    }

    /** The whole record of one decision, as logged. JSON fields are the stored text, unaltered. */
    record DecisionRecordView(
            UUID decisionId,
            long seq,
            Instant decidedAt,

            @Schema(nullable = true, description = "null once the customer's personal data is erased")
            String customerId,

            @Schema(
                    description = "SEALED (kept encrypted), ERASED (the customer's key destroyed: no customer id, no"
                            + " request) or CLEAR (logged before personal data was sealed)")
            String personalData,

            String client,
            String idempotencyKey,
            String rulesetVersion,

            @Schema(type = "object", description = "engine library versions") @JsonRawValue
            String engineVersions,

            @Schema(type = "object", description = "the canonical request, every field explicit") @JsonRawValue
            String request,

            @Schema(
                    type = "object",
                    description = "outcome, route, score, grade, limit, available credit, term, currency, reasons")
            @JsonRawValue
            String result,

            @Schema(type = "object", description = "rules fired, rows matched, DMN decisions") @JsonRawValue
            String trace,

            @Schema(nullable = true, description = "the order's reference; null for an assessment")
            String orderId,

            @Schema(
                    type = "object",
                    nullable = true,
                    description = "what the decision saw of the buyer's credit line (balance and its source, the"
                            + " receivables snapshot, the other orders' holds) and the hold it placed or replaced;"
                            + " null in records logged before credit lines")
            @JsonRawValue
            String creditLine,

            long evaluationMicros,
            String requestSha256,
            String previousHash,
            String hash) {

        static DecisionRecordView of(LoggedDecision d) {
            DecisionRecord r = d.record();
            return new DecisionRecordView(
                    r.decisionId(),
                    d.seq(),
                    r.decidedAt(),
                    r.customerId(),
                    r.personalData(),
                    r.client(),
                    r.idempotencyKey(),
                    r.rulesetVersion(),
                    r.engineVersionsJson(),
                    r.requestJson(),
                    r.resultJson(),
                    r.traceJson(),
                    r.orderId(),
                    r.creditLineJson(),
                    r.evaluationMicros(),
                    r.requestSha256(),
                    d.previousHash(),
                    d.hash());
        }
    }

    /** One line of a search: enough to pick a decision out, with its result. */
    record DecisionSummary(
            UUID decisionId,
            long seq,
            Instant decidedAt,

            @Schema(nullable = true, description = "null once the customer's personal data is erased")
            String customerId,

            String personalData,
            String client,
            String rulesetVersion,

            @Schema(
                    type = "object",
                    description = "outcome, route, score, grade, limit, available credit, term, currency, reasons")
            @JsonRawValue
            String result) {

        static DecisionSummary of(LoggedDecision d) {
            DecisionRecord r = d.record();
            return new DecisionSummary(
                    r.decisionId(),
                    d.seq(),
                    r.decidedAt(),
                    r.customerId(),
                    r.personalData(),
                    r.client(),
                    r.rulesetVersion(),
                    r.resultJson());
        }
    }

    record SearchPage(List<DecisionSummary> items, int page, int size, long totalItems, long totalPages) {}

    @Operation(summary = "A decision's whole logged record (role AUDITOR)")
    @GetMapping(path = DECISIONS + "/{decisionId}", produces = MediaType.APPLICATION_JSON_VALUE)
    DecisionRecordView decision(@PathVariable String decisionId) {
        UUID id = uuid(decisionId);
        return decisionLog
                .find(id)
                .map(DecisionRecordView::of)
                .orElseThrow(() -> notFound("No decision " + id + " in the log"));
    }

    @Operation(summary = "Search the decision log, newest first (role AUDITOR)")
    @GetMapping(path = DECISIONS, produces = MediaType.APPLICATION_JSON_VALUE)
    SearchPage search(
            @RequestParam Optional<String> customerId,
            @RequestParam Optional<String> from,
            @RequestParam Optional<String> to,
            @RequestParam Optional<String> outcome,
            @RequestParam Optional<String> rulesetVersion,
            @RequestParam Optional<String> page,
            @RequestParam Optional<String> size) {
        List<FieldError> errors = new ArrayList<>();
        DecisionLog.DecisionQuery query = query(customerId, from, to, outcome, rulesetVersion, errors);
        int pageNumber = QueryParameters.integer("page", page, 0, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE, errors);
        int pageSize = QueryParameters.integer("size", size, 20, 1, MAX_PAGE_SIZE, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("Invalid search", errors);
        }
        long total = decisionLog.count(query);
        List<DecisionSummary> items = decisionLog.search(query, pageNumber, pageSize).stream()
                .map(DecisionSummary::of)
                .toList();
        return new SearchPage(items, pageNumber, pageSize, total, (total + pageSize - 1) / pageSize);
    }

    /** The same search, every match, as CSV for the auditors' own tools. */
    @Operation(summary = "Every decision matching a search, as CSV (role AUDITOR)")
    @ApiResponse(
            responseCode = "200",
            description = "RFC 4180 CSV, UTF-8",
            content = @Content(mediaType = "text/csv", schema = @Schema(type = "string")))
    @GetMapping(path = DECISIONS + "/export", produces = "text/csv")
    ResponseEntity<StreamingResponseBody> export(
            @RequestParam Optional<String> customerId,
            @RequestParam Optional<String> from,
            @RequestParam Optional<String> to,
            @RequestParam Optional<String> outcome,
            @RequestParam Optional<String> rulesetVersion) {
        List<FieldError> errors = new ArrayList<>();
        DecisionLog.DecisionQuery query = query(customerId, from, to, outcome, rulesetVersion, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("Invalid search", errors);
        }
        return export.csv(query);
    }

    @Operation(
            summary =
                    "Re-evaluate a logged decision under its own ruleset version, or another stored one (role AUDITOR)")
    @PostMapping(path = DECISIONS + "/{decisionId}/replay", produces = MediaType.APPLICATION_JSON_VALUE)
    Replays.Replay replay(@PathVariable String decisionId, @RequestParam Optional<String> rulesetVersion) {
        UUID id = uuid(decisionId);
        if (rulesetVersion.isPresent() && !RulesetSource.isVersion(rulesetVersion.get())) {
            throw InvalidRequestException.of("Invalid replay", "rulesetVersion", "must be sha256: and 64 hex digits");
        }
        try {
            return replays.replay(id, rulesetVersion);
        } catch (Replays.NotFound e) {
            throw notFound(e.getMessage());
        } catch (Replays.Erased e) {
            throw new ApiProblemException(
                    HttpStatus.GONE, ProblemTypes.PERSONAL_DATA_ERASED, "Personal data erased", e.getMessage());
        }
    }

    @Operation(
            summary = "What the retention lets leave the database now, and what has left (role AUDITOR)",
            description =
                    "Records may be archived (exported, then deleted by the schema owner) up to"
                            + " archivableThroughSeq: the latest signed checkpoint written at least termsgate.audit.retention"
                            + " ago. Verify then starts from that checkpoint (docs/operations.md, \"Retention and archiving\").")
    @GetMapping(path = "/api/v1/audit/retention", produces = MediaType.APPLICATION_JSON_VALUE)
    ChainVerifier.Retention retention() {
        return verifier.retention();
    }

    @Operation(summary = "Walk the hash chain and report the first broken link (role AUDITOR)")
    @GetMapping(path = "/api/v1/audit/verify", produces = MediaType.APPLICATION_JSON_VALUE)
    ChainReport verify(@RequestParam Optional<String> from, @RequestParam Optional<String> to) {
        List<FieldError> errors = new ArrayList<>();
        Instant start = QueryParameters.instant("from", from, errors);
        Instant end = QueryParameters.instant("to", to, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("Invalid verification window", errors);
        }
        return verifier.verify(start, end);
    }

    @Operation(
            summary = "The public key that verifies the signed checkpoints of the log, PEM SubjectPublicKeyInfo"
                    + " (role AUDITOR)")
    @GetMapping(path = "/api/v1/audit/public-key", produces = "application/x-pem-file")
    String publicKey() {
        return signingKey.publicKeyPem();
    }

    private static DecisionLog.DecisionQuery query(
            Optional<String> customerId,
            Optional<String> from,
            Optional<String> to,
            Optional<String> outcome,
            Optional<String> rulesetVersion,
            List<FieldError> errors) {
        if (customerId.isPresent()
                && !FieldRule.REFERENCE.matcher(customerId.get()).matches()) {
            errors.add(new FieldError("customerId", FieldRule.REFERENCE_RULE));
        }
        Instant start = QueryParameters.instant("from", from, errors);
        Instant end = QueryParameters.instant("to", to, errors);
        QueryParameters.checkWindow(start, end, errors);
        if (outcome.isPresent()
                && List.of(Outcome.values()).stream().noneMatch(o -> o.name().equals(outcome.get()))) {
            errors.add(new FieldError("outcome", "must be one of APPROVED, REFERRED, DECLINED"));
        }
        if (rulesetVersion.isPresent() && !RulesetSource.isVersion(rulesetVersion.get())) {
            errors.add(new FieldError("rulesetVersion", "must be sha256: and 64 hex digits"));
        }
        return new DecisionLog.DecisionQuery(
                customerId.orElse(null), start, end, outcome.orElse(null), rulesetVersion.orElse(null));
    }

    private static UUID uuid(String value) {
        try {
            if (value.length() == 36) {
                return UUID.fromString(value);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw InvalidRequestException.of("Invalid decision id", "decisionId", "must be a UUID");
    }

    private static ApiProblemException notFound(String detail) {
        return new ApiProblemException(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "Not found", detail);
    }
}
