package io.termsgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.termsgate.support.Http;
import io.termsgate.support.ServiceTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The console's sign-in and what each person may see and press, over real HTTP without a browser: the session
 * cookie, CSRF protection, roles per page and per button checked by the server, four eyes, and the API's own
 * key-based security left as it was.
 */
@ServiceTest
@DirtiesContext
class ConsoleSecurityTest {

    static final String SCENARIOS = "decision-tables/scenarios/policy-examples.csv";

    @LocalServerPort
    int port;

    Http api;
    String live;

    @BeforeEach
    void setUp() {
        api = new Http(port);
        live = api.get("/api/v1/rulesets/active", "demo-analyst")
                .json()
                .get("version")
                .asText();
    }

    @Test
    void everyPageNeedsSigningInAndABackgroundRequestIsSentToSignIn() {
        ConsoleSession anonymous = new ConsoleSession(port);
        for (String page :
                List.of("/console", "/console/rulesets", "/console/rulesets/" + live, "/console/decisions")) {
            ConsoleSession.Page answer = anonymous.get(page);
            assertThat(answer.status()).as(page).isEqualTo(302);
            assertThat(answer.location()).as(page).isEqualTo("/console/login");
        }
        ConsoleSession.Page htmx = anonymous.get("/console/rulesets", "HX-Request", "true");
        assertThat(htmx.status()).isEqualTo(401);
        assertThat(htmx.header("HX-Redirect")).isEqualTo("/console/login");
        // the libraries and the console's own assets are public: they hold nothing but code and style
        assertThat(anonymous.get("/webjars/htmx.org/dist/htmx.min.js").status()).isEqualTo(200);
        assertThat(anonymous.get("/webjars/chart.js/dist/chart.umd.min.js").status())
                .isEqualTo(200);
        assertThat(anonymous.get("/console/assets/console.css").status()).isEqualTo(200);
        assertThat(anonymous.get("/console/assets/console.js").status()).isEqualTo(200);
    }

    @Test
    void signingInGivesAnHttpOnlySameSiteSessionAndPagesComeWithSecurityHeaders() {
        ConsoleSession analyst = new ConsoleSession(port);
        ConsoleSession.Page signedIn = analyst.signIn("demo-analyst-person", "demo-analyst-pass");
        assertThat(signedIn.status()).isEqualTo(302);
        assertThat(signedIn.location()).isEqualTo("/console");
        String cookie = signedIn.response().headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("JSESSIONID="))
                .findFirst()
                .orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Lax");

        ConsoleSession.Page overview = analyst.get("/console");
        assertThat(overview.status()).isEqualTo(200);
        assertThat(overview.body()).contains("Signed in as <strong id=\"signed-in-as\">demo-analyst-person</strong>");
        assertThat(overview.header("Content-Security-Policy"))
                .contains("script-src 'self'")
                .contains("frame-ancestors 'none'");
        assertThat(overview.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(overview.body())
                .as("no script or style from elsewhere")
                .doesNotContain("http://", "https://")
                .doesNotContain("<script>")
                .doesNotContain("style=\"");
    }

    @Test
    void aWrongPasswordOrAnUnknownPersonIsRefused() {
        ConsoleSession someone = new ConsoleSession(port);
        assertThat(someone.signIn("demo-analyst-person", "guess").location()).isEqualTo("/console/login?failed");
        assertThat(someone.signIn("nobody", "demo-analyst-pass").location()).isEqualTo("/console/login?failed");
        assertThat(someone.signIn("demo-analyst", "demo-analyst").location())
                .as("an API key is not a person's password")
                .isEqualTo("/console/login?failed");
        assertThat(someone.get("/console").status()).isEqualTo(302);
    }

