package io.termsgate.referral;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A referred order's way to its final answer, over real HTTP with the demo keys: checkout decides, the case appears
 * in the queue, the person with the authority approves or declines it (people below its level, and checkout, are
 * refused), checkout polls the final state, and the auditor sees the original decision unchanged beside the person's,
 * all chains verifying. Deadlines run on the service's clock, set by the test. Run on H2 and on PostgreSQL.
 */
abstract class ReferralScenarios {

    static final String CHECKOUT = "demo-checkout";
    static final String CREDIT_ANALYST = "demo-credit-analyst";
    static final String CREDIT_MANAGER = "demo-credit-manager";
    static final String CFO = "demo-cfo";
    static final String SECOND_CFO = "test-second-cfo";
    static final String AUDITOR = "demo-auditor";

    @LocalServerPort
    int port;

    @Autowired
    SettableClock clock;

    @Autowired
    Referrals referrals;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    Http http;

    @BeforeEach
    void http() {
        http = new Http(port);
    }

    /** A worked example's request as a new buyer's order (its own line, so no test sees another's holds). */
    JsonNode decide(String example, String orderId) {
        ObjectNode request = PolicyExamples.byCustomerId(example).request().deepCopy();
        String customer = example + "-" + UUID.randomUUID().toString().substring(0, 8);
        ((ObjectNode) request.get("customer")).put("id", customer);
        if (orderId != null) {
            ((ObjectNode) request.get("order")).put("id", orderId);
        }
        Http.Response decided = http.postJson("/api/v1/credit-decisions", CHECKOUT, request.toString());
        assertThat(decided.status()).as(decided.body()).isEqualTo(201);
        return decided.json();
    }

    /** A worked example's request for a given buyer, order and amount. */
    JsonNode decide(String example, String customer, String orderId, String amount) {
        ObjectNode request = PolicyExamples.byCustomerId(example).request().deepCopy();
        ((ObjectNode) request.get("customer")).put("id", customer);
        ((ObjectNode) request.get("order")).put("id", orderId);
        ((ObjectNode) request.get("order")).put("amount", new java.math.BigDecimal(amount));
        Http.Response decided = http.postJson("/api/v1/credit-decisions", CHECKOUT, request.toString());
        assertThat(decided.status()).as(decided.body()).isEqualTo(201);
        return decided.json();
    }

