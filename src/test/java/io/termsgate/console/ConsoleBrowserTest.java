package io.termsgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import io.termsgate.support.ServiceTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The console's round trip in a real browser, as the three kinds of people make it: the analyst downloads the live
 * scorecard, uploads a broken copy and sees the cell that is wrong, uploads the edited workbook with its updated
 * scenario, reads the diff, backtests it and reads the chart; the approver approves and activates it; the auditor
 * finds a decision, reads its reasons and trace, replays it, verifies the chain and exports the search.
 *
 * <p>Screenshots of every page go to target/console-screenshots, or to docs/console with
 * {@code -Dconsole.screenshots=docs/console}.
 */
@ServiceTest
@DirtiesContext
class ConsoleBrowserTest {

    static final String SCORECARD = "decision-tables/risk-scorecard.xlsx";
    static final String SCENARIOS = "decision-tables/scenarios/policy-examples.csv";
    /** The years-in-business band 2 to under 5 years: its points are in column E of this row. */
    static final int BAND_ROW = 24;

    private static final DateTimeFormatter FIELD =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

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
    void analystUploadsAndBacktestsApproverActivatesAuditorReplays() throws Exception {
        Http http = new Http(port);
        String live = http.get("/api/v1/rulesets/active", "demo-analyst")
                .json()
                .get("version")
                .asText();

        // decisions made before the change: every worked example, and three more young businesses like EX-27
        Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (PolicyExamples.Example example : PolicyExamples.all()) {
            decide(http, example.request());
        }
        for (int i = 1; i <= 3; i++) {
            ObjectNode request = PolicyExamples.byCustomerId("EX-27").request().deepCopy();
            ((ObjectNode) request.get("customer")).put("id", "YOUNG-" + i).put("yearsInBusiness", 2 + i * 0.9);
            decide(http, request);
        }
        Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);

        // --- the analyst ---
        open("/console");
        assertThat(browser.getCurrentUrl()).endsWith("/console/login");
        Chromium.screenshot(browser, "sign-in");
        assertThat(Chromium.errors(browser)).isEmpty();
        signIn("demo-analyst-person", "demo-analyst-pass");
        assertThat(text(By.tagName("h1"))).isEqualTo("Overview");
        assertThat(Long.parseLong(text(By.id("decisions-total")))).isGreaterThanOrEqualTo(44);
        assertThat(chartTotal("hourly-chart")).isGreaterThanOrEqualTo(44);
        assertThat(browser.findElements(By.linkText("Decisions")))
                .as("analysts do not see the decision log")
                .isEmpty();
        Chromium.screenshot(browser, "overview");
        assertThat(Chromium.errors(browser)).as("errors logged by the page").isEmpty();

        open("/console/rulesets");
        WebElement liveRow = browser.findElement(By.cssSelector("#versions tr.live"));
        assertThat(liveRow.getAttribute("data-version")).isEqualTo(live);
        byte[] xlsx = download(browser.findElement(By.linkText(SCORECARD)).getAttribute("href"));
        String csv = new String(
                download(browser.findElement(By.linkText(SCENARIOS)).getAttribute("href")), StandardCharsets.UTF_8);
        assertThat(new String(xlsx, 0, 2, StandardCharsets.ISO_8859_1))
                .as("an XLSX is a zip")
                .isEqualTo("PK");

        // a broken workbook: a word where the points of a band must be a number
        Path broken = write("broken/risk-scorecard.xlsx", scorecardCell(xlsx, "ten"));
        browser.findElement(By.id("files")).sendKeys(broken.toString());
        browser.findElement(By.cssSelector("#upload button[type=submit]")).click();
        wait(ExpectedConditions.visibilityOfElementLocated(By.id("upload-result")));
        List<String> problem = cells(browser.findElement(By.cssSelector("#upload-result table.problems tbody tr")));
        assertThat(problem.get(1)).isEqualTo(SCORECARD);
        assertThat(problem.get(2)).isEqualTo("sheet 'Scorecard', cell E24 (table 'Years in business')");
        assertThat(problem.get(3)).contains("ten");
        Chromium.screenshot(browser, "upload-rejected");
        assertThat(Chromium.errors(browser))
                .as("the rejection is answered 422, and nothing else went wrong")
                .allMatch(error ->
                        error.contains("/console/rulesets - Failed to load resource") && error.contains("422"));

