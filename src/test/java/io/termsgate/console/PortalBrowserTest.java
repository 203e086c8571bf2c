package io.termsgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import io.termsgate.support.ServiceTest;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The buyers' portal in a real browser: after checkout placed an order for EX-01, the demo buyer person (bound to
 * EX-01) signs in and sees the limit, what is available and held, the order's hold and the order's decision, and
 * nothing of the console; a buyer cannot open the console and the console's people cannot open the portal.
 *
 * <p>Screenshots go to target/console-screenshots, or to docs/console with {@code -Dconsole.screenshots=docs/console}.
 */
@ServiceTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.BEFORE_CLASS) // EX-01's line starts empty
class PortalBrowserTest {

    static final String BUYER = "demo-buyer-person";
    static final String BUYER_PASSWORD = "demo-buyer-pass";

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
    void theBuyerSeesItsLineHoldsAndOrdersAndNothingOfTheConsole() {
        Http http = new Http(port);
        Http.Response approved = decide(http, "SO-P1", "120000");
        assertThat(approved.status()).as(approved.body()).isEqualTo(201);
        assertThat(approved.json().get("outcome").asText()).isEqualTo("APPROVED");
        assertThat(decide(http, "SO-P2", "500000").json().get("outcome").asText())
                .isEqualTo("REFERRED");

        open("/portal");
        assertThat(browser.getCurrentUrl()).endsWith("/portal/login");
        assertThat(text(By.cssSelector(".demo"))).contains(BUYER).doesNotContain("demo-analyst-person");
        Chromium.screenshot(browser, "portal-sign-in");
        signIn(BUYER, BUYER_PASSWORD);

        assertThat(browser.getCurrentUrl()).matches(".*/portal(\\?continue)?");
        assertThat(text(By.tagName("h1"))).isEqualTo("Your credit line");
        assertThat(text(By.id("customer-id"))).isEqualTo("EX-01");
        assertThat(text(By.id("currency"))).isEqualTo("EUR");
        assertThat(text(By.id("limit"))).isEqualTo("400,000");
        assertThat(text(By.id("available"))).isEqualTo("280,000");
        assertThat(text(By.id("held"))).isEqualTo("120,000");
        assertThat(text(By.id("balance"))).isEqualTo("0");
        List<WebElement> holds = browser.findElements(By.cssSelector("#holds tbody tr"));
        assertThat(holds).hasSize(1);
        assertThat(cells(holds.get(0)).subList(0, 2)).containsExactly("SO-P1", "120,000");
        assertThat(cells(holds.get(0)).get(2)).endsWith("UTC");
        List<WebElement> orders = browser.findElements(By.cssSelector("#orders tbody tr"));
        assertThat(orders).hasSize(2);
        assertThat(cells(orders.get(0)).subList(1, 7))
                .as("newest first: the order too big for the line")
                .containsExactly(
                        "SO-P2",
                        "500,000",
                        "REFERRED",
                        "400,000",
                        cells(orders.get(0)).get(5),
                        "—");
        assertThat(cells(orders.get(1)).subList(1, 7))
                .containsExactly(
                        "SO-P1",
                        "120,000",
                        "APPROVED",
                        "400,000",
                        cells(orders.get(1)).get(5),
                        "OPEN");
        assertThat(Integer.parseInt(cells(orders.get(1)).get(5))).isPositive();

        // accessible: a language, every column header scoped, every field labelled (the sign-out is a button)
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
        assertThat(browser.findElements(By.cssSelector("th:not([scope])"))).isEmpty();
        // nothing of the scoring, and no way into the console
        String page = browser.getPageSource();
        assertThat(page).doesNotContain("riskScore", "Grade", "grade", "Reasons", "REF_", "CREDIT_MANAGER");
        for (WebElement link : browser.findElements(By.cssSelector("a[href], form[action], link[href], script[src]"))) {
            String target = link.getAttribute(link.getTagName().equals("form") ? "action" : "href");
            if (target == null) {
                target = link.getAttribute("src");
            }
            assertThat(target).as(link.getTagName()).doesNotContain("/console");
        }
        Chromium.screenshot(browser, "portal");
        assertThat(Chromium.errors(browser)).as("errors logged by the page").isEmpty();

        // a buyer opens no console page
        open("/console");
        assertThat(text(By.tagName("h1"))).isEqualTo("Not allowed");
        assertThat(browser.findElements(By.cssSelector("nav a"))).isEmpty();
        open("/console/rulesets");
        assertThat(text(By.tagName("h1"))).isEqualTo("Not allowed");

        open("/portal");
        signOut();
        assertThat(text(By.cssSelector(".notice"))).isEqualTo("You are signed out.");
        open("/portal");
        assertThat(browser.getCurrentUrl()).endsWith("/portal/login");

        // the console's people do not open the portal
        open("/console/login");
        browser.findElement(By.id("username")).sendKeys("demo-analyst-person");
        browser.findElement(By.id("password")).sendKeys("demo-analyst-pass");
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        wait(ExpectedConditions.textToBe(By.id("signed-in-as"), "demo-analyst-person"));
        open("/portal");
        assertThat(text(By.tagName("h1"))).isEqualTo("Not allowed");
        assertThat(browser.getPageSource()).doesNotContain("400,000");
    }

