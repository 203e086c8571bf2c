package io.termsgate.referral;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.termsgate.audit.AccessLog;
import io.termsgate.audit.DecisionLog;
import io.termsgate.audit.DecisionRecord;
import io.termsgate.engine.ApprovalRoute;
import io.termsgate.engine.FieldRule;
import io.termsgate.security.Role;
import io.termsgate.web.ApiProblemException;
import io.termsgate.web.FieldError;
import io.termsgate.web.InvalidRequestException;
import io.termsgate.web.JsonBodies;
import io.termsgate.web.ProblemTypes;
import io.termsgate.web.QueryParameters;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Referred orders over HTTP: the approvers' queue and cases, their approve and decline, checkout's view of a
 * decision's final state, and the auditors' check of the referrals' hash chain. Who may call which is decided before
 * this runs (security.SecurityConfig); what a person's level and authority allow is decided by {@link Referrals}.
 */
@RestController
class ReferralController {

    static final String REFERRALS = "/api/v1/referrals";
    private static final String PROBLEM = "#/components/schemas/Problem";
    static final int MAX_PAGE_SIZE = 100;
    static final int MAX_NOTE = 2000;
    static final int MAX_REASONS = 20;
    private static final Pattern REASON = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("1E15");

    private final Referrals referrals;
    private final DecisionStatuses statuses;
    private final DecisionLog decisionLog;
    private final JsonBodies jsonBodies;

    private final AccessLog accessLog;

    ReferralController(
            Referrals referrals,
            DecisionStatuses statuses,
            DecisionLog decisionLog,
            JsonBodies jsonBodies,
            AccessLog accessLog) {
        this.referrals = referrals;
        this.accessLog = accessLog;
        this.statuses = statuses;
        this.decisionLog = decisionLog;
        this.jsonBodies = jsonBodies;
    }

    /** A page of cases. */
    record CasePage(List<ReferralCase> items, int page, int size, long total) {}

    /** One case with the decision it answers (request, result, trace as logged) and its history. */
    record CaseDetail(ReferralCase referral, DecisionView decision, List<ReferralEvent> history) {}

    /** The referred decision as the log holds it. */
    record DecisionView(
            UUID decisionId,
            Instant decidedAt,
            String rulesetVersion,
            String outcome,
            String approvalRoute,
            @Schema(type = "object") @JsonRawValue String request,
            @Schema(type = "object") @JsonRawValue String result,
            @Schema(type = "object") @JsonRawValue String trace,

            @Schema(type = "object", nullable = true) @JsonRawValue
            String creditLine) {

        static DecisionView of(DecisionRecord r) {
            return new DecisionView(
                    r.decisionId(),
                    r.decidedAt(),
                    r.rulesetVersion(),
                    r.outcome(),
                    r.approvalRoute(),
                    r.requestJson(),
                    r.resultJson(),
                    r.traceJson(),
                    r.creditLineJson());
        }
    }

    @Operation(
            summary = "Referral cases, oldest due first (CREDIT_ANALYST, CREDIT_MANAGER, CFO, AUDITOR)",
            description = "Filters: status (OPEN, APPROVED, DECLINED, EXPIRED), route (CREDIT_ANALYST, CREDIT_MANAGER,"
                    + " CFO), customerId; page from 0, size 1 to " + MAX_PAGE_SIZE + " (default 20).")
    @GetMapping(path = REFERRALS, produces = MediaType.APPLICATION_JSON_VALUE)
    CasePage list(
            @RequestParam Optional<String> status,
            @RequestParam Optional<String> route,
            @RequestParam Optional<String> customerId,
            @RequestParam Optional<String> page,
            @RequestParam Optional<String> size) {
        List<FieldError> errors = new ArrayList<>();
        ReferralStatus statusFilter = status.map(s -> parse(ReferralStatus.class, "status", s, errors))
                .orElse(null);
        ApprovalRoute routeFilter = route.map(r -> level("route", r, errors)).orElse(null);
        if (customerId.isPresent()
                && !FieldRule.REFERENCE.matcher(customerId.get()).matches()) {
            errors.add(new FieldError("customerId", FieldRule.REFERENCE_RULE));
        }
        int pageNumber = QueryParameters.integer("page", page, 0, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE, errors);
        int pageSize = QueryParameters.integer("size", size, 20, 1, MAX_PAGE_SIZE, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("Invalid referrals query", errors);
        }
        String customer = customerId.orElse(null);
        return new CasePage(
                referrals.search(statusFilter, routeFilter, customer, pageNumber, pageSize),
                pageNumber,
                pageSize,
                referrals.count(statusFilter, routeFilter, customer));
    }

