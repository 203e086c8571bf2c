package io.termsgate.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import io.termsgate.support.ServiceTest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every line of the policy's Inputs table, broken: each answer is a 400 problem naming the field, over real HTTP.
 * A request that breaks the table is not a credit decision.
 */
@ServiceTest
class InvalidDecisionRequestTest {

    static final String PATH = "/api/v1/credit-decisions";

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    /** A valid request (the first worked example) with the field at {@code pointer} set to {@code json}, or removed. */
    static String with(String pointer, String json) {
        ObjectNode request = PolicyExamples.byCustomerId("EX-01").request().deepCopy();
        int slash = pointer.lastIndexOf('/');
        ObjectNode parent = (ObjectNode) request.at(pointer.substring(0, slash));
        String name = pointer.substring(slash + 1);
        if (json == null) {
            parent.remove(name);
        } else if (json.matches("-?[0-9][0-9.eE+-]*") && json.length() > 10) {
            // a number as the client writes it, put in as text: a test mapper would refuse or round it
            parent.put(name, "@number@");
            return request.toString().replace("\"@number@\"", json);
        } else {
            try {
                parent.set(name, PolicyExamples.JSON.readTree(json));
            } catch (Exception e) {
                throw new IllegalArgumentException(json, e);
            }
        }
        return request.toString();
    }

