package io.termsgate.creditline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Checkout's credit-line integration over real HTTP: decide with an order id (a hold), capture on invoice, release on
 * cancel, a new decision for the same order replaces its hold, retries are idempotent, holds expire, concurrent
 * orders never over-commit, and the line shows it all. EX-01 is a grade B buyer with a policy limit of 400,000. Run
 * on H2 and on PostgreSQL.
 */
abstract class CreditLineScenarios {

    static final String DECISIONS = "/api/v1/credit-decisions";
    static final String LINES = "/api/v1/credit-lines/";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CreditLines creditLines;

    Http http;
    String customer;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        customer = "CL-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** EX-01's request for {@code customer}, without a balance (the line supplies it), for an order. */
    static String order(String customer, String orderId, String amount) {
        ObjectNode request = PolicyExamples.byCustomerId("EX-01").request().deepCopy();
        ObjectNode c = (ObjectNode) request.get("customer");
        c.put("id", customer);
        c.remove("outstandingBalance");
        ObjectNode o = (ObjectNode) request.get("order");
        if (orderId != null) {
            o.put("id", orderId);
        }
        o.put("amount", new BigDecimal(amount));
        return request.toString();
    }

    Http.Response decide(String orderId, String amount, String... headers) {
        return http.postJson(DECISIONS, "demo-checkout", order(customer, orderId, amount), headers);
    }

    JsonNode line() {
        Http.Response line = http.get(LINES + customer, "demo-checkout");
        assertThat(line.status()).as(line.body()).isEqualTo(200);
        return line.json();
    }

    @Test
    void anApprovedOrderHoldsItsAmountAndTheNextOrderSeesIt() {
        Http.Response first = decide("SO-1", "240000");

        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(first.json().get("outcome").asText()).isEqualTo("APPROVED");
        assertThat(first.json().get("availableCredit").decimalValue()).isEqualByComparingTo("400000");
        JsonNode hold = first.json().get("hold");
        assertThat(hold.get("orderId").asText()).isEqualTo("SO-1");
        assertThat(hold.get("amount").decimalValue()).isEqualByComparingTo("240000");
        assertThat(Instant.parse(hold.get("expiresAt").asText()))
                .isAfter(Instant.parse(first.json().get("decidedAt").asText()).plusSeconds(29 * 86400));

        Http.Response second = decide("SO-2", "200000");
        assertThat(second.json().get("outcome").asText()).isEqualTo("REFERRED");
        assertThat(second.json().get("approvalRoute").asText()).isEqualTo("CREDIT_MANAGER");
        assertThat(second.json().get("availableCredit").decimalValue()).isEqualByComparingTo("160000");
        assertThat(second.json().get("reasons").toString()).contains("REF_OVER_LIMIT");
        assertThat(second.json().has("hold")).isFalse();

        JsonNode line = line();
        assertThat(line.get("currency").asText()).isEqualTo("EUR");
        assertThat(line.get("limit").decimalValue()).isEqualByComparingTo("400000");
        assertThat(line.get("balance").decimalValue()).isEqualByComparingTo("0");
        assertThat(line.get("held").decimalValue()).isEqualByComparingTo("240000");
        assertThat(line.get("available").decimalValue()).isEqualByComparingTo("160000");
        assertThat(line.get("holds")).hasSize(1);
        assertThat(line.at("/holds/0/id").asText()).isEqualTo(hold.get("id").asText());
        assertThat(line.at("/holds/0/status").asText()).isEqualTo("OPEN");
    }

    @Test
    void anAssessmentSeesTheHoldsButHoldsNothing() {
        decide("SO-1", "240000");

        Http.Response assessment = decide(null, "50000");

        assertThat(assessment.json().get("outcome").asText()).isEqualTo("APPROVED");
        assertThat(assessment.json().get("availableCredit").decimalValue()).isEqualByComparingTo("160000");
        assertThat(assessment.json().has("hold")).isFalse();
        assertThat(line().get("held").decimalValue()).isEqualByComparingTo("240000");
    }