    @Operation(summary = "One referral case with its decision, trace and history")
    @GetMapping(path = REFERRALS + "/{referralId}", produces = MediaType.APPLICATION_JSON_VALUE)
    CaseDetail one(@PathVariable String referralId) {
        ReferralCase c = referrals.find(uuid("referralId", referralId)).orElseThrow(() -> notFound(referralId));
        DecisionView decision = decisionLog
                .find(c.decisionId())
                .map(d -> DecisionView.of(d.record()))
                .orElse(null);
        return new CaseDetail(c, decision, referrals.history(c.id()));
    }

    @Operation(
            summary = "Approve a referred order (CREDIT_ANALYST, CREDIT_MANAGER, CFO within their authority)",
            description = "Body: {\"note\": \"...\", \"creditLimit\"?: n, \"termDays\"?: n}; without them the"
                    + " policy's numbers are granted. 200 with the final decision, and the order's hold when it has an"
                    + " order id; 202 when the authority table asks for a second approver (four eyes) and this was"
                    + " the first.")
    @ApiResponse(responseCode = "200", description = "Approved: the decision's final state")
    @ApiResponse(responseCode = "202", description = "The first of two approvals: the case waits for a second person")
    @ApiResponse(
            responseCode = "403",
            description = "The case's level or the terms are beyond the caller's authority (requiredLevel names the"
                    + " level that may), or the same person approves twice",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = PROBLEM)))
    @ApiResponse(
            responseCode = "409",
            description = "Decided already, or the order was decided again since",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = PROBLEM)))
    @PostMapping(path = REFERRALS + "/{referralId}/approve", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Object> approve(
            @PathVariable String referralId, @RequestBody(required = false) byte[] body, Authentication who) {
        UUID id = uuid("referralId", referralId);
        JsonNode json = object(body, "approval", Set.of("note", "creditLimit", "termDays"));
        List<FieldError> errors = new ArrayList<>();
        String note = note(json, errors);
        BigDecimal creditLimit = json.has("creditLimit") ? creditLimit(json.get("creditLimit"), errors) : null;
        Integer termDays = json.has("termDays") ? termDays(json.get("termDays"), errors) : null;
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("Invalid approval", errors);
        }
        Referrals.Approval approval =
                referrals.approve(id, approver(who), new Referrals.Terms(creditLimit, termDays), note);
        if (approval.awaitingSecondApprover()) {
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(approval.referral());
        }
        return ResponseEntity.ok(status(approval.referral().decisionId()));
    }

    @Operation(
            summary = "Decline a referred order (CREDIT_ANALYST, CREDIT_MANAGER, CFO at the case's level or above)",
            description = "Body: {\"reasons\": [\"CODE\", ...], \"note\": \"...\"}; reasons are 1 to " + MAX_REASONS
                    + " codes of A-Z 0-9 _.")
    @ApiResponse(
            responseCode = "409",
            description = "Decided already",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = PROBLEM)))
    @PostMapping(path = REFERRALS + "/{referralId}/decline", produces = MediaType.APPLICATION_JSON_VALUE)
    DecisionStatus decline(
            @PathVariable String referralId, @RequestBody(required = false) byte[] body, Authentication who) {
        UUID id = uuid("referralId", referralId);
        JsonNode json = object(body, "decline", Set.of("note", "reasons"));
        List<FieldError> errors = new ArrayList<>();
        String note = note(json, errors);
        List<String> reasons = new ArrayList<>();
        JsonNode given = json.path("reasons");
        if (!given.isArray() || given.isEmpty() || given.size() > MAX_REASONS) {
            errors.add(new FieldError("reasons", "must be an array of 1 to " + MAX_REASONS + " reason codes"));
        } else {
            for (int i = 0; i < given.size(); i++) {
                JsonNode reason = given.get(i);
                if (!reason.isTextual() || !REASON.matcher(reason.textValue()).matches()) {
                    errors.add(new FieldError(
                            "reasons[" + i + "]", "must be a reason code: A-Z first, then A-Z 0-9 _, up to 64"));
                } else if (!reasons.contains(reason.textValue())) {
                    reasons.add(reason.textValue());
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("Invalid decline", errors);
        }
        ReferralCase declined =
                referrals.decline(id, approver(who), reasons.stream().sorted().toList(), note);
        return status(declined.decisionId());
    }

    @Operation(
            summary = "A decision's final state, for checkout to poll (CHECKOUT: its own decisions; AUDITOR)",
            description = "final is false while a referral waits for a person; then outcome, decidedBy, decidedAt,"
                    + " creditLimit, termDays and the order's hold are the person's answer.")
    @GetMapping(path = "/api/v1/credit-decisions/{decisionId}/status", produces = MediaType.APPLICATION_JSON_VALUE)
    DecisionStatus decisionStatus(@PathVariable String decisionId, Authentication who) {
        UUID id = uuid("decisionId", decisionId);
        DecisionStatuses.Status status = statuses.of(id).orElseThrow(() -> decisionNotFound(decisionId));
        boolean auditor = roles(who).contains(Role.AUDITOR.authority());
        if (!auditor && !status.client().equals(who.getName())) {
            throw decisionNotFound(decisionId); // another client's decision: as if it did not exist
        }
        return status.status();
    }

    @Operation(
            summary = "Verify the referrals' hash chain (AUDITOR)",
            description = "Beside /api/v1/audit/verify (decisions) and /api/v1/audit/ledger/verify (holds): every"
                    + " approval, decline, escalation and expiry, recomputed and linked, up to the chain's head.")
    @GetMapping(path = "/api/v1/audit/referrals/verify", produces = MediaType.APPLICATION_JSON_VALUE)
    Referrals.ChainReport verify(Authentication who) {
        Referrals.ChainReport report = referrals.verifyChain();
        accessLog.record(who, AccessLog.Action.REFERRALS_VERIFY, null, Map.of(), report.checked());
        return report;
    }

    private DecisionStatus status(UUID decisionId) {
        return statuses.of(decisionId).orElseThrow().status();
    }

    private JsonNode object(byte[] body, String what, Set<String> allowed) {
        if (body == null || body.length == 0) {
            throw InvalidRequestException.of("Invalid " + what, "", "the body must be a JSON object");
        }
        JsonNode json = jsonBodies.parse(body);
        if (!json.isObject()) {
            throw InvalidRequestException.of("Invalid " + what, "", "the body must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        Iterator<String> names = json.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                errors.add(new FieldError(
                        name.length() > 64 ? name.substring(0, 64) + "…" : name,
                        "is not a field of a " + what + "; allowed: "
                                + String.join(", ", allowed.stream().sorted().toList())));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("Invalid " + what, errors);
        }
        return json;
    }

    private static String note(JsonNode json, List<FieldError> errors) {
        JsonNode note = json.path("note");
        if (note.isMissingNode() || note.isNull()) {
            return null;
        }
        if (!note.isTextual() || note.textValue().length() > MAX_NOTE) {
            errors.add(new FieldError("note", "must be a string of at most " + MAX_NOTE + " characters"));
            return null;
        }
        String text = note.textValue();
        if (text.codePoints().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t')) {
            errors.add(new FieldError("note", "must not hold control characters other than new lines and tabs"));
            return null;
        }
        return text.isBlank() ? null : text;
    }

    private static BigDecimal creditLimit(JsonNode node, List<FieldError> errors) {
        if (!node.isNumber() || JsonBodies.isUnreadableNumber(node)) {
            errors.add(new FieldError("creditLimit", "must be a number from 0, below 10^15, with at most 2 decimals"));
            return null;
        }
        BigDecimal value = node.decimalValue();
        if (value.signum() < 0
                || value.compareTo(MAX_AMOUNT) >= 0
                || value.stripTrailingZeros().scale() > 2) {
            errors.add(new FieldError("creditLimit", "must be a number from 0, below 10^15, with at most 2 decimals"));
            return null;
        }
        return value.stripTrailingZeros().scale() < 0 ? value.setScale(0) : value.stripTrailingZeros();
    }

    private static Integer termDays(JsonNode node, List<FieldError> errors) {
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 1 || node.intValue() > 365) {
            errors.add(new FieldError("termDays", "must be a whole number of days from 1 to 365"));
            return null;
        }
        return node.intValue();
    }

    private static Approver approver(Authentication who) {
        return Approver.of(who.getName(), roles(who));
    }

    private static Set<String> roles(Authentication who) {
        Set<String> roles = new java.util.HashSet<>();
        for (GrantedAuthority authority : who.getAuthorities()) {
            roles.add(authority.getAuthority());
        }
        return roles;
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String name, String value, List<FieldError> errors) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(name, "must be one of " + java.util.Arrays.toString(type.getEnumConstants())));
            return null;
        }
    }

    private static ApprovalRoute level(String name, String value, List<FieldError> errors) {
        return switch (value.toUpperCase(Locale.ROOT)) {
            case "CREDIT_ANALYST" -> ApprovalRoute.CREDIT_ANALYST;
            case "CREDIT_MANAGER" -> ApprovalRoute.CREDIT_MANAGER;
            case "CFO" -> ApprovalRoute.CFO;
            default -> {
                errors.add(new FieldError(name, "must be one of CREDIT_ANALYST, CREDIT_MANAGER, CFO"));
                yield null;
            }
        };
    }

    private static UUID uuid(String name, String value) {
        try {
            UUID id = UUID.fromString(value);
            if (id.toString().equals(value.toLowerCase(Locale.ROOT))) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw InvalidRequestException.of("Invalid " + name, name, "must be a UUID");
    }

    private static ApiProblemException notFound(String id) {
        return new ApiProblemException(
                HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "Referral not found", "there is no referral case " + id);
    }

    private static ApiProblemException decisionNotFound(String id) {
        return new ApiProblemException(
                HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "Decision not found", "there is no decision " + id);
    }
}
