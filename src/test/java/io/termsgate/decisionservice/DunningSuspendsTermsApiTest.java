package io.termsgate.decisionservice;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import io.termsgate.support.ServiceTest;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The dunning loop over real HTTP: a dunning call made for a customer whose result blocks new orders on terms
 * suspends the customer's terms, the next checkout decision for them is referred by K9 (termsgate sets the flag
 * itself from the line, the caller does not), the buyer sees it on its line; a later call that does not block lifts
 * it, or a credit manager does; replays of the decisions either side are exact.
 */
@ServiceTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.BEFORE_CLASS)
class DunningSuspendsTermsApiTest {

    static final String CLIENT = "demo-client";
    static final String CHECKOUT = "demo-checkout";
    static final String AUDITOR = "demo-auditor";
    static final String BUYER = "demo-buyer"; // bound to EX-01
    static final String MANAGER = "demo-credit-manager";

    /** Grade E, 35 days past due, two reminders sent: a final notice, new orders on terms blocked. */
    static final String BLOCKING = """
            {"Days Past Due": 35, "Amount": 7000.10, "Risk Grade": "E", "Reminders Sent": 2, "Disputed": false}""";

    /** Paid late by a few days, nothing sent yet: a reminder, terms not blocked. */
    static final String NOT_BLOCKING = """
            {"Days Past Due": 5, "Amount": 700, "Risk Grade": "A", "Reminders Sent": 0, "Disputed": false}""";

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    private Http.Response dunning(String customerId, String inputs) {
        Http.Response call = http.postJson("/api/v1/models/dunning?customerId=" + customerId, CLIENT, inputs);
        assertThat(call.status()).as(call.body()).isEqualTo(200);
        return call;
    }

    private JsonNode decide(String customerId, String orderId) {
        ObjectNode request = PolicyExamples.byCustomerId("EX-01").request().deepCopy();
        ((ObjectNode) request.get("customer")).put("id", customerId);
        ((ObjectNode) request.get("order")).put("id", orderId).put("amount", new BigDecimal("1000"));
        Http.Response decided = http.postJson("/api/v1/credit-decisions", CHECKOUT, request.toString());
        assertThat(decided.status()).as(decided.body()).isEqualTo(201);
        return decided.json();
    }

    private static List<String> reasonCodes(JsonNode decision) {
        List<String> codes = new ArrayList<>();
        decision.get("reasons")
                .forEach(r ->
                        codes.add(r.isTextual() ? r.asText() : r.get("code").asText()));
        return codes;
    }

    private void replaysExactly(JsonNode decision) {
        Http.Response replay = http.send(
                "POST", "/api/v1/credit-decisions/" + decision.get("decisionId").asText() + "/replay", AUDITOR);
        assertThat(replay.status()).as(replay.body()).isEqualTo(200);
        assertThat(replay.json().get("identical").asBoolean()).as(replay.body()).isTrue();
        assertThat(replay.json().get("traceIdentical").asBoolean())
                .as(replay.body())
                .isTrue();
    }

    @Test
    void aBlockingDunningResultRefersTheNextOrderUntilALaterOneLiftsIt() {
        assertThat(decide("EX-01", "SO-D1").get("outcome").asText()).isEqualTo("APPROVED");
        assertThat(http.get("/api/v1/credit-lines/EX-01", BUYER)
                        .json()
                        .get("termsSuspended")
                        .isNull())
                .isTrue();

        Http.Response blocking = dunning("EX-01", BLOCKING);
        assertThat(blocking.json().get("Block New Orders").asBoolean()).isTrue();
        String callId = blocking.header(ModelController.CALL_ID);

        JsonNode referred = decide("EX-01", "SO-D2");
        assertThat(referred.get("outcome").asText()).as(referred.toString()).isEqualTo("REFERRED");
        assertThat(reasonCodes(referred)).contains("REF_TERMS_SUSPENDED");
        assertThat(referred.at("/trace/rules").toString()).contains("K9");
        replaysExactly(referred);
        JsonNode line = http.get("/api/v1/credit-lines/EX-01", BUYER).json();
        assertThat(line.at("/termsSuspended/byModelCall").asText()).isEqualTo(callId);
        assertThat(line.at("/termsSuspended/since").asText()).isNotBlank();

        // the call is logged under the customer's subject reference, never the id
        JsonNode logged = http.get("/api/v1/models/calls/" + callId, AUDITOR).json();
        assertThat(logged.get("customerRef").asText()).startsWith("~").doesNotContain("EX-01");
        assertThat(logged.toString()).doesNotContain("EX-01");
        assertThat(http.send("POST", "/api/v1/models/calls/" + callId + "/replay", AUDITOR)
                        .json()
                        .get("identical")
                        .asBoolean())
                .isTrue();

        // another blocking call keeps the call that suspended them
        dunning("EX-01", BLOCKING);
        assertThat(http.get("/api/v1/credit-lines/EX-01", BUYER)
                        .json()
                        .at("/termsSuspended/byModelCall")
                        .asText())
                .isEqualTo(callId);

        Http.Response lifting = dunning("EX-01", NOT_BLOCKING);
        assertThat(lifting.json().get("Block New Orders").asBoolean()).isFalse();
        assertThat(http.get("/api/v1/credit-lines/EX-01", BUYER)
                        .json()
                        .get("termsSuspended")
                        .isNull())
                .isTrue();
        JsonNode approved = decide("EX-01", "SO-D3");
        assertThat(approved.get("outcome").asText()).as(approved.toString()).isEqualTo("APPROVED");
        assertThat(reasonCodes(approved)).doesNotContain("REF_TERMS_SUSPENDED");
        replaysExactly(approved);
        replaysExactly(referred); // still exact after the lift: the record carries what the decision read

        JsonNode chain = http.get("/api/v1/audit/models/verify", AUDITOR).json();
        assertThat(chain.get("valid").asBoolean()).as(chain.toString()).isTrue();
    }