    @Test
    void approvalsAddUpOnTheBuyersLineNowNotAsEachReferralSawIt() {
        // two grade-D orders of one buyer, each within its 40,000 limit alone, each referred to a credit analyst
        String customer = "SPLIT-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode first = decide("EX-27", customer, "SO-SPLIT-1", "38000");
        JsonNode second = decide("EX-27", customer, "SO-SPLIT-2", "38000");
        String firstCase = caseOf(first, customer);
        String secondCase = caseOf(second, customer);

        assertThat(approve(firstCase, CREDIT_ANALYST, "{}").status()).isEqualTo(200);
        // the second saw no hold when it was referred; its approval sees the first's: 36,000 of 38,000 over the limit
        Http.Response refused = approve(secondCase, CREDIT_ANALYST, "{}");
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.json().get("requiredLevel").asText()).isEqualTo("CFO");
        JsonNode line = http.get("/api/v1/credit-lines/" + customer, CHECKOUT).json();
        assertThat(line.get("held").decimalValue()).isEqualByComparingTo("38000");
    }

    @Test
    void anOrderDecidedAgainCannotBeApprovedOnItsOlderReferral() {
        String customer = "AGAIN-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode older = decide("EX-27", customer, "SO-AGAIN-1", "5000");
        JsonNode newer = decide("EX-27", customer, "SO-AGAIN-1", "6000");
        Http.Response refused = approve(caseOf(older, customer), CREDIT_ANALYST, "{}");
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.json().get("latestDecisionId").asText())
                .isEqualTo(newer.get("decisionId").asText());
        assertThat(approve(caseOf(newer, customer), CREDIT_ANALYST, "{}").status())
                .isEqualTo(200);
    }

    String caseOf(JsonNode decision, String customer) {
        for (JsonNode item : http.get("/api/v1/referrals?customerId=" + customer, AUDITOR)
                .json()
                .get("items")) {
            if (item.get("decisionId")
                    .asText()
                    .equals(decision.get("decisionId").asText())) {
                return item.get("id").asText();
            }
        }
        throw new AssertionError("no referral for " + decision);
    }

    JsonNode referralOf(JsonNode decision) {
        String customer = customerOf(decision);
        Http.Response list = http.get("/api/v1/referrals?customerId=" + customer, AUDITOR);
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        assertThat(list.json().get("items")).as(list.body()).hasSize(1);
        JsonNode referral = list.json().at("/items/0");
        assertThat(referral.get("decisionId").asText())
                .isEqualTo(decision.get("decisionId").asText());
        return referral;
    }

    String customerOf(JsonNode decision) {
        JsonNode record = http.get(
                        "/api/v1/credit-decisions/" + decision.get("decisionId").asText(), AUDITOR)
                .json();
        return record.get("customerId").asText();
    }

    Http.Response approve(String referralId, String key, String body) {
        return http.postJson("/api/v1/referrals/" + referralId + "/approve", key, body);
    }

    Http.Response decline(String referralId, String key, String body) {
        return http.postJson("/api/v1/referrals/" + referralId + "/decline", key, body);
    }

    JsonNode status(JsonNode decision) {
        Http.Response status = http.get(
                "/api/v1/credit-decisions/" + decision.get("decisionId").asText() + "/status", CHECKOUT);
        assertThat(status.status()).as(status.body()).isEqualTo(200);
        return status.json();
    }

    @Test
    void aGradeDOrderRoutedToACreditAnalystIsApprovedByOneAndCheckoutLearnsTheFinalAnswerWithItsHold() {
        JsonNode decision = decide("EX-27", "SO-D-1");
        assertThat(decision.get("outcome").asText()).isEqualTo("REFERRED");
        assertThat(decision.get("approvalRoute").asText()).isEqualTo("CREDIT_ANALYST");
        JsonNode referral = referralOf(decision);
        String id = referral.get("id").asText();
        assertThat(referral.get("status").asText()).isEqualTo("OPEN");
        assertThat(referral.get("route").asText()).isEqualTo("CREDIT_ANALYST");
        assertThat(referral.get("orderId").asText()).isEqualTo("SO-D-1");
        assertThat(referral.get("amount").decimalValue()).isEqualByComparingTo("5000");
        assertThat(referral.get("reasons").toString()).isEqualTo("[\"REF_RISK_GRADE\"]");
        // four business hours from the decision (the authority table's deadline for a credit analyst)
        Instant decidedAt = Instant.parse(referral.get("createdAt").asText());
        assertThat(Instant.parse(referral.get("dueAt").asText()))
                .isEqualTo(new BusinessHours(
                                ZoneOffset.UTC,
                                java.util.EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
                                java.time.LocalTime.of(9, 0),
                                java.time.LocalTime.of(17, 0))
                        .plus(decidedAt, 4));

        JsonNode waiting = status(decision);
        assertThat(waiting.get("final").asBoolean()).isFalse();
        assertThat(waiting.get("outcome").asText()).isEqualTo("REFERRED");
        assertThat(waiting.get("referralId").asText()).isEqualTo(id);
        assertThat(waiting.get("creditLimit").isNull()).isTrue();

        // checkout may not decide its own referrals
        Http.Response byCheckout = approve(id, CHECKOUT, "{\"note\": \"let it through\"}");
        assertThat(byCheckout.status()).as(byCheckout.body()).isEqualTo(403);

        Http.Response approved = approve(id, CREDIT_ANALYST, "{\"note\": \"known buyer, small order\"}");
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        JsonNode answer = approved.json();
        assertThat(answer.get("outcome").asText()).isEqualTo("APPROVED");
        assertThat(answer.get("final").asBoolean()).isTrue();
        assertThat(answer.get("decidedBy").asText()).isEqualTo(CREDIT_ANALYST);
        assertThat(answer.get("creditLimit").decimalValue()).isEqualByComparingTo("40000");
        assertThat(answer.get("termDays").asInt()).isEqualTo(30);
        assertThat(answer.at("/hold/amount").decimalValue()).isEqualByComparingTo("5000");
        assertThat(answer.at("/hold/status").asText()).isEqualTo("OPEN");
        assertThat(answer.at("/hold/orderId").asText()).isEqualTo("SO-D-1");

        JsonNode polled = status(decision);
        assertThat(polled).isEqualTo(answer);
        String customer = customerOf(decision);
        JsonNode line = http.get("/api/v1/credit-lines/" + customer, CHECKOUT).json();
        assertThat(line.get("held").decimalValue()).isEqualByComparingTo("5000");

        // decided once
        Http.Response again = approve(id, CREDIT_ANALYST, "{}");
        assertThat(again.status()).as(again.body()).isEqualTo(409);
        assertThat(again.json().get("referralStatus").asText()).isEqualTo("APPROVED");
        assertThat(decline(id, CFO, "{\"reasons\": [\"CHANGED_MIND\"]}").status())
                .isEqualTo(409);

        // the auditor sees both: the original decision, unchanged and replaying to itself, and the person's answer
        JsonNode record = http.get(
                        "/api/v1/credit-decisions/" + decision.get("decisionId").asText(), AUDITOR)
                .json();
        assertThat(record.at("/result/outcome").asText()).isEqualTo("REFERRED");
        Http.Response replay = http.postJson(
                "/api/v1/credit-decisions/" + decision.get("decisionId").asText() + "/replay", AUDITOR, "");
        assertThat(replay.status()).as(replay.body()).isEqualTo(200);
        assertThat(replay.json().get("differences")).isEmpty();
        JsonNode detail = http.get("/api/v1/referrals/" + id, AUDITOR).json();
        assertThat(detail.at("/decision/result/outcome").asText()).isEqualTo("REFERRED");
        assertThat(detail.at("/decision/trace").isObject()).isTrue();
        JsonNode event = detail.at("/history/0");
        assertThat(event.get("event").asText()).isEqualTo("APPROVED");
        assertThat(event.get("actor").asText()).isEqualTo(CREDIT_ANALYST);
        assertThat(event.get("note").asText()).isEqualTo("known buyer, small order");
        assertThat(event.get("decisionId").asText())
                .isEqualTo(decision.get("decisionId").asText());
        assertThat(event.get("authorityVersion").asText()).startsWith("sha256:");
        assertThat(event.get("holdId").asText()).isEqualTo(answer.at("/hold/id").asText());
        assertChainsVerify();
    }

    @Test
    void aCfoRoutedCaseIsRefusedToACreditManagerAndApprovedByTheCfo() {
        JsonNode decision = decide("EX-32", "SO-CFO-1");
        assertThat(decision.get("approvalRoute").asText()).isEqualTo("CFO");
        String id = referralOf(decision).get("id").asText();

        Http.Response byManager = approve(id, CREDIT_MANAGER, "{\"note\": \"fine by me\"}");
        assertThat(byManager.status()).as(byManager.body()).isEqualTo(403);
        assertThat(byManager.json().get("requiredLevel").asText()).isEqualTo("CFO");
        assertThat(byManager.json().get("detail").asText()).contains("CFO");
        assertThat(http.get("/api/v1/referrals/" + id, AUDITOR)
                        .json()
                        .at("/referral/status")
                        .asText())
                .isEqualTo("OPEN");

        Http.Response byCfo = approve(id, CFO, "{\"note\": \"strategic account\", \"termDays\": 45}");
        assertThat(byCfo.status()).as(byCfo.body()).isEqualTo(200);
        assertThat(byCfo.json().get("outcome").asText()).isEqualTo("APPROVED");
        assertThat(byCfo.json().get("termDays").asInt()).isEqualTo(45);
        assertThat(byCfo.json().at("/hold/amount").decimalValue()).isEqualByComparingTo("200000.01");
    }

    @Test
    void aCreditAnalystMayNotGrantMoreThanTheAuthorityTableAllowsAndIsToldWhoMay() {
        JsonNode decision = decide("EX-27", "SO-D-2");
        String id = referralOf(decision).get("id").asText();

        // a credit analyst grants limits up to 150,000
        Http.Response tooHigh = approve(id, CREDIT_ANALYST, "{\"creditLimit\": 200000}");
        assertThat(tooHigh.status()).as(tooHigh.body()).isEqualTo(403);
        assertThat(tooHigh.json().get("requiredLevel").asText()).isEqualTo("CREDIT_MANAGER");
        // and never a longer term than the order asked for (60 days), whoever approves
        Http.Response tooLong = approve(id, CFO, "{\"termDays\": 90}");
        assertThat(tooLong.status()).as(tooLong.body()).isEqualTo(422);
        assertThat(tooLong.json().get("requestedTermDays").asInt()).isEqualTo(60);

        Http.Response byManager = approve(id, CREDIT_MANAGER, "{\"creditLimit\": 200000, \"termDays\": 60}");
        assertThat(byManager.status()).as(byManager.body()).isEqualTo(200);
        assertThat(byManager.json().get("creditLimit").decimalValue()).isEqualByComparingTo("200000");
        assertThat(byManager.json().get("termDays").asInt()).isEqualTo(60);
    }

    @Test
    void aDeclineWithReasonsIsFinalAndPlacesNoHold() {
        JsonNode decision = decide("EX-14", "SO-DECLINE-1");
        String id = referralOf(decision).get("id").asText();

        Http.Response declined = decline(
                id, CREDIT_MANAGER, "{\"reasons\": [\"THIN_FILE\", \"EXPOSURE_TOO_HIGH\"], \"note\": \"not now\"}");
        assertThat(declined.status()).as(declined.body()).isEqualTo(200);
        JsonNode answer = declined.json();
        assertThat(answer.get("outcome").asText()).isEqualTo("DECLINED");
        assertThat(answer.get("final").asBoolean()).isTrue();
        assertThat(answer.get("decidedBy").asText()).isEqualTo(CREDIT_MANAGER);
        assertThat(answer.get("reasons").toString()).isEqualTo("[\"EXPOSURE_TOO_HIGH\",\"THIN_FILE\"]");
        assertThat(answer.get("hold").isNull()).isTrue();
        assertThat(answer.get("creditLimit").decimalValue()).isEqualByComparingTo("0");
        assertThat(status(decision)).isEqualTo(answer);
        assertThat(approve(id, CFO, "{}").status()).isEqualTo(409);
        assertChainsVerify();
    }

    @Test
    void aboveOneMillionTwoDifferentCfosMustApprove() {
        JsonNode decision = decide("EX-39", "SO-BIG-1");
        assertThat(decision.get("approvalRoute").asText()).isEqualTo("CFO");
        String id = referralOf(decision).get("id").asText();

        Http.Response first = approve(id, CFO, "{\"note\": \"first pair of eyes\"}");
        assertThat(first.status()).as(first.body()).isEqualTo(202);
        assertThat(first.json().get("firstApprovedBy").asText()).isEqualTo(CFO);
        assertThat(status(decision).get("final").asBoolean()).isFalse();

        Http.Response sameAgain = approve(id, CFO, "{}");
        assertThat(sameAgain.status()).as(sameAgain.body()).isEqualTo(403);
        // the same person with another key (or signed in to the console) is still the first pair of eyes
        Http.Response samePersonOtherKey = approve(id, "test-cfo-laptop", "{}");
        assertThat(samePersonOtherKey.status()).as(samePersonOtherKey.body()).isEqualTo(403);
        assertThat(samePersonOtherKey.json().get("title").asText()).isEqualTo("Four eyes");
        Http.Response otherTerms = approve(id, SECOND_CFO, "{\"termDays\": 30}");
        assertThat(otherTerms.status()).as(otherTerms.body()).isEqualTo(409);

        Http.Response second = approve(id, SECOND_CFO, "{\"note\": \"second pair of eyes\"}");
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        assertThat(second.json().get("decidedBy").asText()).isEqualTo(CFO + " + second-cfo");
        JsonNode history = http.get("/api/v1/referrals/" + id, AUDITOR).json().get("history");
        assertThat(history).hasSize(2);
        assertThat(history.get(0).get("event").asText()).isEqualTo("FIRST_APPROVAL");
        assertThat(history.get(1).get("event").asText()).isEqualTo("APPROVED");
    }

    @Test
    void anOverdueCaseEscalatesOnceAndAnUnansweredOneExpiresAsDeclined() {
        // a Monday, 10:00 UTC, after anything the other tests did
        ZonedDateTime monday = clock.instant()
                .atZone(ZoneOffset.UTC)
                .plusDays(1)
                .with(TemporalAdjusters.next(DayOfWeek.MONDAY))
                .withHour(10)
                .withMinute(0)
                .withSecond(0)
                .withNano(0);
        clock.set(monday.toInstant());
        JsonNode decision = decide("EX-12", "SO-LATE-1");
        JsonNode referral = referralOf(decision);
        String id = referral.get("id").asText();
        assertThat(Instant.parse(referral.get("dueAt").asText()))
                .isEqualTo(monday.withHour(14).toInstant());

        clock.set(monday.withHour(13).withMinute(59).toInstant());
        referrals.sweep();
        assertThat(http.get("/api/v1/referrals/" + id, AUDITOR)
                        .json()
                        .at("/referral/route")
                        .asText())
                .isEqualTo("CREDIT_ANALYST");

        clock.set(monday.withHour(14).toInstant());
        referrals.sweep();
        referrals.sweep(); // a second sweep (or another instance's) finds nothing more to do
        JsonNode escalated = http.get("/api/v1/referrals/" + id, AUDITOR).json();
        assertThat(escalated.at("/referral/route").asText()).isEqualTo("CREDIT_MANAGER");
        assertThat(escalated.at("/referral/originalRoute").asText()).isEqualTo("CREDIT_ANALYST");
        assertThat(escalated.at("/referral/escalations").asInt()).isEqualTo(1);
        // eight business hours at the manager's level: Monday 14:00 + 3 h, Tuesday 09:00 + 5 h
        assertThat(Instant.parse(escalated.at("/referral/dueAt").asText()))
                .isEqualTo(monday.plusDays(1).withHour(14).toInstant());
        assertThat(escalated.get("history")).hasSize(1);
        assertThat(escalated.at("/history/0/event").asText()).isEqualTo("ESCALATED");
        assertThat(escalated.at("/history/0/level").asText()).isEqualTo("CREDIT_MANAGER");
        // the credit analyst's level no longer reaches it
        assertThat(approve(id, CREDIT_ANALYST, "{}").status()).isEqualTo(403);

        clock.set(monday.toInstant().plus(Duration.ofHours(72)));
        referrals.sweep();
        JsonNode expired = http.get("/api/v1/referrals/" + id, AUDITOR).json();
        assertThat(expired.at("/referral/status").asText()).isEqualTo("EXPIRED");
        JsonNode answer = status(decision);
        assertThat(answer.get("final").asBoolean()).isTrue();
        assertThat(answer.get("outcome").asText()).isEqualTo("DECLINED");
        assertThat(answer.get("decidedBy").asText()).isEqualTo("system");
        assertThat(answer.get("reasons").toString()).isEqualTo("[\"REF_EXPIRED\"]");
        assertThat(expired.get("history")).hasSize(2);
        assertThat(expired.at("/history/1/event").asText()).isEqualTo("EXPIRED");
        assertThat(expired.at("/history/1/outcome").asText()).isEqualTo("DECLINED");
        assertThat(approve(id, CFO, "{}").status()).isEqualTo(409);
        assertChainsVerify();

        // operators see it (Prometheus, in ObservabilityTest's setup): open cases per level, time to decision,
        // escalations and expiries
        assertThat(meters.get("termsgate.referrals.open")
                        .tag("level", "CREDIT_ANALYST")
                        .gauge()
                        .value())
                .isGreaterThanOrEqualTo(0);
        assertThat(meters.get("termsgate.referrals.escalations").counter().count())
                .isGreaterThanOrEqualTo(1);
        assertThat(meters.get("termsgate.referrals.expired").counter().count()).isGreaterThanOrEqualTo(1);
        assertThat(meters.get("termsgate.referrals.time.to.decision")
                        .tag("outcome", "EXPIRED")
                        .timer()
                        .count())
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void approvalsAndDeclinesRefuseBadInputWithAProblemNamingIt() {
        JsonNode decision = decide("EX-27", "SO-BAD-1");
        String id = referralOf(decision).get("id").asText();

        assertProblem(approve("not-a-uuid", CREDIT_ANALYST, "{}"), 400, "referralId");
        assertProblem(approve(id, CREDIT_ANALYST, "{\"creditLimit\": -1}"), 400, "creditLimit");
        assertProblem(approve(id, CREDIT_ANALYST, "{\"creditLimit\": 1e400}"), 400, "creditLimit");
        assertProblem(approve(id, CREDIT_ANALYST, "{\"creditLimit\": 10.001}"), 400, "creditLimit");
        assertProblem(approve(id, CREDIT_ANALYST, "{\"creditLimit\": \"40000\"}"), 400, "creditLimit");
        assertProblem(approve(id, CREDIT_ANALYST, "{\"termDays\": 0}"), 400, "termDays");
        assertProblem(approve(id, CREDIT_ANALYST, "{\"termDays\": 30.5}"), 400, "termDays");
        assertProblem(approve(id, CREDIT_ANALYST, "{\"outcome\": \"APPROVED\"}"), 400, "outcome");
        assertProblem(approve(id, CREDIT_ANALYST, "{\"note\": \"" + "x".repeat(2001) + "\"}"), 400, "note");
        assertProblem(approve(id, CREDIT_ANALYST, "{\"note\": \"a\\u0000b\"}"), 400, "note");
        assertProblem(approve(id, CREDIT_ANALYST, "[]"), 400, "");
        assertProblem(approve(id, CREDIT_ANALYST, ""), 400, "");
        assertThat(approve(id, CREDIT_ANALYST, "{\"note\": ").status()).isEqualTo(400);
        assertProblem(decline(id, CREDIT_ANALYST, "{\"note\": \"no reasons\"}"), 400, "reasons");
        assertProblem(decline(id, CREDIT_ANALYST, "{\"reasons\": []}"), 400, "reasons");
        assertProblem(decline(id, CREDIT_ANALYST, "{\"reasons\": [\"<script>\"]}"), 400, "reasons[0]");
        assertProblem(decline(id, CREDIT_ANALYST, "{\"reasons\": [1]}"), 400, "reasons[0]");
        assertThat(http.get("/api/v1/referrals?status=MAYBE", CREDIT_ANALYST).status())
                .isEqualTo(400);
        assertThat(http.get("/api/v1/referrals?route=AUTO", CREDIT_ANALYST).status())
                .isEqualTo(400);
        assertThat(http.get("/api/v1/referrals?size=1000", CREDIT_ANALYST).status())
                .isEqualTo(400);
        assertThat(http.get("/api/v1/referrals?page=-1", CREDIT_ANALYST).status())
                .isEqualTo(400);
        assertThat(http.get("/api/v1/referrals?customerId=a%20b", CREDIT_ANALYST)
                        .status())
                .isEqualTo(400);
        assertThat(http.get("/api/v1/referrals/" + UUID.randomUUID(), CREDIT_ANALYST)
                        .status())
                .isEqualTo(404);
        assertThat(approve(UUID.randomUUID().toString(), CREDIT_ANALYST, "{}").status())
                .isEqualTo(404);
        assertThat(http.get("/api/v1/credit-decisions/" + UUID.randomUUID() + "/status", CHECKOUT)
                        .status())
                .isEqualTo(404);
        assertThat(http.get("/api/v1/credit-decisions/nope/status", CHECKOUT).status())
                .isEqualTo(400);
        // nothing of it changed the case
        JsonNode still = http.get("/api/v1/referrals/" + id, AUDITOR).json();
        assertThat(still.at("/referral/status").asText()).isEqualTo("OPEN");
        assertThat(still.get("history")).isEmpty();
    }

    @Test
    void anAlteredAnswerBreaksTheReferralsChain() {
        JsonNode decision = decide("EX-14", "SO-TAMPER-1");
        String id = referralOf(decision).get("id").asText();
        assertThat(decline(id, CFO, "{\"reasons\": [\"NO\"], \"note\": \"declined\"}")
                        .status())
                .isEqualTo(200);
        long seq = jdbc.sql("SELECT MAX(seq) FROM referral_event WHERE case_id = ?")
                .param(UUID.fromString(id))
                .query(Long.class)
                .single();
        try {
            // someone with database access turns the decline into an approval's note
            jdbc.sql("UPDATE referral_event SET note = 'approved after all' WHERE seq = ?")
                    .param(seq)
                    .update();
            JsonNode report =
                    http.get("/api/v1/audit/referrals/verify", AUDITOR).json();
            assertThat(report.get("valid").asBoolean()).isFalse();
            assertThat(report.get("firstInvalidSeq").asLong()).isEqualTo(seq);
        } finally {
            jdbc.sql("UPDATE referral_event SET note = 'declined' WHERE seq = ?")
                    .param(seq)
                    .update();
        }
        assertChainsVerify();

        // the case's row is not what checkout is told: its answer comes from the chain
        JsonNode told = status(decision);
        jdbc.sql("UPDATE referral_case SET status = 'APPROVED', final_outcome = 'APPROVED', credit_limit = 999999, "
                        + "term_days = 90 WHERE id = ?")
                .param(UUID.fromString(id))
                .update();
        assertThat(status(decision)).isEqualTo(told);
        assertThat(told.get("outcome").asText()).isEqualTo("DECLINED");
    }

    void assertChainsVerify() {
        for (String chain :
                new String[] {"/api/v1/audit/verify", "/api/v1/audit/ledger/verify", "/api/v1/audit/referrals/verify"
                }) {
            Http.Response report = http.get(chain, AUDITOR);
            assertThat(report.status()).as(chain + " " + report.body()).isEqualTo(200);
            assertThat(report.json().get("valid").asBoolean())
                    .as(chain + " " + report.body())
                    .isTrue();
        }
    }

    static void assertProblem(Http.Response response, int status, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
        if (!field.isEmpty()) {
            assertThat(response.body()).as(response.body()).contains("\"" + field + "\"");
        }
    }
}