    @Test
    void theAnswersAre403NotJustPagesThatSaySo() {
        // a buyer signed in through the portal's own form
        ConsoleSession buyer = new ConsoleSession(port);
        buyer.get(PortalSecurityConfig.LOGIN);
        ConsoleSession.Page signedIn =
                buyer.post(PortalSecurityConfig.LOGIN, Map.of("username", BUYER, "password", BUYER_PASSWORD));
        assertThat(signedIn.status()).isEqualTo(302);
        assertThat(signedIn.location()).isEqualTo("/portal");
        assertThat(buyer.get("/portal").status()).isEqualTo(200);
        for (String page : List.of("/console", "/console/rulesets", "/console/decisions", "/console/no-such-page")) {
            assertThat(buyer.get(page).status()).as(page).isEqualTo(403);
        }
        // the session does not open the API, which takes keys only
        assertThat(buyer.get("/api/v1/credit-lines/EX-01").status()).isEqualTo(401);
        // a form without its CSRF token is refused
        assertThat(buyer.postWithoutToken(PortalSecurityConfig.LOGOUT, Map.of()).status())
                .isEqualTo(403);

        // a buyer who signs in on the console's page lands in the portal
        ConsoleSession viaConsole = new ConsoleSession(port);
        assertThat(viaConsole.signIn(BUYER, BUYER_PASSWORD).location()).isEqualTo("/portal");

        for (String person : List.of("analyst", "rule-author", "approver", "auditor")) {
            ConsoleSession staff = new ConsoleSession(port);
            assertThat(staff.signIn("demo-" + person + "-person", "demo-" + person + "-pass")
                            .location())
                    .isEqualTo("/console");
            assertThat(staff.get("/portal").status()).as(person).isEqualTo(403);
        }

        ConsoleSession anonymous = new ConsoleSession(port);
        ConsoleSession.Page away = anonymous.get("/portal");
        assertThat(away.status()).isEqualTo(302);
        assertThat(away.location()).isEqualTo("/portal/login");
        assertThat(anonymous.get("/portal/assets/portal.css").status()).isEqualTo(200);
        ConsoleSession.Page login = anonymous.get(PortalSecurityConfig.LOGIN);
        assertThat(login.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
        assertThat(login.body()).contains("<html lang=\"en\"").doesNotContain("/console");
        ConsoleSession.Page wrong =
                anonymous.post(PortalSecurityConfig.LOGIN, Map.of("username", BUYER, "password", "guess"));
        assertThat(wrong.location()).isEqualTo("/portal/login?failed");
    }

    private static Http.Response decide(Http http, String orderId, String amount) {
        ObjectNode request = PolicyExamples.byCustomerId("EX-01").request().deepCopy();
        ((ObjectNode) request.get("customer")).remove("outstandingBalance");
        ((ObjectNode) request.get("order")).put("id", orderId).put("amount", new BigDecimal(amount));
        return http.postJson("/api/v1/credit-decisions", "demo-checkout", request.toString());
    }

    private void signIn(String name, String password) {
        wait(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        browser.findElement(By.id("username")).sendKeys(name);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.cssSelector("form.stacked button[type=submit]")).click();
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

    private static List<String> cells(WebElement row) {
        return row.findElements(By.tagName("td")).stream()
                .map(td -> td.getText().strip())
                .toList();
    }
}