    @Test
    void aCreditManagerLiftsSuspendedTerms() {
        dunning("LIFT-1", BLOCKING);
        assertThat(decide("LIFT-1", "SO-L1").get("outcome").asText()).isEqualTo("REFERRED");

        assertThat(http.send("POST", "/api/v1/credit-lines/LIFT-1/terms-suspension/lift", BUYER)
                        .status())
                .isEqualTo(403);
        assertThat(http.send("POST", "/api/v1/credit-lines/LIFT-1/terms-suspension/lift", CHECKOUT)
                        .status())
                .isEqualTo(403);
        Http.Response lifted = http.send("POST", "/api/v1/credit-lines/LIFT-1/terms-suspension/lift", MANAGER);
        assertThat(lifted.status()).as(lifted.body()).isEqualTo(200);
        assertThat(lifted.json().get("status").asText()).isEqualTo("LIFTED");
        assertThat(lifted.json().get("liftedBy").asText()).isNotBlank();
        assertThat(lifted.json().get("liftedByCall").isNull()).isTrue();
        assertThat(decide("LIFT-1", "SO-L2").get("outcome").asText()).isEqualTo("APPROVED");

        Http.Response again = http.send("POST", "/api/v1/credit-lines/LIFT-1/terms-suspension/lift", MANAGER);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("termsStatus").asText()).isEqualTo("LIFTED");
        assertThat(http.send("POST", "/api/v1/credit-lines/NEVER-1/terms-suspension/lift", MANAGER)
                        .status())
                .isEqualTo(404);
        Http.Response bad = http.send("POST", "/api/v1/credit-lines/not%20an%20id/terms-suspension/lift", MANAGER);
        assertThat(bad.status()).as(bad.body()).isEqualTo(400);
        assertThat(bad.body()).doesNotContain("Exception");
    }

    @Test
    void aCallForACustomerNeedsAValidCustomerIdAndOtherModelsSuspendNothing() {
        Http.Response bad = http.postJson("/api/v1/models/dunning?customerId=%27%3B--", CLIENT, BLOCKING);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().at("/errors/0/field").asText()).isEqualTo("customerId");
        Http.Response tooLong = http.postJson("/api/v1/models/dunning?customerId=" + "x".repeat(65), CLIENT, BLOCKING);
        assertThat(tooLong.status()).isEqualTo(400);

        assertThat(http.postJson("/api/v1/models/dunning?customerId=", CLIENT, BLOCKING)
                        .status())
                .isEqualTo(400);

        // without a customer id a blocking result is only an answer
        Http.Response anonymous = http.postJson("/api/v1/models/dunning", CLIENT, BLOCKING);
        assertThat(anonymous.status()).isEqualTo(200);
        assertThat(http.get("/api/v1/models/calls/" + anonymous.header(ModelController.CALL_ID), AUDITOR)
                        .json()
                        .get("customerRef")
                        .isNull())
                .isTrue();
        assertThat(decide("OTHER-1", "SO-O1").get("outcome").asText()).isEqualTo("APPROVED");
    }
}
