package io.termsgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import io.termsgate.support.ServiceTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The approvers' pages over real HTTP without a browser: who lands where and sees what, the queue's filters, a case's
 * decline and the refusals the service gives (a level too low, decided already) shown on the page, and hostile input
 * answered with the console's own pages, never a 500.
 */
@ServiceTest
@DirtiesContext
class ReferralPagesTest {

    @LocalServerPort
    int port;

    @Test
    void approversLandOnTheirOwnQueueAndSeeTheCasesOfTheirLevel() {
        Referred referred = refer("EX-27", "RPT-QUEUE-" + UUID.randomUUID());
        ConsoleSession analyst = new ConsoleSession(port);
        ConsoleSession.Page signedIn = analyst.signIn("demo-credit-analyst-person", "demo-credit-analyst-pass");
        assertThat(signedIn.location()).isEqualTo(ReferralPages.REFERRALS);

        ConsoleSession.Page queue = analyst.get("/console/referrals");
        assertThat(queue.status()).isEqualTo(200);
        assertThat(queue.body())
                .contains("<option value=\"CREDIT_ANALYST\" selected=\"selected\">")
                .contains("data-id=\"" + referred.referralId + "\"")
                .contains(referred.orderId)
                .contains("5,000 EUR")
                .contains("REF_RISK_GRADE");
        assertThat(analyst.get("/console/referrals?level=CFO&status=OPEN").body())
                .doesNotContain("data-id=\"" + referred.referralId + "\"");
        assertThat(analyst.get("/console/referrals?level=&status=&customerId=EX-27")
                        .body())
                .contains("data-id=\"" + referred.referralId + "\"");

        ConsoleSession.Page page = analyst.get("/console/referrals/" + referred.referralId);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body())
                .contains("The risk grade is D: a credit analyst must sign the order off.")
                .contains("id=\"trace-rows\"")
                .contains("id=\"approve\"")
                .contains("id=\"decline\"")
                .contains("name=\"_csrf\"");
        assertThat(analyst.get("/console/rulesets").status())
                .as("deciding referred orders opens no ruleset page")
                .isEqualTo(403);
        assertThat(analyst.get("/console/decisions").status()).isEqualTo(403);
    }

    @Test
    void theOverviewCountsOpenCasesPerLevelForThoseWhoReadThem() {
        refer("EX-32", null);
        ConsoleSession manager = signedIn("demo-credit-manager-person", "demo-credit-manager-pass");
        String overview = manager.get("/console").body();
        assertThat(overview).contains("id=\"referrals-tile\"").contains("data-level=\"CFO\"");
        assertThat(overview).doesNotContain("Awaiting a decision");
        ConsoleSession analyst = signedIn("demo-analyst-person", "demo-analyst-pass");
        assertThat(analyst.get("/console").body())
                .as("a ruleset analyst reads no referral")
                .doesNotContain("referrals-tile");
        assertThat(analyst.get("/console/referrals").status()).isEqualTo(403);
    }

    @Test
    void aDeclineWithReasonsIsFinalAndTheNoteIsShownAsTextNeverAsMarkup() {
        Referred referred = refer("EX-27", null);
        ConsoleSession analyst = signedIn("demo-credit-analyst-person", "demo-credit-analyst-pass");
        String path = "/console/referrals/" + referred.referralId;
        analyst.get(path);
        ConsoleSession.Page declined = analyst.post(
                path + "/decline",
                Map.of("reasons", "decline_credit_risk, MANUAL_REVIEW", "note", "<script>alert('x')</script>\r\nok"));
        assertThat(declined.status()).as(declined.toString()).isEqualTo(302);
        assertThat(declined.location()).isEqualTo(path);
        ConsoleSession.Page after = analyst.get(path);
        assertThat(after.body())
                .contains("Declined by demo-credit-analyst-person")
                .contains("id=\"final-outcome\"")
                .contains("DECLINE_CREDIT_RISK")
                .contains("MANUAL_REVIEW")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
                .doesNotContain("<script>alert")
                .doesNotContain("id=\"approve\"");
        assertThat(new Http(port)
                        .get("/api/v1/credit-decisions/" + referred.decisionId + "/status", "demo-checkout")
                        .json()
                        .get("outcome")
                        .asText())
                .isEqualTo("DECLINED");

        // decided already: the service's 409 in words, on the page
        ConsoleSession.Page again = analyst.post(path + "/decline", Map.of("reasons", "LATE"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body()).contains("Referral already decided").contains("is DECLINED");
    }

    @Test
    void aCaseAboveThePersonsLevelIsRefusedOnThePageNamingTheLevelItNeeds() {
        Referred cfoCase = refer("EX-32", "RPT-CFO-" + UUID.randomUUID());
        ConsoleSession manager = signedIn("demo-credit-manager-person", "demo-credit-manager-pass");
        String path = "/console/referrals/" + cfoCase.referralId;
        ConsoleSession.Page page = manager.get(path);
        assertThat(page.body()).contains("id=\"below-level\"").contains("below the");
        ConsoleSession.Page refused = manager.post(path + "/approve", Map.of("note", "let it through"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body())
                .contains("Needs a higher level")
                .contains("is at CFO")
                .contains("It needs CFO or above.")
                .contains("let it through")
                .doesNotContain("Exception");
        assertThat(manager.post(path + "/decline", Map.of("reasons", "NO")).status())
                .isEqualTo(403);
    }

    @Test
    void auditorsReadCasesButDecideNone() {
        Referred referred = refer("EX-27", null);
        ConsoleSession auditor = signedIn("demo-auditor-person", "demo-auditor-pass");
        ConsoleSession.Page queue = auditor.get("/console/referrals");
        assertThat(queue.status()).isEqualTo(200);
        assertThat(queue.body())
                .as("an auditor has no level: every level's open cases")
                .contains("data-id=\"" + referred.referralId + "\"")
                .doesNotContain("<option value=\"CREDIT_ANALYST\" selected=\"selected\">");
        String path = "/console/referrals/" + referred.referralId;
        ConsoleSession.Page page = auditor.get(path);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("id=\"approve\"").doesNotContain("id=\"decline\"");
        ConsoleSession.Page approve = auditor.post(path + "/approve", Map.of("note", "x"));
        assertThat(approve.status()).isEqualTo(403);
        assertThat(approve.body()).contains("Not allowed");
    }

    @Test
    void hostileInputIsAnsweredWithTheConsolesPagesNeverA500() {
        Referred referred = refer("EX-27", null);
        ConsoleSession analyst = signedIn("demo-credit-analyst-person", "demo-credit-analyst-pass");
        for (String bad : new String[] {
            "not-a-uuid", "%3Cscript%3E", "1", UUID.randomUUID().toString()
        }) {
            ConsoleSession.Page page = analyst.get("/console/referrals/" + bad);
            assertThat(page.status()).as(bad).isEqualTo(404);
            assertThat(page.body()).as(bad).contains("Back to the overview").doesNotContain("<script>");
        }
        ConsoleSession.Page level = analyst.get("/console/referrals?level=BOSS&status=NOPE");
        assertThat(level.status()).isEqualTo(400);
        assertThat(level.body()).contains("The level is CREDIT_ANALYST").contains("The status is OPEN");
        ConsoleSession.Page customer = analyst.get("/console/referrals?customerId=%3Cscript%3Ealert(1)%3C/script%3E");
        assertThat(customer.status()).isEqualTo(400);
        assertThat(customer.body()).doesNotContain("<script>alert");
        for (String page : new String[] {"-5", "99999999999999", "2147483647", "x"}) {
            ConsoleSession.Page answer = analyst.get("/console/referrals?page=" + page);
            assertThat(answer.status()).as(page).isEqualTo(200);
        }

        String path = "/console/referrals/" + referred.referralId;
        ConsoleSession.Page noToken = analyst.postWithoutToken(path + "/decline", Map.of("reasons", "CSRF"));
        assertThat(noToken.status()).isEqualTo(403);
        assertThat(analyst.get(path).body()).contains("id=\"decline\"").doesNotContain("final-outcome");
        analyst.get(path);
        ConsoleSession.Page badTerms = analyst.post(
                path + "/approve", Map.of("creditLimit", "-1", "termDays", "9999999999", "note", "x".repeat(2001)));
        assertThat(badTerms.status()).isEqualTo(422);
        assertThat(badTerms.body())
                .contains("The approval was not sent")
                .contains("The credit limit is a number")
                .contains("The term is a whole number")
                .contains("at most 2000 characters");
        ConsoleSession.Page badReasons = analyst.post(path + "/decline", Map.of("reasons", "<b>"));
        assertThat(badReasons.status()).isEqualTo(422);
        assertThat(badReasons.body()).contains("A reason code is").doesNotContain("<b>");
        ConsoleSession.Page unknown = analyst.post("/console/referrals/" + UUID.randomUUID() + "/decline", Map.of());
        assertThat(unknown.status()).isEqualTo(404);
        ConsoleSession.Page otherPath =
                analyst.post("/console/referrals/" + referred.referralId + "/escalate", Map.of());
        assertThat(otherPath.status()).isEqualTo(403);
    }

    /** A REFERRED decision made over HTTP by checkout and the referral case it opened. */
    record Referred(String decisionId, String referralId, String orderId) {}

    Referred refer(String example, String orderId) {
        ObjectNode request = PolicyExamples.byCustomerId(example).request().deepCopy();
        if (orderId != null) {
            ((ObjectNode) request.get("order")).put("id", orderId);
        }
        Http http = new Http(port);
        Http.Response decided = http.postJson("/api/v1/credit-decisions", "demo-checkout", request.toString());
        assertThat(decided.status()).as(decided.body()).isEqualTo(201);
        assertThat(decided.json().get("outcome").asText()).isEqualTo("REFERRED");
        String decisionId = decided.json().get("decisionId").asText();
        JsonNode status = http.get("/api/v1/credit-decisions/" + decisionId + "/status", "demo-checkout")
                .json();
        return new Referred(decisionId, status.get("referralId").asText(), orderId);
    }

    private ConsoleSession signedIn(String name, String password) {
        ConsoleSession session = new ConsoleSession(port);
        assertThat(session.signIn(name, password).status()).isEqualTo(302);
        return session;
    }
}