    @Test
    void aCaptureMovesTheAmountFromHeldToBalanceAndReleasesTheRest() {
        String hold = decide("SO-1", "100000").json().at("/hold/id").asText();

        Http.Response captured = http.postJson(
                LINES + customer + "/holds/" + hold + "/capture", "demo-checkout", "{\"amount\": 60000.50}");

        assertThat(captured.status()).as(captured.body()).isEqualTo(200);
        assertThat(captured.json().get("status").asText()).isEqualTo("CAPTURED");
        assertThat(captured.json().get("capturedAmount").decimalValue()).isEqualByComparingTo("60000.50");
        JsonNode line = line();
        assertThat(line.get("held").decimalValue()).isEqualByComparingTo("0");
        assertThat(line.get("balance").decimalValue()).isEqualByComparingTo("60000.50");
        assertThat(line.get("available").decimalValue()).isEqualByComparingTo("339999.50");
        // the next decision sees the captured amount as balance
        Http.Response next = decide("SO-2", "1000");
        assertThat(next.json().get("availableCredit").decimalValue()).isEqualByComparingTo("339999.50");

        Http.Response again = http.postJson(LINES + customer + "/holds/" + hold + "/capture", "demo-checkout", "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.header("Content-Type")).startsWith("application/problem+json");
        assertThat(again.json().get("status").asInt()).isEqualTo(409);
    }

    @Test
    void aReleaseFreesTheHoldOnceAndOnlyOnce() {
        String hold = decide("SO-1", "100000").json().at("/hold/id").asText();

        Http.Response released = http.postJson(LINES + customer + "/holds/" + hold + "/release", "demo-checkout", "");

        assertThat(released.status()).as(released.body()).isEqualTo(200);
        assertThat(released.json().get("status").asText()).isEqualTo("RELEASED");
        assertThat(line().get("held").decimalValue()).isEqualByComparingTo("0");
        assertThat(http.postJson(LINES + customer + "/holds/" + hold + "/release", "demo-checkout", "")
                        .status())
                .isEqualTo(409);
        assertThat(http.postJson(LINES + customer + "/holds/" + hold + "/capture", "demo-checkout", "")
                        .status())
                .isEqualTo(409);
    }

    @Test
    void retriesWithAnIdempotencyKeyChangeNothing() {
        Http.Response first = decide("SO-1", "100000", "Idempotency-Key", "order-SO-1-" + customer);
        Http.Response retry = decide("SO-1", "100000", "Idempotency-Key", "order-SO-1-" + customer);

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json().get("hold")).isEqualTo(first.json().get("hold"));
        assertThat(line().get("holds")).hasSize(1);
        assertThat(line().get("held").decimalValue()).isEqualByComparingTo("100000");

        String hold = first.json().at("/hold/id").asText();
        String capture = LINES + customer + "/holds/" + hold + "/capture";
        Http.Response c1 = http.postJson(capture, "demo-checkout", "{\"amount\":40000}", "Idempotency-Key", "inv-1");
        Http.Response c2 = http.postJson(capture, "demo-checkout", "{\"amount\":40000}", "Idempotency-Key", "inv-1");
        assertThat(c1.status()).isEqualTo(200);
        assertThat(c2.status()).isEqualTo(200);
        assertThat(c2.json()).isEqualTo(c1.json());
        assertThat(line().get("balance").decimalValue()).isEqualByComparingTo("40000");
        // the same key for another transition is refused, not applied
        Http.Response other = http.postJson(
                LINES + customer + "/holds/" + hold + "/release", "demo-checkout", "", "Idempotency-Key", "inv-1");
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.json().get("type").asText()).isEqualTo("/problems/idempotency-key-reused");
    }

    @Test
    void anIdempotencyKeyIsBoundToItsCustomerHoldAndAmount() {
        String hold = decide("SO-1", "100000").json().at("/hold/id").asText();
        String other = "CL-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(http.postJson(DECISIONS, "demo-checkout", order(other, "SO-9", "1000"))
                        .status())
                .isEqualTo(201);
        String key = "inv-" + UUID.randomUUID();
        Http.Response first = http.postJson(
                LINES + customer + "/holds/" + hold + "/capture",
                "demo-checkout",
                "{\"amount\":40000}",
                "Idempotency-Key",
                key);
        assertThat(first.status()).as(first.body()).isEqualTo(200);

        // the same key and hold under another customer's line: not that customer's hold, and no 500
        Http.Response crossed = http.postJson(
                LINES + other + "/holds/" + hold + "/capture",
                "demo-checkout",
                "{\"amount\":40000}",
                "Idempotency-Key",
                key);
        assertThat(crossed.status()).as(crossed.body()).isEqualTo(422);
        assertThat(crossed.json().get("type").asText()).isEqualTo("/problems/idempotency-key-reused");

        // the same key with another amount is another request: refused, not answered as if it had been applied
        Http.Response changed = http.postJson(
                LINES + customer + "/holds/" + hold + "/capture",
                "demo-checkout",
                "{\"amount\":50000}",
                "Idempotency-Key",
                key);
        assertThat(changed.status()).as(changed.body()).isEqualTo(422);
        assertThat(changed.json().get("type").asText()).isEqualTo("/problems/idempotency-key-reused");
        Http.Response whole = http.postJson(
                LINES + customer + "/holds/" + hold + "/capture", "demo-checkout", "", "Idempotency-Key", key);
        assertThat(whole.status()).as(whole.body()).isEqualTo(422);
        assertThat(line().get("balance").decimalValue()).isEqualByComparingTo("40000");
    }

    @Test
    void aNewDecisionForTheSameOrderReplacesItsHold() {
        String old = decide("SO-1", "100000").json().at("/hold/id").asText();

        Http.Response changed = decide("SO-1", "240000");

        // the order's own earlier hold does not count against it: 400,000 is available, not 300,000
        assertThat(changed.json().get("outcome").asText()).isEqualTo("APPROVED");
        assertThat(changed.json().get("availableCredit").decimalValue()).isEqualByComparingTo("400000");
        JsonNode line = line();
        assertThat(line.get("held").decimalValue()).isEqualByComparingTo("240000");
        assertThat(line.get("holds")).hasSize(2);
        assertThat(line.at("/holds/0/status").asText()).isEqualTo("OPEN");
        assertThat(line.at("/holds/1/id").asText()).isEqualTo(old);
        assertThat(line.at("/holds/1/status").asText()).isEqualTo("RELEASED");

        // a cart that no longer fits releases the old hold and holds nothing
        Http.Response tooBig = decide("SO-1", "450000");
        assertThat(tooBig.json().get("outcome").asText()).isEqualTo("REFERRED");
        assertThat(line().get("held").decimalValue()).isEqualByComparingTo("0");
    }

    @Test
    void anOrderInAnotherCurrencyIsRefusedAndNothingIsHeld() {
        decide("SO-1", "1000");
        String usd = order(customer, "SO-2", "1000").replace("\"EUR\"", "\"USD\"");

        Http.Response refused = http.postJson(DECISIONS, "demo-checkout", usd);

        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.json().get("type").asText()).isEqualTo("/problems/currency-mismatch");
        assertThat(refused.json().get("lineCurrency").asText()).isEqualTo("EUR");
        assertThat(line().get("holds")).hasSize(1);
    }

    @Test
    void theBalanceComesFromTheLatestSnapshotPlusCapturesAfterIt() throws Exception {
        String hold = decide("SO-1", "100000").json().at("/hold/id").asText();
        http.postJson(LINES + customer + "/holds/" + hold + "/capture", "demo-checkout", "{\"amount\":30000}");
        // an ERP snapshot as of a minute ago does not know of the capture
        snapshot(customer, Instant.now().minusSeconds(60), "20000", 31, null, 5);

        ObjectNode request = (ObjectNode) PolicyExamples.JSON.readTree(order(customer, "SO-2", "1000"));
        ((ObjectNode) request.at("/customer/paymentHistory")).remove("maxDaysPastDue");
        Http.Response decided = http.postJson(DECISIONS, "demo-checkout", request.toString());

        assertThat(decided.json().get("availableCredit").decimalValue()).isEqualByComparingTo("350000");
        JsonNode record = http.get(
                        DECISIONS + "/" + decided.json().get("decisionId").asText(), "demo-auditor")
                .json();
        JsonNode creditLine = record.get("creditLine");
        assertThat(creditLine.get("balanceSource").asText()).isEqualTo("SNAPSHOT");
        assertThat(creditLine.get("balance").decimalValue()).isEqualByComparingTo("50000");
        assertThat(creditLine.get("capturedSinceSnapshot").decimalValue()).isEqualByComparingTo("30000");
        assertThat(creditLine.get("fromSnapshot").toString())
                .contains("customer.outstandingBalance")
                .contains("customer.paymentHistory.maxDaysPastDue");
        // the request gave invoicesPaid and avgDaysBeyondTerms: the request wins
        assertThat(creditLine.get("fromSnapshot").toString()).doesNotContain("invoicesPaid");
        assertThat(record.at("/request/customer/paymentHistory/maxDaysPastDue").asInt())
                .isEqualTo(5);
        assertThat(record.at("/request/customer/outstandingBalance").decimalValue())
                .isEqualByComparingTo("50000");

        // a newer snapshot that includes the invoice: the capture no longer counts twice
        snapshot(customer, Instant.now().plusSeconds(1), "45000", 31, null, 5);
        assertThat(line().get("balance").decimalValue()).isEqualByComparingTo("45000");
    }

    @Test
    void aDecisionThatSawHoldsAndASnapshotReplaysIdentically() {
        snapshot(customer, Instant.now().minusSeconds(60), "25000", null, null, null);
        decide("SO-1", "100000");
        String id = decide("SO-2", "50000").json().get("decisionId").asText();

        Http.Response replay = http.send("POST", DECISIONS + "/" + id + "/replay", "demo-auditor");

        assertThat(replay.status()).as(replay.body()).isEqualTo(200);
        assertThat(replay.json().get("identical").asBoolean()).as(replay.body()).isTrue();
        JsonNode record = http.get(DECISIONS + "/" + id, "demo-auditor").json();
        assertThat(record.at("/request/customer/heldAmount").decimalValue()).isEqualByComparingTo("100000");
        assertThat(record.at("/creditLine/holds/0/orderId").asText()).isEqualTo("SO-1");
        assertThat(record.at("/creditLine/snapshot/outstandingBalance").decimalValue())
                .isEqualByComparingTo("25000");
    }

    @Test
    void unknownHoldsAndBadInputAreNamedProblems() {
        decide("SO-1", "1000");
        String unknown = LINES + customer + "/holds/" + UUID.randomUUID() + "/capture";

        assertThat(http.postJson(unknown, "demo-checkout", "").status()).isEqualTo(404);
        Http.Response badHold = http.postJson(LINES + customer + "/holds/not-a-uuid/release", "demo-checkout", "");
        assertThat(badHold.status()).isEqualTo(400);
        assertThat(badHold.json().at("/errors/0/field").asText()).isEqualTo("holdId");
        String hold = decide("SO-2", "1000").json().at("/hold/id").asText();
        String capture = LINES + customer + "/holds/" + hold + "/capture";
        for (String body : new String[] {
            "{\"amount\":0}",
            "{\"amount\":-5}",
            "{\"amount\":1.005}",
            "{\"amount\":1e400}",
            "{\"amount\":\"12\"}",
            "{\"amount\":5,\"extra\":1}",
            "[1]"
        }) {
            Http.Response bad = http.postJson(capture, "demo-checkout", body);
            assertThat(bad.status()).as(body + " -> " + bad.body()).isEqualTo(400);
            assertThat(bad.body()).doesNotContain("Exception").doesNotContain("at io.");
        }
        Http.Response tooMuch = http.postJson(capture, "demo-checkout", "{\"amount\":1000.01}");
        assertThat(tooMuch.status()).isEqualTo(422);
        Http.Response otherCurrency = http.postJson(capture, "demo-checkout", "{\"currency\":\"USD\"}");
        assertThat(otherCurrency.status()).isEqualTo(422);
        assertThat(otherCurrency.json().get("type").asText()).isEqualTo("/problems/currency-mismatch");
        assertThat(http.get(LINES + "bad%20id", "demo-checkout").status()).isEqualTo(400);
        assertThat(http.get(LINES + "NOBODY-" + customer, "demo-checkout").status())
                .isEqualTo(404);
        // nothing above changed the hold
        assertThat(line().at("/holds/0/status").asText()).isEqualTo("OPEN");
        Http.Response badOrderId =
                http.postJson(DECISIONS, "demo-checkout", order(customer, "SO 3; DROP TABLE credit_hold", "1000"));
        assertThat(badOrderId.status()).isEqualTo(400);
        assertThat(badOrderId.json().at("/errors/0/field").asText()).isEqualTo("order.id");
        Http.Response held = http.postJson(
                DECISIONS,
                "demo-checkout",
                order(customer, "SO-4", "1000").replace("\"customer\":{", "\"customer\":{\"heldAmount\":0,"));
        assertThat(held.status()).isEqualTo(400);
        assertThat(held.json().at("/errors/0/field").asText()).isEqualTo("customer.heldAmount");
    }

    @Test
    void fortyConcurrentOrdersNeverOverCommitTheLimit() throws Exception {
        ExecutorService checkout = Executors.newFixedThreadPool(20);
        List<Future<Http.Response>> answers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String orderId = "SO-" + i;
            answers.add(checkout.submit(() -> decide(orderId, "15000")));
        }
        int approved = 0;
        int referred = 0;
        for (Future<Http.Response> answer : answers) {
            JsonNode json = answer.get().json();
            switch (json.get("outcome").asText()) {
                case "APPROVED" -> {
                    approved++;
                    assertThat(json.has("hold")).isTrue();
                }
                case "REFERRED" -> {
                    referred++;
                    assertThat(json.get("reasons").toString()).contains("REF_OVER_LIMIT");
                    assertThat(json.has("hold")).isFalse();
                }
                default -> throw new AssertionError(json.toString());
            }
        }
        checkout.shutdown();

        assertThat(approved).isEqualTo(26);
        assertThat(referred).isEqualTo(14);
        JsonNode line = line();
        assertThat(line.get("held").decimalValue()).isEqualByComparingTo("390000");
        assertThat(line.get("available").decimalValue()).isEqualByComparingTo("10000");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM credit_hold WHERE customer_id = ? AND status = 'OPEN'")
                        .param(customer)
                        .query(Integer.class)
                        .single())
                .isEqualTo(26);
    }

    @Test
    void anExpiredHoldStopsCountingAndTheSweepClosesIt() {
        String hold = decide("SO-1", "240000").json().at("/hold/id").asText();
        // a month passes: the hold's expiry is now behind us
        jdbc.sql("UPDATE credit_hold SET expires_at = ? WHERE id = ?")
                .params(OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1), UUID.fromString(hold))
                .update();

        JsonNode line = line();
        assertThat(line.get("held").decimalValue()).isEqualByComparingTo("0");
        assertThat(line.at("/holds/0/status").asText()).isEqualTo("EXPIRED");
        assertThat(decide("SO-2", "240000").json().get("availableCredit").decimalValue())
                .isEqualByComparingTo("400000");
        assertThat(http.postJson(LINES + customer + "/holds/" + hold + "/capture", "demo-checkout", "")
                        .status())
                .isEqualTo(409);
        assertThat(http.postJson(LINES + customer + "/holds/" + hold + "/release", "demo-checkout", "")
                        .json()
                        .get("holdStatus")
                        .asText())
                .isEqualTo("EXPIRED");
        creditLines.expireDue();
        assertThat(creditLines.history(UUID.fromString(hold)))
                .extracting(LedgerEntry::event)
                .containsExactly("PLACED", "EXPIRED");
    }

    @Test
    void theSweepExpiresHoldsOnceEachAndWritesThemToTheLedger() {
        String hold = decide("SO-1", "1000").json().at("/hold/id").asText();
        jdbc.sql("UPDATE credit_hold SET expires_at = ? WHERE id = ?")
                .params(OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1), UUID.fromString(hold))
                .update();

        creditLines.expireDue();
        creditLines.expireDue();

        assertThat(creditLines.history(UUID.fromString(hold)))
                .extracting(LedgerEntry::event, LedgerEntry::actor)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("PLACED", "demo-checkout"),
                        org.assertj.core.groups.Tuple.tuple("EXPIRED", "system"));
        assertThat(line().at("/holds/0/status").asText()).isEqualTo("EXPIRED");
        assertThat(line().at("/holds/0/closedAt").isNull()).isFalse();
    }

    @Test
    void aBusyBuyersRecordNamesTheFirstHoldsAndDigestsThemAll() throws Exception {
        for (int i = 0; i < Exposure.LISTED_HOLDS + 10; i++) {
            assertThat(decide("SO-" + i, "1000").json().has("hold")).isTrue();
        }

        String id = decide("SO-LAST", "1000").json().get("decisionId").asText();

        JsonNode creditLine =
                http.get(DECISIONS + "/" + id, "demo-auditor").json().get("creditLine");
        assertThat(creditLine.get("holdCount").asInt()).isEqualTo(Exposure.LISTED_HOLDS + 10);
        assertThat(creditLine.get("holds")).hasSize(Exposure.LISTED_HOLDS);
        assertThat(creditLine.get("held").decimalValue()).isEqualByComparingTo("60000");
        // the digest is what an auditor recomputes from the holds: sorted "id amount" lines
        java.security.MessageDigest sha256 = java.security.MessageDigest.getInstance("SHA-256");
        List<String> lines = new ArrayList<>();
        for (JsonNode hold : line().get("holds")) {
            if (!hold.get("orderId").asText().equals("SO-LAST")) {
                lines.add(hold.get("id").asText() + " "
                        + hold.get("amount").decimalValue().toPlainString() + "\n");
            }
        }
        lines.stream().sorted().forEach(l -> sha256.update(l.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertThat(creditLine.get("holdsSha256").asText())
                .isEqualTo(java.util.HexFormat.of().formatHex(sha256.digest()));
    }

    @Test
    void everyTransitionIsInTheChainedLedger() {
        String hold = decide("SO-1", "100000").json().at("/hold/id").asText();
        decide("SO-1", "90000"); // replaces it
        String second = line().at("/holds/0/id").asText();
        http.postJson(LINES + customer + "/holds/" + second + "/capture", "demo-checkout", "{\"amount\":50000}");

        assertThat(creditLines.history(UUID.fromString(hold)))
                .extracting(LedgerEntry::event, LedgerEntry::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("PLACED", null),
                        org.assertj.core.groups.Tuple.tuple("RELEASED", "REPLACED"));
        List<LedgerEntry> entries = creditLines.history(UUID.fromString(second));
        assertThat(entries)
                .extracting(LedgerEntry::event, LedgerEntry::amount)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("PLACED", new BigDecimal("90000")),
                        org.assertj.core.groups.Tuple.tuple("CAPTURED", new BigDecimal("50000")),
                        org.assertj.core.groups.Tuple.tuple("RELEASED", new BigDecimal("40000")));
        assertThat(entries).allSatisfy(e -> assertThat(e.verifies()).isTrue());
        assertThat(creditLines.verifyLedger().valid()).isTrue();
    }

    /** The ERP sends a receivables file with one row for {@code customerId}, as the ERP would. */
    private void snapshot(
            String customerId,
            Instant asOf,
            String balance,
            Integer invoicesPaid,
            BigDecimal avgDaysBeyondTerms,
            Integer maxDaysPastDue) {
        String csv = "customerId,asOf,outstandingBalance,invoicesPaid,avgDaysBeyondTerms,maxDaysPastDue\n"
                + customerId + "," + asOf.truncatedTo(ChronoUnit.MILLIS) + "," + balance + ","
                + (invoicesPaid == null ? "" : invoicesPaid) + ","
                + (avgDaysBeyondTerms == null ? "" : avgDaysBeyondTerms.toPlainString()) + ","
                + (maxDaysPastDue == null ? "" : maxDaysPastDue) + "\n";
        Http.Response imported = http.post("/api/v1/receivables", "demo-erp", "text/csv", csv);
        assertThat(imported.status()).as(imported.body()).isEqualTo(201);
    }
}
