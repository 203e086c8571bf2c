package io.termsgate.creditline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.termsgate.support.Http;
import io.termsgate.support.ServiceTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * A buyer reads its own line and its own orders' decisions over real HTTP, with the demo key {@code demo-buyer}
 * (bound to EX-01), and nothing else: not another customer's line (403, whether that customer exists or not), not the
 * score, grade, reasons or trace of its decisions, not checkout's or the auditors' endpoints.
 */
@ServiceTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.BEFORE_CLASS) // EX-01's line starts empty
class BuyerLineApiTest {

    static final String BUYER = "demo-buyer";
    static final String LINE = "/api/v1/credit-lines/EX-01";
    static final String ORDERS = LINE + "/orders";
    static final Set<String> ORDER_FIELDS = Set.of(
            "decisionId", "decidedAt", "orderId", "amount", "currency", "outcome", "creditLimit", "termDays", "hold");

    @LocalServerPort
    int port;

    Http http;
    static String openHold;

    /**
     * Once, before the first test: checkout's orders for EX-01, one approved and held, one approved and cancelled, one
     * too big (referred).
     */
    @BeforeEach
    void checkoutDecidesOrdersForEx01() {
        http = new Http(port);
        if (openHold != null) {
            return;
        }
        Http.Response first = decide("EX-01", "SO-B1", "100000");
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        String releasedHold =
                decide("EX-01", "SO-B2", "50000").json().at("/hold/id").asText();
        assertThat(http.postJson(LINE + "/holds/" + releasedHold + "/release", "demo-checkout", "")
                        .status())
                .isEqualTo(200);
        assertThat(decide("EX-01", "SO-B3", "450000").json().get("outcome").asText())
                .isEqualTo("REFERRED");
        // another buyer, with a line of its own
        assertThat(decide("EX-02", "SO-X1", "1000").status()).isEqualTo(201);
        openHold = first.json().at("/hold/id").asText();
    }

    @Test
    void theBuyerReadsItsOwnLineAsCheckoutDoes() {
        Http.Response mine = http.get(LINE, BUYER);

        assertThat(mine.status()).as(mine.body()).isEqualTo(200);
        JsonNode line = mine.json();
        assertThat(line.get("customerId").asText()).isEqualTo("EX-01");
        assertThat(line.get("limit").decimalValue()).isEqualByComparingTo("400000");
        assertThat(line.get("held").decimalValue()).isEqualByComparingTo("100000");
        assertThat(line.get("balance").decimalValue()).isEqualByComparingTo("0");
        assertThat(line.get("available").decimalValue()).isEqualByComparingTo("300000");
        assertThat(line.at("/holds/0/id").asText()).isEqualTo(openHold);
        assertThat(mine.json()).isEqualTo(http.get(LINE, "demo-checkout").json());
    }

    @Test
    void theBuyerReadsItsOwnOrdersNewestFirstWithoutTheScoring() {
        Http.Response orders = http.get(ORDERS, BUYER);

        assertThat(orders.status()).as(orders.body()).isEqualTo(200);
        JsonNode items = orders.json().get("items");
        List<String> seen = new ArrayList<>();
        items.forEach(item -> seen.add(item.get("orderId").asText() + " "
                + item.get("outcome").asText() + " "
                + (item.get("hold").isNull() ? "-" : item.at("/hold/status").asText())));
        assertThat(seen).containsExactly("SO-B3 REFERRED -", "SO-B2 APPROVED RELEASED", "SO-B1 APPROVED OPEN");
        JsonNode first = items.get(2);
        assertThat(first.at("/hold/id").asText()).isEqualTo(openHold);
        assertThat(first.get("amount").decimalValue()).isEqualByComparingTo("100000");
        assertThat(first.get("currency").asText()).isEqualTo("EUR");
        assertThat(first.get("creditLimit").decimalValue()).isEqualByComparingTo("400000");
        assertThat(first.get("termDays").asInt()).isPositive();
        for (JsonNode item : items) {
            Set<String> fields = new TreeSet<>();
            item.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).isEqualTo(new TreeSet<>(ORDER_FIELDS));
        }
        assertThat(orders.body())
                .doesNotContain(
                        "riskScore", "riskGrade", "reasons", "REF_", "trace", "approvalRoute", "CREDIT_MANAGER");
        assertThat(orders.json().get("totalItems").asLong()).isEqualTo(3);

