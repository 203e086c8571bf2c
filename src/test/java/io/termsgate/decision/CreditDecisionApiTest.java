package io.termsgate.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import io.termsgate.support.ServiceTest;
import java.math.BigDecimal;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Checkout's view: the decision endpoint over real HTTP, on the default ruleset, with the demo checkout key. */
@ServiceTest
class CreditDecisionApiTest {

    static final String PATH = "/api/v1/credit-decisions";
    static final String CHECKOUT = "demo-checkout";

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    static Stream<PolicyExamples.Example> examples() {
        return PolicyExamples.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyWorkedExampleComesOutExactly(PolicyExamples.Example example) {
        Http.Response response = http.postJson(PATH, CHECKOUT, example.request().toString());

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode body = response.json();
        assertThat(response.header("Location"))
                .isEqualTo(PATH + "/" + body.get("decisionId").asText());
        assertThat(response.header("Content-Type")).startsWith("application/json");
        example.expected().fields().forEachRemaining(field -> {
            JsonNode actual = body.get(field.getKey());
            if (field.getValue().isNumber()) {
                // the exact JSON number as written: 400000, not 400000.00 or 4E+5
                assertThat(actual.isNumber()).as(field.getKey()).isTrue();
                assertThat(actual.decimalValue())
                        .as(field.getKey())
                        .isEqualByComparingTo(field.getValue().decimalValue());
                assertThat(actual.asText())
                        .as(field.getKey())
                        .isEqualTo(new BigDecimal(field.getValue().asText())
                                .stripTrailingZeros()
                                .toPlainString());
            } else {
                assertThat(actual).as(field.getKey()).isEqualTo(field.getValue());
            }
        });
        assertThat(body.get("currency").asText())
                .isEqualTo(example.request().at("/order/currency").asText());
        assertThat(body.get("rulesetVersion").asText()).matches("sha256:[0-9a-f]{64}");
        assertThat(body.get("decidedAt").asText()).endsWith("Z");
        assertThat(body.get("decisionId").asText())
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(body.at("/trace/spreadsheetRows")).hasSize(6);
        assertThat(body.at("/trace/errors")).isEmpty();
    }

    @Test
    void moneyTravelsExactlyFromJsonToJson() {
        String request = PolicyExamples.byCustomerId("EX-41").request().toString();

        String body = http.postJson(PATH, CHECKOUT, request).body();

        assertThat(body).contains("\"availableCredit\":387654.33").contains("\"creditLimit\":400000,");
    }

    @Test
    void withoutAKeyTheAnswerIs401Problem() {
        Http.Response response = http.postJson(
                PATH, null, PolicyExamples.byCustomerId("EX-01").request().toString());

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("type").asText()).isEqualTo("/problems/unauthenticated");
        assertThat(response.json().get("detail").asText()).contains("X-API-Key");
    }

    @Test
    void anUnknownKeyIs401Problem() {
        Http.Response response = http.postJson(
                PATH,
                "not-a-key",
                PolicyExamples.byCustomerId("EX-01").request().toString());

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().get("title").asText()).isEqualTo("Authentication required");
    }

    @Test
    void aKeyWithoutTheCheckoutRoleIs403Problem() {
        Http.Response response = http.postJson(
                PATH,
                "demo-auditor",
                PolicyExamples.byCustomerId("EX-01").request().toString());

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("detail").asText())
                .contains("demo-auditor")
                .contains("AUDITOR");
    }

    @Test
    void healthIsOpen() {
        assertThat(http.get("/actuator/health", null).status()).isEqualTo(200);
    }
}
