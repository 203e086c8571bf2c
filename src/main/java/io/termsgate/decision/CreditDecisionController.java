package io.termsgate.decision;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.termsgate.audit.AuditLogUnavailableException;
import io.termsgate.creditapplication.DecisionRequestBody;
import io.termsgate.creditapplication.DecisionRequestReader;
import io.termsgate.web.ApiProblemException;
import io.termsgate.web.IdempotencyKeys;
import io.termsgate.web.InvalidRequestException;
import io.termsgate.web.JsonBodies;
import io.termsgate.web.ProblemTypes;
import java.net.URI;
import java.security.Principal;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** Checkout's endpoint: one order in, one logged decision out. */
@RestController
class CreditDecisionController {

    static final String PATH = "/api/v1/credit-decisions";
    static final String IDEMPOTENCY_KEY = IdempotencyKeys.HEADER;

    static final String EXAMPLE_REQUEST = "{\"customer\":{\"id\":\"EX-01\",\"country\":\"DE\","
            + "\"industry\":\"MANUFACTURING\",\"yearsInBusiness\":7,\"annualRevenue\":20000000,\"creditScore\":70,"
            + "\"paymentHistory\":{\"invoicesPaid\":24,\"avgDaysBeyondTerms\":4,\"maxDaysPastDue\":12},"
            + "\"outstandingBalance\":50000,\"flags\":[]},\"order\":{\"amount\":25000,\"currency\":\"EUR\","
            + "\"requestedTermDays\":60}}";

    private final CreditDecisionService decisions;
    private final JsonBodies jsonBodies;

    CreditDecisionController(CreditDecisionService decisions, JsonBodies jsonBodies) {
        this.decisions = decisions;
        this.jsonBodies = jsonBodies;
    }

    @Operation(
            summary = "Decide whether the buyer may pay this order on terms (role CHECKOUT)",
            description = "Answers only once the decision is committed to the audit log. An engine failure never "
                    + "approves: it answers REFERRED to CREDIT_ANALYST with reason ENGINE_ERROR.",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content =
                                    @Content(
                                            schema = @Schema(implementation = DecisionRequestBody.class),
                                            examples = @ExampleObject(name = "typical", value = EXAMPLE_REQUEST))))
    @ApiResponse(
            responseCode = "201",
            description = "Decided and logged",
            content = @Content(schema = @Schema(implementation = DecisionResponseBody.class)))
    @ApiResponse(
            responseCode = "200",
            description = "A retry with the same Idempotency-Key: the original decision",
            content = @Content(schema = @Schema(implementation = DecisionResponseBody.class)))
    @ApiResponse(
            responseCode = "422",
            description = "The Idempotency-Key was used for a different request",
            content =
                    @Content(
                            mediaType = "application/problem+json",
                            schema = @Schema(ref = "#/components/schemas/Problem")))
    @ApiResponse(
            responseCode = "503",
            description = "The decision could not be logged in time; nothing was decided",
            content =
                    @Content(
                            mediaType = "application/problem+json",
                            schema = @Schema(ref = "#/components/schemas/Problem")))
    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> decide(
            @RequestBody(required = false) byte[] body,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
            Principal client) {
        if (!IdempotencyKeys.acceptable(idempotencyKey)) {
            throw InvalidRequestException.of("Invalid decision request", IDEMPOTENCY_KEY, IdempotencyKeys.RULE);
        }
        var requested = DecisionRequestReader.readRequest(jsonBodies.parse(body));
        CreditDecisionService.Answer answer;
        try {
            answer = decisions.decide(requested, client.getName(), idempotencyKey);
        } catch (AuditLogUnavailableException e) {
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.RETRY_AFTER, "1");
            throw new ApiProblemException(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    ProblemTypes.SERVICE_UNAVAILABLE,
                    "Decision log unavailable",
                    "The decision could not be recorded, so none is given. Retry"
                            + (idempotencyKey == null
                                    ? " (send an Idempotency-Key to make retries safe)."
                                    : " with the same Idempotency-Key."),
                    headers);
        } catch (IdempotencyKeyReusedException e) {
            throw new ApiProblemException(
                            HttpStatus.UNPROCESSABLE_ENTITY,
                            ProblemTypes.IDEMPOTENCY_KEY_REUSED,
                            "Idempotency-Key reused",
                            "This Idempotency-Key was already used for a different request; "
                                    + "use a new key for a new request.")
                    .with("originalDecisionId", e.originalDecision());
        }
        URI location = URI.create(PATH + "/" + answer.decision().record().decisionId());
        return ResponseEntity.status(answer.repeated() ? HttpStatus.OK : HttpStatus.CREATED)
                .location(location)
                .contentType(MediaType.APPLICATION_JSON)
                .body(DecisionResponses.json(answer.decision()));
    }
}
