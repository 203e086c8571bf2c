package io.termsgate.decision;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Checkout's endpoint: one order in, one decision out. */
@RestController
class CreditDecisionController {

    static final String PATH = "/api/v1/credit-decisions";

    private final CreditDecisions decisions;

    CreditDecisionController(CreditDecisions decisions) {
        this.decisions = decisions;
    }

    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<DecisionResponse> decide(@RequestBody JsonNode body) {
        CreditDecision decision = decisions.decide(DecisionRequestReader.read(body));
        return ResponseEntity.created(URI.create(PATH + "/" + decision.decisionId()))
                .body(DecisionResponse.of(decision));
    }
}