    static Stream<Arguments> brokenLines() {
        return Stream.of(
                Arguments.of("customer.id", "/customer/id", null),
                Arguments.of("customer.id", "/customer/id", "\"\""),
                Arguments.of("customer.id", "/customer/id", "\"has space\""),
                Arguments.of("customer.id", "/customer/id", "\"" + "x".repeat(65) + "\""),
                Arguments.of("customer.id", "/customer/id", "42"),
                Arguments.of("customer.country", "/customer/country", null),
                Arguments.of("customer.country", "/customer/country", "\"de\""),
                Arguments.of("customer.country", "/customer/country", "\"XX\""),
                Arguments.of("customer.country", "/customer/country", "\"DEU\""),
                Arguments.of("customer.industry", "/customer/industry", null),
                Arguments.of("customer.industry", "/customer/industry", "\"MINING\""),
                Arguments.of("customer.industry", "/customer/industry", "\"manufacturing\""),
                Arguments.of("customer.yearsInBusiness", "/customer/yearsInBusiness", null),
                Arguments.of("customer.yearsInBusiness", "/customer/yearsInBusiness", "-1"),
                Arguments.of("customer.yearsInBusiness", "/customer/yearsInBusiness", "200.5"),
                Arguments.of("customer.yearsInBusiness", "/customer/yearsInBusiness", "\"7\""),
                Arguments.of("customer.yearsInBusiness", "/customer/yearsInBusiness", "null"),
                Arguments.of("customer.annualRevenue", "/customer/annualRevenue", null),
                Arguments.of("customer.annualRevenue", "/customer/annualRevenue", "-0.01"),
                Arguments.of("customer.annualRevenue", "/customer/annualRevenue", "1000.001"),
                Arguments.of("customer.annualRevenue", "/customer/annualRevenue", "1e400"),
                // longer than any number may be (64 characters): named like any bad number, never expanded
                Arguments.of("customer.annualRevenue", "/customer/annualRevenue", "9".repeat(400)),
                Arguments.of("customer.annualRevenue", "/customer/annualRevenue", "1." + "0".repeat(400)),
                Arguments.of("customer.yearsInBusiness", "/customer/yearsInBusiness", "1e9999999999"),
                Arguments.of("order.amount", "/order/amount", "-" + "1".repeat(60_000)),
                Arguments.of("customer.creditScore", "/customer/creditScore", "101"),
                Arguments.of("customer.creditScore", "/customer/creditScore", "-1"),
                Arguments.of("customer.creditScore", "/customer/creditScore", "70.5"),
                Arguments.of("customer.creditScore", "/customer/creditScore", "\"70\""),
                Arguments.of("customer.paymentHistory.invoicesPaid", "/customer/paymentHistory/invoicesPaid", "-1"),
                Arguments.of("customer.paymentHistory.invoicesPaid", "/customer/paymentHistory/invoicesPaid", "2.5"),
                Arguments.of(
                        "customer.paymentHistory.invoicesPaid", "/customer/paymentHistory/invoicesPaid", "99999999999"),
                Arguments.of(
                        "customer.paymentHistory.invoicesPaid",
                        "/customer/paymentHistory/invoicesPaid",
                        "9".repeat(400)),
                Arguments.of(
                        "customer.paymentHistory.avgDaysBeyondTerms",
                        "/customer/paymentHistory/avgDaysBeyondTerms",
                        "-0.5"),
                Arguments.of(
                        "customer.paymentHistory.avgDaysBeyondTerms",
                        "/customer/paymentHistory/avgDaysBeyondTerms",
                        "null"),
                Arguments.of("customer.paymentHistory.maxDaysPastDue", "/customer/paymentHistory/maxDaysPastDue", "-1"),
                Arguments.of(
                        "customer.paymentHistory.maxDaysPastDue", "/customer/paymentHistory/maxDaysPastDue", "1.5"),
                Arguments.of("customer.paymentHistory", "/customer/paymentHistory", "[]"),
                Arguments.of("customer.outstandingBalance", "/customer/outstandingBalance", "-0.01"),
                Arguments.of("customer.outstandingBalance", "/customer/outstandingBalance", "0.001"),
                Arguments.of("customer.flags[0]", "/customer/flags", "[\"UNKNOWN\"]"),
                Arguments.of("customer.flags[1]", "/customer/flags", "[\"BANKRUPTCY\", \"BANKRUPTCY\"]"),
                Arguments.of("customer.flags", "/customer/flags", "\"SANCTIONS_MATCH\""),
                Arguments.of("order.amount", "/order/amount", null),
                Arguments.of("order.amount", "/order/amount", "0"),
                Arguments.of("order.amount", "/order/amount", "-0"),
                Arguments.of("order.amount", "/order/amount", "-5"),
                Arguments.of("order.amount", "/order/amount", "0.001"),
                Arguments.of("order.currency", "/order/currency", null),
                Arguments.of("order.currency", "/order/currency", "\"eur\""),
                Arguments.of("order.currency", "/order/currency", "\"EURO\""),
                Arguments.of("order.currency", "/order/currency", "\"ABC\""),
                Arguments.of("order.requestedTermDays", "/order/requestedTermDays", null),
                Arguments.of("order.requestedTermDays", "/order/requestedTermDays", "20"),
                Arguments.of("order.requestedTermDays", "/order/requestedTermDays", "30.5"),
                Arguments.of("order.requestedTermDays", "/order/requestedTermDays", "\"30\""),
                Arguments.of("customer", "/customer", null),
                Arguments.of("order", "/order", "\"soon\""),
                Arguments.of("customer.nickname", "/customer/nickname", "\"Bob\""),
                Arguments.of("order.discount", "/order/discount", "5"),
                Arguments.of("customer.paymentHistory.late", "/customer/paymentHistory/late", "true"),
                Arguments.of("channel", "/channel", "\"web\""));
    }

