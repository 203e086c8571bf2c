package io.termsgate.creditline;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.termsgate.audit.DecisionLog;
import io.termsgate.audit.DecisionLog.DecisionQuery;
import io.termsgate.audit.LoggedDecision;
import io.termsgate.creditapplication.DecisionRequestReader;
import io.termsgate.web.ApiProblemException;
import io.termsgate.web.FieldError;
import io.termsgate.web.InvalidRequestException;
import io.termsgate.web.JsonBodies;
import io.termsgate.web.ProblemTypes;
import java.math.BigDecimal;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * A buyer's credit line over HTTP: the line (limit, balance, held, available, holds), and the life of a hold after
 * its order was approved — capture when the order is invoiced, release when it is cancelled.
 */
@RestController
class CreditLineController {

    static final String LINES = "/api/v1/credit-lines";
    private static final Pattern CUSTOMER_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final int MAX_HOLDS = 100;
    private static final String PROBLEM = "#/components/schemas/Problem";

    private final CreditLines creditLines;
    private final DecisionLog decisionLog;
    private final JsonBodies jsonBodies;
    private final Clock clock;

    CreditLineController(CreditLines creditLines, DecisionLog decisionLog, JsonBodies jsonBodies, Clock clock) {
        this.creditLines = creditLines;
        this.decisionLog = decisionLog;
        this.jsonBodies = jsonBodies;
        this.clock = clock;
    }

    @Schema(name = "CreditLine")
    record LineView(
            String customerId,

            @Schema(nullable = true, description = "null until the buyer's first order decision")
            String currency,

            @Schema(description = "the credit limit of the buyer's latest decision; 0 without one")
            BigDecimal limit,

            @Schema(description = "receivables: the request's, or the latest snapshot plus captures since")
            BigDecimal balance,

            @Schema(description = "the open holds of approved orders")
            BigDecimal held,

            @Schema(description = "max(limit - balance - held, 0)")
            BigDecimal available,

            List<HoldView> holds,
            @Schema(nullable = true) SnapshotView snapshot) {}

    @Schema(name = "CreditHold")
    record HoldView(
            UUID id,
            String orderId,
            BigDecimal amount,
            @Schema(nullable = true) BigDecimal capturedAmount,
            HoldStatus status,
            Instant createdAt,
            Instant expiresAt,
            @Schema(nullable = true) Instant closedAt,
            UUID decisionId) {

        static HoldView of(Hold h, Instant now) {
            // an open hold past its expiry is expired, whether or not the sweep has closed it yet
            HoldStatus status =
                    h.status() == HoldStatus.OPEN && !h.expiresAt().isAfter(now) ? HoldStatus.EXPIRED : h.status();
            return new HoldView(
                    h.id(),
                    h.orderId(),
                    h.amount(),
                    h.capturedAmount(),
                    status,
                    h.createdAt(),
                    h.expiresAt(),
                    h.closedAt(),
                    h.decisionId());
        }
    }

    record SnapshotView(Instant asOf, Instant importedAt) {}

    @Operation(summary = "A buyer's credit line: limit, balance, held, available and holds")
    @GetMapping(path = LINES + "/{customerId}", produces = MediaType.APPLICATION_JSON_VALUE)
    LineView line(@PathVariable String customerId) {
        checkCustomerId(customerId);
        Instant now = clock.instant();
        Exposure exposure = creditLines.exposure(customerId, now);
        List<LoggedDecision> latest = decisionLog.search(new DecisionQuery(customerId, null, null, null, null), 0, 1);
        String currency = creditLines.currency(customerId).orElse(null);
        if (latest.isEmpty() && currency == null && exposure.snapshot() == null) {
            throw new ApiProblemException(
                    HttpStatus.NOT_FOUND,
                    ProblemTypes.NOT_FOUND,
                    "Credit line not found",
                    "no decision, hold or receivables are known for customer " + customerId);
        }
        BigDecimal limit = BigDecimal.ZERO;
        if (!latest.isEmpty()) {
            JsonNode result = latest.get(0).record().resultTree();
            if (result.hasNonNull("creditLimit")) {
                limit = result.get("creditLimit").decimalValue();
            }
            if (currency == null && result.hasNonNull("currency")) {
                currency = result.get("currency").asText();
            }
        }
        BigDecimal available =
                limit.subtract(exposure.balance()).subtract(exposure.held()).max(BigDecimal.ZERO);
        List<HoldView> holds = creditLines.holds(customerId, MAX_HOLDS).stream()
                .map(h -> HoldView.of(h, now))
                .toList();
        return new LineView(
                customerId,
                currency,
                limit,
                exposure.balance(),
                exposure.held(),
                available,
                holds,
                exposure.snapshot() == null
                        ? null
                        : new SnapshotView(
                                exposure.snapshot().asOf(), exposure.snapshot().importedAt()));
    }

