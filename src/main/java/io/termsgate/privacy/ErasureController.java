package io.termsgate.privacy;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.termsgate.engine.FieldRule;
import io.termsgate.security.People;
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
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Erasure requests (PRIVACY_OFFICER) and the erasures' log (AUDITOR). */
@RestController
class ErasureController {

    private static final int MAX_PAGE_SIZE = 200;

    private final Erasures erasures;

    ErasureController(Erasures erasures) {
        this.erasures = erasures;
    }

    @Operation(
            summary = "Erase a customer's personal data (PRIVACY_OFFICER)",
            description = "Destroys the customer's data key: their decisions stay in the log, counted and verified,"
                    + " without customer id or request; replaying one answers 410; search by the customer id finds"
                    + " none. Backtest reports lose the customer id; decided referral cases keep a subject reference"
                    + " in its place. Refused (409) while the customer has an open referral; 404 when the log holds"
                    + " no personal data of the customer. The erasure is appended to its own hash chain.")
    @DeleteMapping(path = "/api/v1/customers/{customerId}/personal-data", produces = MediaType.APPLICATION_JSON_VALUE)
    Erasures.Erasure erase(@PathVariable String customerId, Authentication who) {
        if (!FieldRule.REFERENCE.matcher(customerId).matches()) {
            throw InvalidRequestException.of("Invalid erasure request", "customerId", FieldRule.REFERENCE_RULE);
        }
        try {
            return erasures.erase(customerId, People.personOf(who));
        } catch (Erasures.NothingToErase e) {
            throw new ApiProblemException(
                    HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "No personal data to erase", e.getMessage());
        } catch (ErasureRefused e) {
            throw new ApiProblemException(
                    HttpStatus.CONFLICT, ProblemTypes.CONFLICT, "Erasure must wait", e.getMessage());
        }
    }

    /** One erasure as an auditor reads it: the subject reference its records keep, never the customer id. */
    record ErasureView(
            long seq,
            UUID erasureId,
            String subjectRef,
            Instant erasedAt,
            String erasedBy,

            @Schema(type = "object", description = "decisionsErased, decisionsKeptInClear, reached") @JsonRawValue
            String reached,

            String previousHash,
            String hash) {

        static ErasureView of(ErasureRecord r) {
            return new ErasureView(
                    r.seq(),
                    r.erasureId(),
                    r.subjectRef(),
                    r.erasedAt(),
                    r.erasedBy(),
                    r.reachedJson(),
                    r.previousHash(),
                    r.hash());
        }
    }

    record ErasurePage(List<ErasureView> items, int page, int size, long totalItems) {}

    @Operation(summary = "Erasures done, newest first (AUDITOR)")
    @GetMapping(path = "/api/v1/audit/erasures", produces = MediaType.APPLICATION_JSON_VALUE)
    ErasurePage list(@RequestParam Optional<String> page, @RequestParam Optional<String> size) {
        List<FieldError> errors = new ArrayList<>();
        int pageNumber = QueryParameters.integer("page", page, 0, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE, errors);
        int pageSize = QueryParameters.integer("size", size, 50, 1, MAX_PAGE_SIZE, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("Invalid erasures query", errors);
        }
        return new ErasurePage(
                erasures.list(pageNumber, pageSize).stream()
                        .map(ErasureView::of)
                        .toList(),
                pageNumber,
                pageSize,
                erasures.count());
    }

    @Operation(
            summary = "Verify the erasures' hash chain (AUDITOR)",
            description = "Beside /api/v1/audit/verify (decisions): every erasure recomputed and linked, up to the"
                    + " chain's head.")
    @GetMapping(path = "/api/v1/audit/erasures/verify", produces = MediaType.APPLICATION_JSON_VALUE)
    Erasures.ChainReport verify() {
        return erasures.verifyChain();
    }
}