    @ParameterizedTest(name = "{0} = {2}")
    @MethodSource("brokenLines")
    void aBrokenInputIsA400ProblemNamingTheField(String field, String pointer, String value) {
        Http.Response response = http.postJson(PATH, "demo-checkout", with(pointer, value));

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("type").asText()).isEqualTo("/problems/invalid-request");
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(fields(problem)).containsExactly(field);
        assertThat(problem.at("/errors/0/message").asText()).isNotBlank();
    }

    @Test
    void aNumberOf400DigitsIsNamedWithWhatItMustBe() {
        Http.Response response = http.postJson(PATH, "demo-checkout", with("/customer/annualRevenue", "9".repeat(400)));

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().at("/errors/0/field").asText()).isEqualTo("customer.annualRevenue");
        assertThat(response.json().at("/errors/0/message").asText())
                .isEqualTo(
                        "must be an amount of at least 0 with at " + "most 2 decimal places, below 1000000000000000");
        assertThat(response.body()).doesNotContain("99999999999999999999").doesNotContain("Number value length");
    }

    @Test
    void everyBadFieldIsNamedAtOnce() {
        String request = """
                {"customer": {"id": "", "country": "de", "industry": "MINING", "yearsInBusiness": -1,
                  "annualRevenue": "lots", "creditScore": 101, "paymentHistory": {"invoicesPaid": -1,
                  "avgDaysBeyondTerms": -1, "maxDaysPastDue": 0.5}, "outstandingBalance": -1, "flags": ["X"]},
                 "order": {"amount": 0, "currency": "eur", "requestedTermDays": 31}}""";

        Http.Response response = http.postJson(PATH, "demo-checkout", request);

        assertThat(response.status()).isEqualTo(400);
        assertThat(fields(response.json()))
                .containsExactlyInAnyOrder(
                        "customer.id",
                        "customer.country",
                        "customer.industry",
                        "customer.yearsInBusiness",
                        "customer.annualRevenue",
                        "customer.creditScore",
                        "customer.paymentHistory.invoicesPaid",
                        "customer.paymentHistory.avgDaysBeyondTerms",
                        "customer.paymentHistory.maxDaysPastDue",
                        "customer.outstandingBalance",
                        "customer.flags[0]",
                        "order.amount",
                        "order.currency",
                        "order.requestedTermDays");
    }

    @Test
    void optionalFieldsMayBeLeftOut() {
        String request = """
                {"customer": {"id": "MIN-1", "country": "DE", "industry": "RETAIL", "yearsInBusiness": 3,
                  "annualRevenue": 2000000},
                 "order": {"amount": 1000, "currency": "EUR", "requestedTermDays": 30}}""";

        Http.Response response = http.postJson(PATH, "demo-checkout", request);

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        // no bureau file 10, 2-5 years 10, thin history 10, 1-10M revenue 5, retail 0
        assertThat(response.json().get("riskScore").asInt()).isEqualTo(35);
    }

    @Test
    void malformedJsonIsA400Problem() {
        Http.Response response = http.postJson(PATH, "demo-checkout", "{\"customer\": {\"id\": \"X\",");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("type").asText()).isEqualTo("/problems/malformed-json");
        assertThat(response.json().get("detail").asText()).contains("line 1");
    }

    @Test
    void aKeyGivenTwiceIsRejectedNotSilentlyOverwritten() {
        String request = with("/order/amount", "25000").replace("\"amount\":25000", "\"amount\":25000,\"amount\":1");

        Http.Response response = http.postJson(PATH, "demo-checkout", request);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asText()).contains("Duplicate field 'amount'");
    }

    @Test
    void nonJsonNumbersAreRejected() {
        assertThat(http.postJson(
                                PATH,
                                "demo-checkout",
                                with("/order/amount", "1").replace("\"amount\":1", "\"amount\":NaN"))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void anEmptyBodyOrANonObjectIsA400Problem() {
        assertThat(http.postJson(PATH, "demo-checkout", "").status()).isEqualTo(400);
        Http.Response array = http.postJson(PATH, "demo-checkout", "[]");
        assertThat(array.status()).isEqualTo(400);
        assertThat(array.json().at("/errors/0/message").asText()).contains("JSON object");
    }

    @Test
    void theWrongContentTypeIs415Problem() {
        Http.Response response = http.post(PATH, "demo-checkout", "text/plain", "hello");

        assertThat(response.status()).isEqualTo(415);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("type").asText()).isEqualTo("/problems/unsupported-media-type");
    }

    private static List<String> fields(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        problem.get("errors").forEach(e -> fields.add(e.get("field").asText()));
        return fields;
    }
}
