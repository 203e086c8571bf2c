package io.termsgate.creditline;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.termsgate.audit.AccessLog;
import io.termsgate.creditapplication.DecisionRequestReader;
import io.termsgate.engine.ApplicationField;
import io.termsgate.engine.FieldRule;
import io.termsgate.web.ApiProblemException;
import io.termsgate.web.FieldError;
import io.termsgate.web.IdempotencyKeys;
import io.termsgate.web.InvalidRequestException;
import io.termsgate.web.JsonBodies;
import io.termsgate.web.ProblemTypes;
import io.termsgate.web.QueryParameters;
import java.math.BigDecimal;
import java.security.Principal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A buyer's credit line over HTTP: the line (limit, balance, held, available, holds), the buyer's decisions, and the
 * life of a hold after its order was approved — capture when the order is invoiced, release when it is cancelled. Who
 * may read which customer's line is decided before this runs ({@code security.BuyerAccess}).
 */
@RestController
class CreditLineController {

    static final String LINES = "/api/v1/credit-lines";
    private static final String PROBLEM = "#/components/schemas/Problem";
    static final int MAX_PAGE_SIZE = 100;

    private final CreditLines creditLines;
    private final CreditLineViews views;
    private final JsonBodies jsonBodies;
    private final Clock clock;

    private final AccessLog accessLog;
    private final TermsSuspensions suspensions;

    CreditLineController(
            CreditLines creditLines,
            CreditLineViews views,
            JsonBodies jsonBodies,
            Clock clock,
            AccessLog accessLog,
            TermsSuspensions suspensions) {
        this.creditLines = creditLines;
        this.suspensions = suspensions;
        this.accessLog = accessLog;
        this.views = views;
        this.jsonBodies = jsonBodies;
        this.clock = clock;
    }

    @Operation(
            summary = "A buyer's credit line: limit, balance, held, available and holds (CHECKOUT, AUDITOR, the"
                    + " buyer itself)")
    @GetMapping(path = LINES + "/{customerId}", produces = MediaType.APPLICATION_JSON_VALUE)
    LineView line(@PathVariable String customerId) {
        checkCustomerId(customerId);
        return views.line(customerId)
                .orElseThrow(() -> new ApiProblemException(
                        HttpStatus.NOT_FOUND,
                        ProblemTypes.NOT_FOUND,
                        "Credit line not found",
                        "no decision, hold or receivables are known for customer " + customerId));
    }

    @Operation(
            summary = "A buyer's decisions, newest first: outcome, limit, term and hold (CHECKOUT, AUDITOR, the buyer"
                    + " itself)",
            description = "Not the score, grade, reasons, approval route or trace. An assessment (a decision without"
                    + " an order id) is listed with orderId null. page from 0, size 1 to " + MAX_PAGE_SIZE
                    + " (default 20).")
    @GetMapping(path = LINES + "/{customerId}/orders", produces = MediaType.APPLICATION_JSON_VALUE)
    OrderView.Page orders(
            @PathVariable String customerId, @RequestParam Optional<String> page, @RequestParam Optional<String> size) {
        List<FieldError> errors = new ArrayList<>();
        if (!FieldRule.REFERENCE.matcher(customerId).matches()) {
            errors.add(new FieldError("customerId", FieldRule.REFERENCE_RULE));
        }
        int pageNumber = QueryParameters.integer("page", page, 0, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE, errors);
        int pageSize = QueryParameters.integer("size", size, 20, 1, MAX_PAGE_SIZE, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("Invalid orders request", errors);
        }
        return views.orders(customerId, pageNumber, pageSize);
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
            @RequestHeader(name = IdempotencyKeys.HEADER, required = false) String idempotencyKey,
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
            if (json.has("amount")) { // what is invoiced of an order is an amount by the order amount's own rule
                amount = (BigDecimal) DecisionRequestReader.field(
                        json.get("amount"), ApplicationField.ORDER_AMOUNT, "amount", errors);
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
            @RequestHeader(name = IdempotencyKeys.HEADER, required = false) String idempotencyKey,
            Principal client) {
        UUID hold = checkHold(customerId, holdId, idempotencyKey);
        return HoldView.of(creditLines.release(customerId, hold, client.getName(), idempotencyKey), clock.instant());
    }

    @Operation(
            summary = "Lift the buyer's terms suspended by dunning (CREDIT_MANAGER)",
            description = "New orders on terms are decided as before again; a later dunning call that blocks them"
                    + " suspends them again. 404 when dunning never suspended them, 409 when they are not suspended"
                    + " now.")
    @ApiResponse(responseCode = "200", description = "The terms as they are now: LIFTED, by whom and when")
    @ApiResponse(
            responseCode = "409",
            description = "The terms are not suspended now",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = PROBLEM)))
    @PostMapping(path = LINES + "/{customerId}/terms-suspension/lift", produces = MediaType.APPLICATION_JSON_VALUE)
    TermsSuspension liftSuspension(@PathVariable String customerId, Principal who) {
        checkCustomerId(customerId);
        return suspensions.lift(customerId, who.getName());
    }

    @Operation(
            summary = "Verify the hold ledger's hash chain",
            description = "Beside /api/v1/audit/verify (the decision log): every hold transition, recomputed and"
                    + " linked, up to the ledger's head.")
    @GetMapping(path = "/api/v1/audit/ledger/verify", produces = MediaType.APPLICATION_JSON_VALUE)
    CreditLines.LedgerReport verifyLedger(Authentication who) {
        CreditLines.LedgerReport report = creditLines.verifyLedger();
        accessLog.record(who, AccessLog.Action.LEDGER_VERIFY, null, Map.of(), report.checked());
        return report;
    }

    private static void checkCustomerId(String customerId) {
        if (!FieldRule.REFERENCE.matcher(customerId).matches()) {
            throw InvalidRequestException.of("Invalid customer id", "customerId", FieldRule.REFERENCE_RULE);
        }
    }

    private static UUID checkHold(String customerId, String holdId, String idempotencyKey) {
        List<FieldError> errors = new ArrayList<>();
        if (!FieldRule.REFERENCE.matcher(customerId).matches()) {
            errors.add(new FieldError("customerId", FieldRule.REFERENCE_RULE));
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
        if (!IdempotencyKeys.acceptable(idempotencyKey)) {
            errors.add(new FieldError(IdempotencyKeys.HEADER, IdempotencyKeys.RULE));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("Invalid hold request", errors);
        }
        return hold;
    }
}
