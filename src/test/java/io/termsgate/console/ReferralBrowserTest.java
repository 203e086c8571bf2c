package io.termsgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import io.termsgate.support.ServiceTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Referred orders in a real browser, as approvers decide them: a credit analyst finds a grade-D order in the queue of
 * their level, reads the case and approves it with a note (the page shows it approved and the order's hold); declines
 * another with reasons; a credit manager trying a CFO's case is refused on the page, which names the level needed.
 *
 * <p>Screenshots go where {@link ConsoleBrowserTest}'s go ({@code -Dconsole.screenshots=docs/console} for the docs).
 */
@ServiceTest
@DirtiesContext
class ReferralBrowserTest {

    @TempDir
    static Path temp;

    static ChromeDriver browser;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = Chromium.start(Files.createDirectories(temp.resolve("profile")));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anAnalystApprovesAndDeclinesAndAManagerIsRefusedTheCfosCase() {
        String orderId = "SO-" + UUID.randomUUID().toString().substring(0, 8);
        String approved = refer("EX-27", orderId);
        String declined = refer("EX-12", null);
        String cfoCase = refer("EX-32", null);

        // --- the credit analyst: signs in and lands on their own queue ---
        open("/console/login");
        signIn("demo-credit-analyst-person", "demo-credit-analyst-pass");
        assertThat(browser.getCurrentUrl()).endsWith("/console/referrals");
        assertThat(text(By.tagName("h1"))).isEqualTo("Referred orders");
        assertThat(text(By.id("my-level"))).isEqualTo("CREDIT_ANALYST");
        List<String> shown = browser.findElements(By.cssSelector("#queue tbody tr")).stream()
                .map(row -> row.getAttribute("data-id"))
                .toList();
        assertThat(shown).contains(approved, declined).doesNotContain(cfoCase);
        assertThat(text(By.cssSelector("#queue tr[data-id='" + approved + "']")))
                .contains("EX-27")
                .contains(orderId)
                .contains("5,000 EUR")
                .contains("REF_RISK_GRADE");
        Chromium.screenshot(browser, "referral-queue");
        assertThat(Chromium.errors(browser)).as("errors logged by the page").isEmpty();

        browser.findElement(By.cssSelector("#queue tr[data-id='" + approved + "'] a"))
                .click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("approve")));
        assertThat(text(By.id("reasons"))).contains("The risk grade is D: a credit analyst must sign the order off.");
        assertThat(text(By.id("route"))).isEqualTo("CREDIT_ANALYST");
        assertThat(text(By.id("your-level"))).startsWith("CREDIT_ANALYST");
        assertThat(browser.findElements(By.cssSelector("#trace-dmn tbody tr"))).isNotEmpty();
        Chromium.screenshot(browser, "referral-case");
        assertThat(Chromium.errors(browser)).as("errors logged by the page").isEmpty();

        // a decline with reasons
        open("/console/referrals/" + declined);
        wait(ExpectedConditions.presenceOfElementLocated(By.id("decline")));
        browser.findElement(By.id("decline-reasons")).sendKeys("DECLINE_NEW_BUSINESS");
        browser.findElement(By.id("decline-note")).sendKeys("Under a year in business; ask for a prepayment.");
        browser.findElement(By.id("decline-button")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("final-outcome")));
        assertThat(text(By.id("final-outcome"))).isEqualTo("DECLINED");
        assertThat(text(By.id("final-reasons"))).contains("DECLINE_NEW_BUSINESS");
        assertThat(new Http(port)
                        .get("/api/v1/referrals/" + declined, "demo-auditor")
                        .json()
                        .at("/referral/status")
                        .asText())
                .isEqualTo("DECLINED");
        signOut();

        // --- the credit manager: a CFO's case is refused on the page ---
        open("/console/referrals/" + cfoCase);
        signIn("demo-credit-manager-person", "demo-credit-manager-pass");
        assertThat(text(By.id("below-level"))).contains("CFO");
        browser.findElement(By.id("approve-note")).sendKeys("Worth it.");
        browser.findElement(By.id("approve-button")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("refusal")));
        assertThat(text(By.id("refusal")))
                .contains("Needs a higher level")
                .contains("It needs CFO or above.")
                .contains("HTTP 403");
        assertThat(text(By.id("status"))).isEqualTo("OPEN");
        Chromium.screenshot(browser, "referral-refused");
        assertThat(Chromium.errors(browser))
                .as("the refusal is answered 403, and nothing else went wrong")
                .allMatch(error -> error.contains("Failed to load resource") && error.contains("403"));
        signOut();

        // --- the credit analyst again: the approval, within the authority table's limits ---
        open("/console/referrals/" + approved);
        signIn("demo-credit-analyst-person", "demo-credit-analyst-pass");
        wait(ExpectedConditions.presenceOfElementLocated(By.id("approve")));
        browser.findElement(By.id("approve-note"))
                .sendKeys("Known buyer since 2019; <b>paid</b> every invoice on time.");
        browser.findElement(By.id("approve-button")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".notice, #refusal")));
        assertThat(browser.findElements(By.id("refusal")))
                .as("the authority table lets a credit analyst approve a grade-D order of 5,000 for 30 days")
                .isEmpty();
        assertThat(text(By.cssSelector(".notice"))).isEqualTo("Approved by demo-credit-analyst-person.");
        assertThat(text(By.id("status"))).isEqualTo("APPROVED");
        assertThat(text(By.id("final-outcome"))).isEqualTo("APPROVED");
        assertThat(text(By.id("hold"))).contains("5,000 EUR").contains("OPEN");
        assertThat(text(By.id("history")))
                .contains("APPROVED demo-credit-analyst-person")
                .contains("<b>paid</b>");
        assertThat(browser.findElements(By.id("approve"))).as("decided once").isEmpty();
        Chromium.screenshot(browser, "referral-approved");
        assertThat(Chromium.errors(browser)).as("errors logged by the page").isEmpty();
    }

    /** A REFERRED decision made by checkout over HTTP: the referral case it opened. */
    private String refer(String example, String orderId) {
        ObjectNode request = PolicyExamples.byCustomerId(example).request().deepCopy();
        if (orderId != null) {
            ((ObjectNode) request.get("order")).put("id", orderId);
        }
        Http http = new Http(port);
        Http.Response decided = http.postJson("/api/v1/credit-decisions", "demo-checkout", request.toString());
        assertThat(decided.status()).as(decided.body()).isEqualTo(201);
        assertThat(decided.json().get("outcome").asText()).isEqualTo("REFERRED");
        JsonNode status = http.get(
                        "/api/v1/credit-decisions/"
                                + decided.json().get("decisionId").asText() + "/status",
                        "demo-checkout")
                .json();
        return status.get("referralId").asText();
    }

    private void signIn(String name, String password) {
        wait(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        browser.findElement(By.id("username")).sendKeys(name);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        wait(ExpectedConditions.textToBe(By.id("signed-in-as"), name));
    }

    private void signOut() {
        browser.findElement(By.cssSelector("form.who button")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("username")));
    }

    private void open(String path) {
        browser.get("http://localhost:" + port + path);
    }

    private static void wait(ExpectedCondition<?> condition) {
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(condition);
    }

    private static String text(By by) {
        return browser.findElement(by).getText().strip();
    }
}