    @Operation(
            summary = "Capture a hold: the order was invoiced",
            description = "Body (optional): {\"amount\": n, \"currency\": \"EUR\"}; without an amount the whole hold"
                    + " is captured, a partial capture releases the rest. 404 for an unknown hold, 409 when the hold"
                    + " is no longer open.")
    @ApiResponse(responseCode = "200", description = "The hold as it is now")
    @ApiResponse(
            responseCode = "409",
            description = "The hold is no longer open (captured, released or expired): see holdStatus",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = PROBLEM)))
    @ApiResponse(
            responseCode = "422",
            description = "Another currency than the line's, more than the hold, or an Idempotency-Key reused",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = PROBLEM)))
    @PostMapping(path = LINES + "/{customerId}/holds/{holdId}/capture", produces = MediaType.APPLICATION_JSON_VALUE)
    HoldView capture(
            @PathVariable String customerId,
            @PathVariable String holdId,
            @RequestBody(required = false) byte[] body,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            Principal client) {
        UUID hold = checkHold(customerId, holdId, idempotencyKey);
        BigDecimal amount = null;
        String currency = null;
        if (body != null && body.length > 0) {
            JsonNode json = jsonBodies.parse(body);
            List<FieldError> errors = new ArrayList<>();
            if (!json.isObject()) {
                throw InvalidRequestException.of("Invalid capture", "", "the body must be a JSON object");
            }
            Iterator<String> names = json.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!Set.of("amount", "currency").contains(name)) {
                    errors.add(new FieldError(
                            name.length() > 64 ? name.substring(0, 64) + "…" : name,
                            "is not a field of a capture; allowed: amount, currency"));
                }
            }
            if (json.has("amount")) {
                String problem = DecisionRequestReader.amountProblem(json.get("amount"));
                if (problem == null && json.get("amount").decimalValue().signum() == 0) {
                    problem = "must be above 0";
                }
                if (problem != null) {
                    errors.add(new FieldError("amount", problem));
                } else {
                    amount = json.get("amount").decimalValue();
                }
            }
            if (json.has("currency")) {
                JsonNode c = json.get("currency");
                if (!c.isTextual() || !c.textValue().matches("[A-Z]{3}")) {
                    errors.add(new FieldError("currency", "must be an ISO 4217 code of 3 upper-case letters"));
                } else {
                    currency = c.textValue();
                }
            }
            if (!errors.isEmpty()) {
                throw new InvalidRequestException("Invalid capture", errors);
            }
        }
        return HoldView.of(
                creditLines.capture(customerId, hold, amount, currency, client.getName(), idempotencyKey),
                clock.instant());
    }

    @Operation(summary = "Release a hold: the order was cancelled")
    @ApiResponse(responseCode = "200", description = "The hold as it is now")
    @ApiResponse(
            responseCode = "409",
            description = "The hold is no longer open (captured, released or expired): see holdStatus",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = PROBLEM)))
    @ApiResponse(
            responseCode = "422",
            description = "Another currency than the line's, more than the hold, or an Idempotency-Key reused",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = PROBLEM)))
    @PostMapping(path = LINES + "/{customerId}/holds/{holdId}/release", produces = MediaType.APPLICATION_JSON_VALUE)
    HoldView release(
            @PathVariable String customerId,
            @PathVariable String holdId,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            Principal client) {
        UUID hold = checkHold(customerId, holdId, idempotencyKey);
        return HoldView.of(creditLines.release(customerId, hold, client.getName(), idempotencyKey), clock.instant());
    }

    @Operation(
            summary = "Verify the hold ledger's hash chain",
            description = "Beside /api/v1/audit/verify (the decision log): every hold transition, recomputed and"
                    + " linked, up to the ledger's head.")
    @GetMapping(path = "/api/v1/audit/ledger/verify", produces = MediaType.APPLICATION_JSON_VALUE)
    CreditLines.LedgerReport verifyLedger() {
        return creditLines.verifyLedger();
    }

    private static void checkCustomerId(String customerId) {
        if (!CUSTOMER_ID.matcher(customerId).matches()) {
            throw InvalidRequestException.of(
                    "Invalid customer id", "customerId", "must be 1 to 64 characters of A-Z a-z 0-9 . _ : -");
        }
    }

    private static UUID checkHold(String customerId, String holdId, String idempotencyKey) {
        List<FieldError> errors = new ArrayList<>();
        if (!CUSTOMER_ID.matcher(customerId).matches()) {
            errors.add(new FieldError("customerId", "must be 1 to 64 characters of A-Z a-z 0-9 . _ : -"));
        }
        UUID hold = null;
        try {
            hold = UUID.fromString(holdId);
            if (!hold.toString().equals(holdId.toLowerCase(java.util.Locale.ROOT))) {
                hold = null;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        if (hold == null) {
            errors.add(new FieldError("holdId", "must be a UUID, as in the decision's hold.id"));
        }
        if (idempotencyKey != null && !KEY.matcher(idempotencyKey).matches()) {
            errors.add(new FieldError("Idempotency-Key", "must be 1 to 255 visible ASCII characters"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("Invalid hold request", errors);
        }
        return hold;
    }
}