    @Test
    void eachRoleOpensItsOwnPagesAndPressesItsOwnButtonsTheServerChecks() {
        ConsoleSession analyst = signedIn("demo-analyst-person", "demo-analyst-pass");
        assertThat(analyst.get("/console/rulesets").status()).isEqualTo(200);
        assertThat(analyst.get("/console/decisions").status()).isEqualTo(403);
        assertThat(analyst.get("/console/decisions").body()).contains("Not allowed");
        assertThat(analyst.get("/console/audit/verify").status()).isEqualTo(403);
        analyst.get("/console/rulesets/" + live);
        assertThat(analyst.post("/console/rulesets/" + live + "/approve", Map.of())
                        .status())
                .as("approving is for approvers, button or not")
                .isEqualTo(403);
        assertThat(analyst.post("/console/rulesets/" + live + "/activate", Map.of())
                        .status())
                .isEqualTo(403);

        ConsoleSession approver = signedIn("demo-approver-person", "demo-approver-pass");
        assertThat(approver.get("/console/rulesets").body()).doesNotContain("id=\"upload\"");
        assertThat(approver.upload("/console/rulesets", Map.of("base", live), Map.of("x.drl", new byte[0]))
                        .status())
                .isEqualTo(403);
        assertThat(approver.post("/console/rulesets/" + live + "/backtests", Map.of())
                        .status())
                .isEqualTo(403);
        assertThat(approver.get("/console/decisions").status()).isEqualTo(403);

        ConsoleSession auditor = signedIn("demo-auditor-person", "demo-auditor-pass");
        assertThat(auditor.get("/console/decisions").status()).isEqualTo(200);
        assertThat(auditor.get("/console/audit/verify").status()).isEqualTo(200);
        assertThat(auditor.get("/console/rulesets/" + live).status())
                .as("auditors read rulesets")
                .isEqualTo(200);
        assertThat(auditor.post("/console/rulesets/" + live + "/approve", Map.of())
                        .status())
                .isEqualTo(403);
        assertThat(auditor.get("/console/rulesets/" + live + "/files/" + SCENARIOS)
                        .body())
                .startsWith("name,");
    }