        // the edit: 20 points for 2 to under 5 years, and the worked example it changes
        Path edited = write("edited/risk-scorecard.xlsx", scorecardCell(xlsx, 20));
        String oldRow =
                csv.lines().filter(l -> l.contains(",EX-27,")).findFirst().orElseThrow();
        String newRow = oldRow.substring(0, oldRow.indexOf(",REFERRED,")) + ",APPROVED,AUTO,55,C,150000,150000,45,none";
        Path scenarios =
                write("edited/policy-examples.csv", csv.replace(oldRow, newRow).getBytes(StandardCharsets.UTF_8));
        browser.findElement(By.id("files")).sendKeys(edited + "\n" + scenarios);
        browser.findElement(By.cssSelector("#upload button[type=submit]")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("scenario-summary")));
        String candidate = text(By.id("version"));
        assertThat(candidate).isNotEqualTo(live).matches("sha256:[0-9a-f]{64}");
        assertThat(text(By.cssSelector(".notice")))
                .contains("Uploaded as a candidate")
                .contains("67 of 67"); // the 41 worked examples, 3 credit-line scenarios, 23 of the dunning model
        assertThat(text(By.id("uploaded-by"))).isEqualTo("demo-analyst-person");
        WebElement cell =
                browser.findElement(By.cssSelector("article[data-path='" + SCORECARD + "'] table.cells tbody tr"));
        assertThat(cells(cell)).containsExactly("Scorecard", "E24", "2 to under 5 years", "10", "20");
        assertThat(browser.findElements(By.cssSelector("article[data-path='" + SCENARIOS + "'] table.lines tbody tr")))
                .hasSize(1);
        assertThat(browser.findElements(By.id("approve")))
                .as("only approvers see the approve button")
                .isEmpty();
        Chromium.screenshot(browser, "candidate");
        assertThat(Chromium.errors(browser)).as("errors logged by the page").isEmpty();

        // the backtest over the decisions made above
        setValue(By.id("bt-from"), FIELD.format(from));
        setValue(By.id("bt-to"), FIELD.format(to));
        browser.findElement(By.cssSelector("#start-backtest button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(60))
                .until(ExpectedConditions.presenceOfElementLocated(By.id("transitions-chart")));
        WebElement progress = browser.findElement(By.id("backtest-progress"));
        assertThat(progress.getAttribute("value"))
                .isEqualTo(progress.getAttribute("max"))
                .isEqualTo("44");
        assertThat(text(By.id("report-total"))).isEqualTo("44");
        assertThat(text(By.id("report-changed"))).isEqualTo("4");
        Map<String, Long> transitions = chartNumbers("transitions-chart");
        assertThat(transitions).containsEntry("REFERRED → APPROVED", 4L);
        assertThat(transitions.get("APPROVED → APPROVED")).isPositive();
        assertThat(transitions.values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(44);
        assertThat(chartNumbers("limits-chart").values().stream()
                        .mapToLong(Long::longValue)
                        .sum())
                .isEqualTo(4);
        assertThat(chartNumbers("terms-chart")).containsEntry("+15", 4L);
        // an analyst sees which decisions changed, not whose they were (customer ids are for auditors)
        List<WebElement> changedRows = browser.findElements(By.cssSelector("#changed-decisions tbody tr"));
        assertThat(changedRows).hasSize(4);
        assertThat(browser.findElement(By.cssSelector("#changed-decisions thead"))
                        .getText())
                .doesNotContain("Customer");
        for (WebElement row : changedRows) {
            assertThat(cells(row).get(0)).endsWith("…");
            assertThat(row.getText()).doesNotContain("YOUNG-").doesNotContain("EX-27");
        }
        Chromium.screenshot(browser, "backtest");
        assertThat(Chromium.errors(browser)).as("errors logged by the page").isEmpty();

        // the candidate in the shadow of live decisions: one it would change, one it would not
        open("/console/rulesets/" + candidate + "/shadow");
        assertThat(browser.findElements(By.id("no-shadow"))).hasSize(1);
        browser.findElement(By.cssSelector("#start-shadow button")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("shadow-report")));
        assertThat(text(By.id("shadow-status"))).isEqualTo("RUNNING");
        // buyers of their own, so the auditor's searches below find the worked examples' decisions alone
        for (String example : new String[] {"EX-27", "EX-01"}) {
            ObjectNode request = PolicyExamples.byCustomerId(example).request().deepCopy();
            ((ObjectNode) request.get("customer")).put("id", "SHADOW-" + example);
            decide(http, request);
        }
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> http.get("/api/v1/rulesets/" + candidate + "/shadow", "demo-analyst")
                                .json()
                                .get("total")
                                .asLong()
                        == 2);
        open("/console/rulesets/" + candidate + "/shadow");
        assertThat(text(By.id("shadow-total"))).isEqualTo("2");
        assertThat(text(By.id("shadow-changed"))).isEqualTo("1");
        assertThat(chartNumbers("shadow-transitions-chart"))
                .containsEntry("REFERRED → APPROVED", 1L)
                .containsEntry("APPROVED → APPROVED", 1L);
        assertThat(browser.findElements(By.cssSelector("#shadow-changed-decisions tbody tr")))
                .hasSize(1);
        assertThat(browser.findElement(By.cssSelector("#shadow-changed-decisions thead"))
                        .getText())
                .doesNotContain("Customer");
        Chromium.screenshot(browser, "shadow");
        browser.findElement(By.cssSelector("#stop-shadow button")).click();
        wait(ExpectedConditions.textToBe(By.id("shadow-status"), "STOPPED"));
        assertThat(Chromium.errors(browser)).as("errors logged by the page").isEmpty();
        signOut();

        // --- the approver: four eyes, then live ---
        open("/console/rulesets/" + candidate);
        signIn("demo-approver-person", "demo-approver-pass");
        assertThat(browser.findElements(By.id("activate")))
                .as("not approved yet: nothing to activate")
                .isEmpty();
        browser.findElement(By.id("approve")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".notice")));
        assertThat(text(By.cssSelector(".notice"))).startsWith("Approved by demo-approver-person");
        assertThat(text(By.id("approved-by"))).startsWith("demo-approver-person");
        browser.findElement(By.id("activate")).click();
        browser.switchTo().alert().accept();
        wait(ExpectedConditions.presenceOfElementLocated(By.cssSelector("h1 .live-badge")));
        assertThat(text(By.cssSelector(".notice"))).startsWith("Activated by demo-approver-person");
        assertThat(http.get("/api/v1/rulesets/active", "demo-auditor")
                        .json()
                        .get("version")
                        .asText())
                .isEqualTo(candidate);
        List<String> history = new ArrayList<>();
        for (WebElement row : browser.findElements(By.cssSelector("#history tbody tr"))) {
            history.add(cells(row).get(1) + " by " + cells(row).get(2));
        }
        assertThat(history)
                .containsExactly(
                        "UPLOADED by demo-analyst-person",
                        "APPROVED by demo-approver-person",
                        "ACTIVATED by demo-approver-person");
        open("/console/rulesets");
        assertThat(browser.findElement(By.cssSelector("#versions tr.live")).getAttribute("data-version"))
                .isEqualTo(candidate);
        Chromium.screenshot(browser, "rulesets");
        assertThat(Chromium.errors(browser)).as("errors logged by the page").isEmpty();
        signOut();

        // --- the auditor ---
        open("/console/decisions");
        signIn("demo-auditor-person", "demo-auditor-pass");
        browser.findElement(By.id("customerId")).sendKeys("EX-27");
        browser.findElement(By.cssSelector("#search button[type=submit]")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("results")));
        assertThat(text(By.id("result-count"))).isEqualTo("1");
        String export =
                new String(download(browser.findElement(By.id("export")).getAttribute("href")), StandardCharsets.UTF_8);
        assertThat(export.split("\r\n")).hasSize(3); // the header, the decision, the trailer with the count
        assertThat(export)
                .startsWith("decision_id,decided_at,customer_id,outcome")
                .contains(",EX-27,REFERRED,")
                .contains("#end,rows=1,last_hash=");
        browser.findElement(By.id("verify-button")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("chain-valid")));
        assertThat(text(By.id("chain-valid"))).startsWith("The chain holds");
        Chromium.screenshot(browser, "decisions");
        assertThat(Chromium.errors(browser)).as("errors logged by the page").isEmpty();

        browser.findElement(By.cssSelector("#results tbody tr a")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("reasons")));
        assertThat(text(By.id("reasons"))).contains("The risk grade is D: a credit analyst must sign the order off.");
        assertThat(text(By.id("trace-rows"))).contains("2 to under 5 years");
        assertThat(browser.findElements(By.cssSelector("#trace-dmn tbody tr"))).isNotEmpty();
        browser.findElement(By.id("replay-button")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("replay-identical")));
        assertThat(text(By.id("replay-identical"))).startsWith("Identical").contains("the same rules fired");
        Chromium.screenshot(browser, "decision");
        assertThat(Chromium.errors(browser)).as("errors logged by the page").isEmpty();
        // what the new version would have decided
        new Select(browser.findElement(By.id("replay-version"))).selectByValue(candidate);
        browser.findElement(By.id("replay-button")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("replay-differences")));
        assertThat(text(By.id("replay-differences")))
                .contains("outcome")
                .contains("REFERRED")
                .contains("APPROVED");
        signOut();
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

    private static List<String> cells(WebElement row) {
        return row.findElements(By.tagName("td")).stream()
                .map(td -> td.getText().strip())
                .toList();
    }

    private static void setValue(By by, String value) {
        browser.executeScript("arguments[0].value = arguments[1]", browser.findElement(by), value);
    }

    /** The numbers a Chart.js chart on the page draws, by label. */
    @SuppressWarnings("unchecked")
    private static Map<String, Long> chartNumbers(String canvasId) {
        Map<String, Object> data = (Map<String, Object>) browser.executeScript(
                "var c = Chart.getChart(document.getElementById(arguments[0]));"
                        + "return {labels: c.data.labels, data: c.data.datasets[0].data};",
                canvasId);
        List<Object> labels = (List<Object>) data.get("labels");
        List<Object> values = (List<Object>) data.get("data");
        Map<String, Long> numbers = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            numbers.put(String.valueOf(labels.get(i)), ((Number) values.get(i)).longValue());
        }
        return numbers;
    }

    /** The sum of every bar of every dataset of a chart. */
    private static long chartTotal(String canvasId) {
        return ((Number) browser.executeScript(
                        "var c = Chart.getChart(document.getElementById(arguments[0]));"
                                + "return c.data.datasets.reduce(function (s, d) { return s + d.data.reduce(function (a, b) {"
                                + " return a + b; }, 0); }, 0);",
                        canvasId))
                .longValue();
    }

    /** Fetches a link as the browser would, with the person's session: its bytes. */
    private static byte[] download(String href) {
        String base64 = (String) browser.executeAsyncScript(
                "var done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0]).then(function (r) {"
                        + "  if (!r.ok) { done('ERROR ' + r.status); return; }"
                        + "  return r.arrayBuffer().then(function (b) {"
                        + "    var bytes = new Uint8Array(b), text = '';"
                        + "    for (var i = 0; i < bytes.length; i++) { text += String.fromCharCode(bytes[i]); }"
                        + "    done(btoa(text)); });"
                        + "});",
                href);
        assertThat(base64).as("download of " + href).doesNotStartWith("ERROR");
        return Base64.getDecoder().decode(base64);
    }

    private static Path write(String name, byte[] bytes) throws IOException {
        Path file = temp.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    /** The scorecard with the points of the band "2 to under 5 years" set to {@code value}. */
    private static byte[] scorecardCell(byte[] xlsx, Object value) throws IOException {
        try (Workbook workbook = WorkbookFactory.create(new ByteArrayInputStream(xlsx))) {
            Row row = workbook.getSheet("Scorecard").getRow(BAND_ROW - 1);
            assertThat(row.getCell(1).getStringCellValue()).isEqualTo("2 to under 5 years");
            if (value instanceof Number n) {
                row.getCell(4).setCellValue(n.doubleValue());
            } else {
                row.getCell(4).setCellValue(value.toString());
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            workbook.write(out);
            return out.toByteArray();
        }
    }

    private static JsonNode decide(Http http, JsonNode request) {
        Http.Response response = http.postJson("/api/v1/credit-decisions", "demo-checkout", request.toString());
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }
}