        Http.Response page = http.get(ORDERS + "?page=1&size=2", BUYER);
        assertThat(page.json().get("items")).hasSize(1);
        assertThat(page.json().at("/items/0/orderId").asText()).isEqualTo("SO-B1");
        assertThat(page.json().get("totalPages").asLong()).isEqualTo(2);
        // checkout and auditors read the same list
        assertThat(http.get(ORDERS, "demo-checkout").json()).isEqualTo(orders.json());
        assertThat(http.get(ORDERS, "demo-auditor").status()).isEqualTo(200);
    }

    @Test
    void anotherCustomersLineIsForbiddenWhetherItExistsOrNot() {
        Http.Response existing = http.get("/api/v1/credit-lines/EX-02", BUYER);
        Http.Response unknown = http.get("/api/v1/credit-lines/NO-SUCH-BUYER", BUYER);

        for (Http.Response refused : List.of(existing, unknown)) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(403);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.json().get("type").asText()).isEqualTo("/problems/forbidden");
            assertThat(refused.body()).doesNotContain("not found", "EUR", "limit");
        }
        assertThat(existing.json().get("title")).isEqualTo(unknown.json().get("title"));
        assertThat(existing.json().get("detail").asText().replace("EX-02", "X"))
                .isEqualTo(unknown.json().get("detail").asText().replace("NO-SUCH-BUYER", "X"));
        assertThat(http.get("/api/v1/credit-lines/EX-02/orders", BUYER).status())
                .isEqualTo(403);
        assertThat(http.get("/api/v1/credit-lines/NO-SUCH-BUYER/orders", BUYER).status())
                .isEqualTo(403);
        // checkout still reads any line
        assertThat(http.get("/api/v1/credit-lines/EX-02", "demo-checkout").status())
                .isEqualTo(200);
        assertThat(http.get("/api/v1/credit-lines/NO-SUCH-BUYER", "demo-checkout")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void hostilePathsNeverReachAnotherCustomer() {
        // what the server's firewalls refuse is a 400; what names another customer, however spelt, is a 403
        Map<String, Integer> answers = new LinkedHashMap<>();
        answers.put("/api/v1/credit-lines/EX-01%2F..%2FEX-02", 400);
        answers.put("/api/v1/credit-lines/EX-01/../EX-02", 400);
        answers.put("/api/v1/credit-lines/EX-01/%2E%2E/EX-02", 400);
        answers.put("/api/v1/credit-lines/EX-01/orders/../../EX-02", 400);
        answers.put("/api/v1/credit-lines/EX-01%2FEX-02", 400);
        answers.put("/api/v1/credit-lines/EX-01%252FEX-02", 400);
        answers.put("/api/v1/credit-lines/EX-01;EX-02", 400);
        answers.put("/api/v1/credit-lines/EX-01%3BEX-02", 400);
        answers.put("/api/v1/credit-lines/EX-01%00", 400);
        answers.put("/api/v1/credit-lines//EX-02", 400);
        answers.put("/api/v1/credit-lines/%45X-02", 403);
        answers.put("/api/v1/credit-lines/ex-01", 403);
        answers.put("/api/v1/credit-lines/EX-01%20", 403);
        answers.put("/api/v1/credit-lines/EX-02/orders?customerId=EX-01", 403);
        answers.put("/api/v1/credit-lines/EX-01/holds", 403); // not an endpoint: a buyer gets no more than a 403
        answers.forEach((path, status) -> {
            Http.Response answer = http.get(path, BUYER);
            assertThat(answer.status()).as(path + " " + answer.body()).isEqualTo(status);
            assertThat(answer.body()).as(path).doesNotContain("\"limit\"");
            if (status == 403) { // (an encoded slash is refused by Tomcat itself, before any of the service runs)
                assertThat(answer.json().get("type").asText()).as(path).isEqualTo("/problems/forbidden");
            }
        });
        // its own id, percent-encoded, is still its own line
        Http.Response encoded = http.get("/api/v1/credit-lines/%45X-01", BUYER);
        assertThat(encoded.status()).isEqualTo(200);
        assertThat(encoded.json().get("customerId").asText()).isEqualTo("EX-01");
    }

    @Test
    void badPagesAreA400NamingTheParameter() {
        Http.Response negative = http.get(ORDERS + "?page=-1", BUYER);
        assertThat(negative.status()).as(negative.body()).isEqualTo(400);
        assertThat(negative.json().at("/errors/0/field").asText()).isEqualTo("page");

        Http.Response huge = http.get(ORDERS + "?size=100000", BUYER);
        assertThat(huge.status()).isEqualTo(400);
        assertThat(huge.json().at("/errors/0/field").asText()).isEqualTo("size");

        Http.Response both = http.get(ORDERS + "?page=x&size=0", BUYER);
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.json().get("errors")).hasSize(2);
    }

    @Test
    void theBuyerKeyMayNotDecideCaptureReleaseOrReadTheLog() {
        String capture = LINE + "/holds/" + openHold + "/capture";
        String release = LINE + "/holds/" + openHold + "/release";
        assertThat(http.postJson(capture, BUYER, "").status()).isEqualTo(403);
        assertThat(http.postJson(release, BUYER, "").status()).isEqualTo(403);
        assertThat(http.postJson("/api/v1/credit-decisions", BUYER, CreditLineScenarios.order("EX-01", "SO-B9", "1"))
                        .status())
                .isEqualTo(403);
        assertThat(http.get("/api/v1/credit-decisions?customerId=EX-01", BUYER).status())
                .isEqualTo(403);
        assertThat(http.get("/api/v1/rulesets/active", BUYER).status()).isEqualTo(403);
        // nothing happened to the hold
        assertThat(http.get(LINE, "demo-checkout").json().at("/holds/0/status").asText())
                .isEqualTo("OPEN");
    }

    @Test
    void aHeadRequestIsNoWayAroundTheRolesOfAGet() {
        // HEAD runs the GET handler (and answers its Content-Length): a role refused the GET must be refused the HEAD
        for (String key : List.of("demo-analyst", "demo-rule-author", "demo-approver", "demo-operator", "demo-erp")) {
            assertThat(http.get(LINE, key).status()).as(key).isEqualTo(403);
            assertThat(http.send("HEAD", LINE, key).status()).as("HEAD " + key).isEqualTo(403);
            assertThat(http.send("HEAD", "/api/v1/credit-lines/NO-SUCH-BUYER", key)
                            .status())
                    .as("HEAD " + key)
                    .isEqualTo(403);
        }
        assertThat(http.send("HEAD", "/api/v1/credit-decisions?customerId=EX-01", "demo-checkout")
                        .status())
                .isEqualTo(403);
        assertThat(http.send("HEAD", "/api/v1/receivables/customers/EX-01", "demo-checkout")
                        .status())
                .isEqualTo(403);
        assertThat(http.send("HEAD", "/api/v1/credit-lines/EX-02", BUYER).status())
                .isEqualTo(403);
        assertThat(http.send("HEAD", LINE, null).status()).isEqualTo(401);
    }

    private Http.Response decide(String customer, String orderId, String amount) {
        return http.postJson(
                "/api/v1/credit-decisions", "demo-checkout", CreditLineScenarios.order(customer, orderId, amount));
    }
}