    @Test
    void aFormWithoutItsCsrfTokenIsRefusedAndChangesNothing() {
        ConsoleSession approver = signedIn("demo-approver-person", "demo-approver-pass");
        approver.get("/console/rulesets/" + live);
        ConsoleSession.Page forged = approver.postWithoutToken("/console/rulesets/" + live + "/approve", Map.of());
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body()).contains("Form expired");
        ConsoleSession.Page real = approver.post("/console/rulesets/" + live + "/approve", Map.of());
        assertThat(real.status())
                .as("with the token the form is taken, and refused for its own reason")
                .isEqualTo(302);
        assertThat(approver.get(real.location()).body()).contains("is ACTIVE, not a candidate awaiting approval");
    }

    @Test
    void fourEyesHoldInTheConsoleAndEveryStepIsRecordedUnderThePersonsName() throws IOException {
        ConsoleSession lead = signedIn("demo-lead-person", "demo-lead-pass");
        lead.get("/console/rulesets");
        String csv = Files.readString(Path.of(SCENARIOS), StandardCharsets.UTF_8)
                .replace(
                        "typical grade B, fits available credit: auto-approved",
                        "typical grade B (renamed by the lead)");
        ConsoleSession.Page uploaded = lead.upload(
                "/console/rulesets",
                Map.of("base", live),
                Map.of("policy-examples.csv", csv.getBytes(StandardCharsets.UTF_8)));
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(302);
        String candidate = uploaded.location().substring("/console/rulesets/".length());
        JsonNode stored =
                api.get("/api/v1/rulesets/" + candidate, "demo-auditor").json();
        assertThat(stored.at("/uploadedBy").asText()).isEqualTo("demo-lead-person");
        assertThat(stored.at("/baseVersion").asText()).isEqualTo(live);
        assertThat(stored.at("/origin").asText()).contains(SCENARIOS);

        ConsoleSession.Page page = lead.get(uploaded.location());
        assertThat(page.body()).contains("id=\"four-eyes\"").doesNotContain("id=\"approve\"");
        ConsoleSession.Page refused = lead.post("/console/rulesets/" + candidate + "/approve", Map.of());
        assertThat(lead.get(refused.location()).body()).contains("Four eyes: demo-lead-person uploaded");
        assertThat(api.get("/api/v1/rulesets/" + candidate, "demo-auditor")
                        .json()
                        .at("/status")
                        .asText())
                .isEqualTo("CANDIDATE");

        ConsoleSession approver = signedIn("demo-approver-person", "demo-approver-pass");
        assertThat(approver.get("/console/rulesets/" + candidate).body()).contains("id=\"approve\"");
        approver.post("/console/rulesets/" + candidate + "/approve", Map.of());
        assertThat(api.get("/api/v1/rulesets/" + candidate, "demo-auditor")
                        .json()
                        .at("/approvedBy")
                        .asText())
                .isEqualTo("demo-approver-person");
    }

    @Test
    void aPersonWhoUploadedWithTheirKeyCannotApproveInTheConsole() throws IOException {
        // the key test-lead-analyst names its holder, lead-analyst-person: the upload is recorded under the person
        String csv = Files.readString(Path.of(SCENARIOS), StandardCharsets.UTF_8)
                .replace(
                        "typical grade B, fits available credit: auto-approved",
                        "typical grade B (renamed by the lead's key)");
        Http.Response upload = api.postMultipart(
                "/api/v1/rulesets",
                "test-lead-analyst",
                Map.of("base", live),
                new Http.Part("file", SCENARIOS, csv.getBytes(StandardCharsets.UTF_8)));
        assertThat(upload.status()).as(upload.body()).isEqualTo(201);
        String candidate = upload.json().at("/version").asText();
        assertThat(upload.json().at("/uploadedBy").asText()).isEqualTo("lead-analyst-person");

        ConsoleSession samePerson = signedIn("lead-analyst-person", "demo-lead-pass");
        samePerson.get("/console/rulesets/" + candidate);
        ConsoleSession.Page refused = samePerson.post("/console/rulesets/" + candidate + "/approve", Map.of());
        assertThat(samePerson.get(refused.location()).body()).contains("Four eyes: lead-analyst-person uploaded");
        assertThat(api.get("/api/v1/rulesets/" + candidate, "demo-auditor")
                        .json()
                        .at("/status")
                        .asText())
                .isEqualTo("CANDIDATE");

        // the approver's key names its holder too: approving by key is recorded under the person
        Http.Response approved = api.send("POST", "/api/v1/rulesets/" + candidate + "/approve", "demo-approver");
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(approved.json().at("/approvedBy").asText()).isEqualTo("demo-approver-person");
    }

    @Test
    void ruleLogicIsTheRuleAuthorsToChangeInTheConsoleToo() throws IOException {
        byte[] notes = "package termsgate.notes;\n".getBytes(StandardCharsets.UTF_8);
        ConsoleSession analyst = signedIn("demo-analyst-person", "demo-analyst-pass");
        analyst.get("/console/rulesets");
        ConsoleSession.Page refused =
                analyst.upload("/console/rulesets", Map.of("base", live), Map.of("notes.drl", notes));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body())
                .contains("Upload rejected")
                .contains("rules/notes.drl")
                .contains("rule logic (DRL) may be changed only by a RULE_AUTHOR");
        analyst.get("/console/rulesets");
        byte[] bundle = zipOfTheRuleFolders("rules/knockouts.drl", "K1 Sanctions match", "K1 Sanctions list match");
        ConsoleSession.Page bundled = analyst.upload("/console/rulesets", Map.of(), Map.of("ruleset.zip", bundle));
        assertThat(bundled.status()).isEqualTo(403);
        assertThat(bundled.body()).contains("rules/knockouts.drl").contains("changed relative to the live version");

        ConsoleSession author = signedIn("demo-rule-author-person", "demo-rule-author-pass");
        assertThat(author.get("/console/rulesets").body()).contains("id=\"upload\"");
        ConsoleSession.Page uploaded =
                author.upload("/console/rulesets", Map.of("base", live), Map.of("notes.drl", notes));
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(302);
        String candidate = uploaded.location().substring("/console/rulesets/".length());
        assertThat(api.get("/api/v1/rulesets/" + candidate, "demo-auditor")
                        .json()
                        .at("/uploadedBy")
                        .asText())
                .isEqualTo("demo-rule-author-person");
        assertThat(author.post("/console/rulesets/" + candidate + "/approve", Map.of())
                        .status())
                .as("a rule author is no approver")
                .isEqualTo(403);
    }

    @Test
    void aZipBundleUploadsAsOneWholeRuleset() throws IOException {
        ConsoleSession analyst = signedIn("demo-analyst-person", "demo-analyst-pass");
        analyst.get("/console/rulesets");
        byte[] bundle = zipOfTheRuleFolders(SCENARIOS, "auto-approved", "auto-approved (bundle)");
        ConsoleSession.Page uploaded = analyst.upload("/console/rulesets", Map.of(), Map.of("ruleset.zip", bundle));
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(302);
        String candidate = uploaded.location().substring("/console/rulesets/".length());
        JsonNode stored =
                api.get("/api/v1/rulesets/" + candidate, "demo-auditor").json();
        assertThat(stored.at("/origin").asText()).isEqualTo("bundle upload in the console: ruleset.zip");
        assertThat(stored.at("/uploadedBy").asText()).isEqualTo("demo-analyst-person");

        analyst.get("/console/rulesets");
        ConsoleSession.Page unsafe = analyst.upload(
                "/console/rulesets",
                Map.of(),
                Map.of("evil.zip", zip(Map.of("../rules/evil.drl", "rule".getBytes(StandardCharsets.UTF_8)))));
        assertThat(unsafe.status()).isEqualTo(422);
        assertThat(unsafe.body()).contains("Upload rejected").contains("unsafe path in the bundle");
    }

    @Test
    void aBacktestStartedFromItsFormIsFollowedByThePagesBackgroundRequestsUntilDone() throws InterruptedException {
        ConsoleSession analyst = signedIn("demo-analyst-person", "demo-analyst-pass");
        analyst.get("/console/rulesets/" + live);
        ConsoleSession.Page started = analyst.post(
                "/console/rulesets/" + live + "/backtests",
                Map.of("from", "2020-01-01T00:00", "to", "2020-01-02T00:00:00"));
        assertThat(started.status()).as(started.toString()).isEqualTo(302);
        assertThat(started.location()).startsWith("/console/rulesets/" + live + "/backtests/");
        ConsoleSession.Page progress = null;
        for (int i = 0; i < 100 && (progress == null || progress.header("HX-Refresh") == null); i++) {
            progress = analyst.get(started.location() + "/progress", "HX-Request", "true");
            assertThat(progress.status()).isEqualTo(200);
            Thread.sleep(100);
        }
        assertThat(progress.header("HX-Refresh"))
                .as("once done, the page reloads to show the report")
                .isEqualTo("true");
        assertThat(progress.body())
                .startsWith("<section id=\"progress\"")
                .contains("<progress")
                .contains("DONE")
                .doesNotContain("<html");
        ConsoleSession.Page report = analyst.get(started.location());
        assertThat(report.body())
                .contains("id=\"transitions-chart\"")
                .contains("Started</dt><dd>by <strong>demo-analyst-person");

        ConsoleSession.Page backwards = analyst.post(
                "/console/rulesets/" + live + "/backtests",
                Map.of("from", "2020-01-02T00:00", "to", "2020-01-01T00:00"));
        assertThat(analyst.get(backwards.location().replace("#backtest", "")).body())
                .contains("The window must end after it starts.");
    }

    @Test
    void theApiIgnoresTheConsoleSessionAndSigningOutEndsIt() {
        ConsoleSession analyst = signedIn("demo-analyst-person", "demo-analyst-pass");
        String session = "JSESSIONID=" + analyst.sessionCookie().getValue();
        Http.Response withCookie = api.get("/api/v1/rulesets", null, "Cookie", session);
        assertThat(withCookie.status()).as("a person's cookie is no API key").isEqualTo(401);
        assertThat(api.get("/api/v1/rulesets", "demo-analyst").status()).isEqualTo(200);

        analyst.get("/console");
        ConsoleSession.Page out = analyst.post("/console/logout", Map.of());
        assertThat(out.location()).isEqualTo("/console/login?signedout");
        assertThat(analyst.get("/console").status()).isEqualTo(302);
    }

    private ConsoleSession signedIn(String name, String password) {
        ConsoleSession session = new ConsoleSession(port);
        assertThat(session.signIn(name, password).location()).isEqualTo("/console");
        return session;
    }

    /** The repository's rule folders as a bundle, with one text replaced in one file. */
    private static byte[] zipOfTheRuleFolders(String path, String text, String replacement) throws IOException {
        Map<String, byte[]> entries = new TreeMap<>();
        for (String dir : List.of("rules", "decision-tables")) {
            try (Stream<Path> files = Files.walk(Path.of(dir))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String name = file.toString().replace('\\', '/');
                    byte[] bytes = Files.readAllBytes(file);
                    if (name.equals(path)) {
                        bytes = new String(bytes, StandardCharsets.UTF_8)
                                .replace(text, replacement)
                                .getBytes(StandardCharsets.UTF_8);
                    }
                    entries.put(name, bytes);
                }
            }
        }
        return zip(entries);
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (var entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
