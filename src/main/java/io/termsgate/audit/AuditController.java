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
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
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
    private static final Pattern ACTOR = Pattern.compile("[^\\p{Cntrl}]{1,100}");

    private final DecisionLog decisionLog;
    private final Replays replays;
    private final ChainVerifier verifier;
    private final DecisionExport export;
    private final AuditSigningKey signingKey;
    private final AccessLog accessLog;

    AuditController(
            DecisionLog decisionLog,
            Replays replays,
            ChainVerifier verifier,
            DecisionExport export,
            AuditSigningKey signingKey,
            AccessLog accessLog) {
        this.decisionLog = decisionLog;
        this.accessLog = accessLog;
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

    /**
     * A page of a search. With {@code after} (keyset paging) there is no count: {@code totalItems} and
     * {@code totalPages} are null.
     *
     * @param next the cursor of the following page ({@code after=next}), null on the last page
     */
    record SearchPage(
            List<DecisionSummary> items,

            @Schema(nullable = true, description = "the page number; null when paged with after")
            Integer page,

            int size,
            @Schema(nullable = true) Long totalItems,
            @Schema(nullable = true) Long totalPages,

            @Schema(nullable = true, description = "pass as after for the next page; null on the last page")
            String next) {}

    /** A page of the access log, newest first. */
    record AccessPage(
            List<AccessEntry> items,
            int size,

            @Schema(nullable = true, description = "pass as after for the next page; null on the last page")
            String next) {}

    @Operation(summary = "A decision's whole logged record (role AUDITOR)")
    @GetMapping(path = DECISIONS + "/{decisionId}", produces = MediaType.APPLICATION_JSON_VALUE)
    DecisionRecordView decision(@PathVariable String decisionId, Authentication who) {
        UUID id = uuid(decisionId);
        Optional<LoggedDecision> found = decisionLog.find(id);
        accessLog.record(who, AccessLog.Action.READ, id, Map.of(), found.isPresent() ? 1L : 0L);
        return found.map(DecisionRecordView::of).orElseThrow(() -> notFound("No decision " + id + " in the log"));
    }

    @Operation(
            summary = "Search the decision log, newest first (role AUDITOR)",
            description = "Page with after=next (keyset paging: as cheap on the thousandth page as on the first, and"
                    + " no count); page and size (OFFSET paging with a count) are kept for compatibility, for the"
                    + " first pages only.")
    @GetMapping(path = DECISIONS, produces = MediaType.APPLICATION_JSON_VALUE)
    SearchPage search(
            @RequestParam Optional<String> customerId,
            @RequestParam Optional<String> from,
            @RequestParam Optional<String> to,
            @RequestParam Optional<String> outcome,
            @RequestParam Optional<String> rulesetVersion,
            @RequestParam Optional<String> page,
            @RequestParam Optional<String> size,
            @RequestParam Optional<String> after,
            Authentication who) {
        List<FieldError> errors = new ArrayList<>();
        DecisionLog.DecisionQuery query = query(customerId, from, to, outcome, rulesetVersion, errors);
        int pageNumber = QueryParameters.integer("page", page, 0, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE, errors);
        int pageSize = QueryParameters.integer("size", size, 20, 1, MAX_PAGE_SIZE, errors);
        Cursor cursor = null;
        if (after.isPresent()) {
            cursor = Cursor.decision(after.get());
            if (cursor == null) {
                errors.add(new FieldError("after", "must be a next cursor given by this search"));
            } else if (page.isPresent()) {
                errors.add(new FieldError("after", "cannot be combined with page"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("Invalid search", errors);
        }
        List<LoggedDecision> found;
        Long total = null;
        boolean more;
        if (cursor != null) {
            found = decisionLog.searchAfter(query, cursor.at(), cursor.seq(), pageSize + 1);
            more = found.size() > pageSize;
            found = more ? found.subList(0, pageSize) : found;
        } else {
            total = decisionLog.count(query);
            found = decisionLog.search(query, pageNumber, pageSize);
            more = (long) (pageNumber + 1) * pageSize < total;
        }
        String next = null;
        if (more && !found.isEmpty()) {
            LoggedDecision last = found.get(found.size() - 1);
            next = Cursor.ofDecision(last.record().decidedAt(), last.seq());
        }
        List<DecisionSummary> items = found.stream().map(DecisionSummary::of).toList();
        accessLog.record(
                who,
                AccessLog.Action.SEARCH,
                null,
                AccessLog.parameters(
                        "customerId", customerId,
                        "from", from,
                        "to", to,
                        "outcome", outcome,
                        "rulesetVersion", rulesetVersion,
                        "page", page,
                        "size", size,
                        "after", after),
                (long) items.size());
        return cursor != null
                ? new SearchPage(items, null, pageSize, null, null, next)
                : new SearchPage(items, pageNumber, pageSize, total, (total + pageSize - 1) / pageSize, next);
    }

    /** The same search, every match, as CSV or JSON for the auditors' own tools, ending with a trailer. */
    @Operation(
            summary = "Every decision matching a search, as CSV or JSON, ending with its row count and last hash"
                    + " (role AUDITOR)",
            description = "format=csv (the default): RFC 4180, its last line #end,rows=N,last_hash=H. format=json:"
                    + " {\"records\":[...],\"rows\":N,\"lastHash\":H}. A file without its trailer was cut short.")
    @ApiResponse(
            responseCode = "200",
            description = "RFC 4180 CSV, UTF-8; or JSON",
            content = {
                @Content(mediaType = "text/csv", schema = @Schema(type = "string")),
                @Content(mediaType = "application/json", schema = @Schema(type = "object"))
            })
    @GetMapping(
            path = DECISIONS + "/export",
            produces = {"text/csv", MediaType.APPLICATION_JSON_VALUE})
    ResponseEntity<StreamingResponseBody> export(
            @RequestParam Optional<String> customerId,
            @RequestParam Optional<String> from,
            @RequestParam Optional<String> to,
            @RequestParam Optional<String> outcome,
            @RequestParam Optional<String> rulesetVersion,
            @RequestParam Optional<String> format,
            Authentication who) {
        List<FieldError> errors = new ArrayList<>();
        DecisionLog.DecisionQuery query = query(customerId, from, to, outcome, rulesetVersion, errors);
        if (format.isPresent() && !format.get().equals("csv") && !format.get().equals("json")) {
            errors.add(new FieldError("format", "must be csv or json"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("Invalid search", errors);
        }
        // recorded before the first byte: the count is the file's own trailer
        accessLog.record(
                who,
                AccessLog.Action.EXPORT,
                null,
                AccessLog.parameters(
                        "customerId", customerId,
                        "from", from,
                        "to", to,
                        "outcome", outcome,
                        "rulesetVersion", rulesetVersion,
                        "format", format),
                null);
        return format.orElse("csv").equals("json") ? export.json(query) : export.csv(query);
    }

    @Operation(
            summary =
                    "Re-evaluate a logged decision under its own ruleset version, or another stored one (role AUDITOR)")
    @PostMapping(path = DECISIONS + "/{decisionId}/replay", produces = MediaType.APPLICATION_JSON_VALUE)
    Replays.Replay replay(
            @PathVariable String decisionId, @RequestParam Optional<String> rulesetVersion, Authentication who) {
        UUID id = uuid(decisionId);
        if (rulesetVersion.isPresent() && !RulesetSource.isVersion(rulesetVersion.get())) {
            throw InvalidRequestException.of("Invalid replay", "rulesetVersion", "must be sha256: and 64 hex digits");
        }
        Map<String, Object> parameters = AccessLog.parameters("rulesetVersion", rulesetVersion);
        Replays.Replay replay;
        try {
            replay = replays.replay(id, rulesetVersion);
        } catch (Replays.NotFound e) {
            accessLog.record(who, AccessLog.Action.REPLAY, id, parameters, 0L);
            throw notFound(e.getMessage());
        } catch (Replays.Erased e) {
            throw new ApiProblemException(
                    HttpStatus.GONE, ProblemTypes.PERSONAL_DATA_ERASED, "Personal data erased", e.getMessage());
        }
        accessLog.record(who, AccessLog.Action.REPLAY, id, parameters, 1L);
        return replay;
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
    ChainReport verify(@RequestParam Optional<String> from, @RequestParam Optional<String> to, Authentication who) {
        List<FieldError> errors = new ArrayList<>();
        Instant start = QueryParameters.instant("from", from, errors);
        Instant end = QueryParameters.instant("to", to, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("Invalid verification window", errors);
        }
        ChainReport report = verifier.verify(start, end);
        accessLog.record(
                who, AccessLog.Action.VERIFY, null, AccessLog.parameters("from", from, "to", to), report.checked());
        return report;
    }

    @Operation(
            summary = "Who looked: the access log, newest first (role AUDITOR)",
            description = "Every read, search, export, replay and verification of the decision log by an auditor,"
                    + " and every read of this log. Page with after=next.")
    @GetMapping(path = "/api/v1/audit/access-log", produces = MediaType.APPLICATION_JSON_VALUE)
    AccessPage accessLog(
            @RequestParam Optional<String> actor,
            @RequestParam Optional<String> action,
            @RequestParam Optional<String> from,
            @RequestParam Optional<String> to,
            @RequestParam Optional<String> size,
            @RequestParam Optional<String> after,
            Authentication who) {
        List<FieldError> errors = new ArrayList<>();
        if (actor.isPresent() && !ACTOR.matcher(actor.get()).matches()) {
            errors.add(new FieldError("actor", "must be a person's or a key's name, 1 to 100 characters"));
        }
        AccessLog.Action actionFilter = null;
        if (action.isPresent()) {
            actionFilter = List.of(AccessLog.Action.values()).stream()
                    .filter(a -> a.name().equals(action.get()))
                    .findFirst()
                    .orElse(null);
            if (actionFilter == null) {
                errors.add(new FieldError("action", "must be one of " + List.of(AccessLog.Action.values())));
            }
        }
        Instant start = QueryParameters.instant("from", from, errors);
        Instant end = QueryParameters.instant("to", to, errors);
        QueryParameters.checkWindow(start, end, errors);
        int pageSize = QueryParameters.integer("size", size, 50, 1, MAX_PAGE_SIZE, errors);
        Long before = null;
        if (after.isPresent()) {
            before = Cursor.access(after.get());
            if (before == null) {
                errors.add(new FieldError("after", "must be a next cursor given by this endpoint"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("Invalid access log search", errors);
        }
        List<AccessEntry> found = accessLog.search(
                new AccessLog.Query(actor.orElse(null), actionFilter, start, end, before), pageSize + 1);
        String next = null;
        if (found.size() > pageSize) {
            found = found.subList(0, pageSize);
            next = Cursor.ofAccess(found.get(pageSize - 1).seq());
        }
        accessLog.record(
                who,
                AccessLog.Action.ACCESS_LOG,
                null,
                AccessLog.parameters(
                        "actor", actor, "action", action, "from", from, "to", to, "size", size, "after", after),
                (long) found.size());
        return new AccessPage(List.copyOf(found), pageSize, next);
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
