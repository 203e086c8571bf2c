package io.termsgate.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.termsgate.support.Http;
import io.termsgate.support.ServiceTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.ResourceLockTarget;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Uploads that must not go live are rejected with every problem and where it is (file and line, sheet and cell,
 * DMN decision and rule, scenario row), and the live version never changes. Hostile bundles are refused safely.
 */
@ServiceTest
// Each upload waits some seconds for its sandbox worker, a JVM held to one processor: two tests at a time keep the
// machine's second processor busy. Every test shares the stored versions; the two that count them, or time an upload,
// run alone. The tests, not the class, are concurrent: a concurrent class would run beside other classes, sharing
// their context and its live version.
@ResourceLock(value = RulesetUploadTest.UPLOADS, mode = ResourceAccessMode.READ, target = ResourceLockTarget.CHILDREN)
class RulesetUploadTest {

    static final String UPLOADS = "io.termsgate.ruleset.RulesetUploadTest.uploads";

    static final String ANALYST = "demo-analyst";
    static final String RULE_AUTHOR = "demo-rule-author";

    @LocalServerPort
    int port;

    Http http;
    String live;

    @BeforeEach
    void client() {
        http = new Http(port);
        live = liveVersion();
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aDrlSyntaxErrorIsRejectedWithItsLine() {
        JsonNode problems = rejected(upload(RULE_AUTHOR, "rules/broken.drl", """
                package termsgate.broken;
                import io.termsgate.engine.facts.Customer;

                rule "Unfinished"
                when
                    Customer( country == "DE"
                then
                end
                """.getBytes(StandardCharsets.UTF_8)));

        assertThat(problem(problems, "rules/broken.drl").get("location").asText())
                .startsWith("line ");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aStringInANumericSpreadsheetCellIsRejectedWithItsCell() throws IOException {
        byte[] xlsx = scorecardWith(24, 2, "two"); // "Years from" of the band 2 to under 5 years

        JsonNode problems = rejected(upload("decision-tables/risk-scorecard.xlsx", xlsx));

        JsonNode problem = problem(problems, "decision-tables/risk-scorecard.xlsx");
        assertThat(problem.get("location").asText())
                .isEqualTo("sheet 'Scorecard', cell C24 (table 'Years in business')");
        assertThat(problem.get("message").asText()).contains("two");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aStringInAPointsCellIsRejectedWithItsCell() throws IOException {
        byte[] xlsx = scorecardWith(24, 4, "ten");

        JsonNode problems = rejected(upload("decision-tables/risk-scorecard.xlsx", xlsx));

        assertThat(problem(problems, "decision-tables/risk-scorecard.xlsx")
                        .get("location")
                        .asText())
                .isEqualTo("sheet 'Scorecard', cell E24 (table 'Years in business')");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aDmnWithAMissingInputIsRejectedWithTheDecisionThatNeedsIt() throws IOException {
        String dmn = dmn();
        // the analyst deletes the Order input from the model; Large Order Route and others still use it
        String withoutOrder = dmn.replaceAll("(?s)<inputData id=\"_Order\".*?</inputData>", "")
                .replaceAll(
                        "(?s)<informationRequirement id=\"[^\"]+\">\\s*<requiredInput href=\"#_Order\"/>\\s*"
                                + "</informationRequirement>",
                        "")
                .replaceAll("(?s)<dmndi:DMNShape id=\"_Order_shape\".*?</dmndi:DMNShape>", "")
                .replaceAll(
                        "(?s)<dmndi:DMNEdge id=\"[^\"]+\" dmnElementRef=\"[^\"]+\" sourceElement=\"_Order_shape\".*?"
                                + "</dmndi:DMNEdge>",
                        "");

        JsonNode problems =
                rejected(upload("decision-tables/credit-terms.dmn", withoutOrder.getBytes(StandardCharsets.UTF_8)));

        List<String> locations = new ArrayList<>();
        problems.forEach(p ->
                locations.add(p.get("file").asText() + " @ " + p.get("location").asText()));
        assertThat(locations)
                .anyMatch(l -> l.startsWith("decision-tables/credit-terms.dmn @ decision 'Large Order Route'"));
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aWordInANumericDmnCellAndAMisspeltRouteAreRejectedWithTheirRules() throws IOException {
        String dmn = dmn();
        String broken = dmn.replace(
                        "<outputEntry id=\"_LimitCap_dt_r2_o1\"><text>400000</text>",
                        "<outputEntry id=\"_LimitCap_dt_r2_o1\"><text>&quot;lots&quot;</text>")
                .replace(
                        "<outputEntry id=\"_LargeOrderRoute_dt_r3_o1\"><text>&quot;CFO&quot;</text>",
                        "<outputEntry id=\"_LargeOrderRoute_dt_r3_o1\"><text>&quot;CF0&quot;</text>")
                .replace(
                        "<outputEntry id=\"_RiskRoute_dt_r3_o1\"><text>&quot;AUTO&quot;</text>",
                        "<outputEntry id=\"_RiskRoute_dt_r3_o1\"><text>&quot;AUTOMATIC&quot;</text>");
        assertThat(broken.length()).isNotEqualTo(dmn.length());

        JsonNode problems =
                rejected(upload("decision-tables/credit-terms.dmn", broken.getBytes(StandardCharsets.UTF_8)));

        Map<String, String> dmnErrors = new java.util.TreeMap<>();
        problems.forEach(p -> {
            if (p.get("file").asText().equals("decision-tables/credit-terms.dmn")
                    && p.get("error").asBoolean()) {
                dmnErrors.put(p.get("location").asText(), p.get("message").asText());
            }
        });
        // each once: the route column of Risk Route lists its output values, so the table analysis reports it
        assertThat(dmnErrors)
                .as(problems.toString())
                .containsOnlyKeys(
                        "decision 'Limit Cap', rule 2",
                        "decision 'Large Order Route', rule 3",
                        "decision 'Risk Route', decision table");
        assertThat(dmnErrors.get("decision 'Limit Cap', rule 2"))
                .isEqualTo("the output \"lots\" is not a value of type 'number'");
        assertThat(dmnErrors.get("decision 'Large Order Route', rule 3"))
                .startsWith("the output \"CF0\" is not a value of type 'tRoute' (allowed: ")
                .contains("\"CFO\"");
        assertThat(dmnErrors.get("decision 'Risk Route', decision table"))
                .contains("Rule 3 defines output 'AUTOMATIC' which is outside the column's");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void anOverlapInAUniqueTableIsRejectedWithTheTableAndRules() throws IOException {
        String overlapping = dmn().replace(
                        "<inputEntry id=\"_RiskRoute_dt_r5_i3\"><text>(0..10000]</text>",
                        "<inputEntry id=\"_RiskRoute_dt_r5_i3\"><text>[-5..10000]</text>");

        JsonNode problems =
                rejected(upload("decision-tables/credit-terms.dmn", overlapping.getBytes(StandardCharsets.UTF_8)));

        JsonNode overlap = null;
        for (JsonNode p : problems) {
            if (p.get("message").asText().contains("Overlap detected")) {
                overlap = p;
            }
        }
        assertThat(overlap).as(problems.toString()).isNotNull();
        assertThat(overlap.get("severity").asText()).isEqualTo("ERROR");
        assertThat(overlap.get("location").asText()).isEqualTo("decision 'Risk Route', decision table");
        assertThat(overlap.get("message").asText()).containsPattern("for rules: \\[\\d, 5\\]");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aFailingScenarioIsRejectedWithItsRow() throws IOException {
        String csv = new String(
                http.getBytes(files("decision-tables/scenarios/policy-examples.csv"), ANALYST), StandardCharsets.UTF_8);
        String wrong = csv.replace(
                ",EX-02,DE,MANUFACTURING,15,80000000,92,60,0,0,50000,,25000,EUR,90,APPROVED,AUTO,100,A,1000000,950000,90,none",
                ",EX-02,DE,MANUFACTURING,15,80000000,92,60,0,0,50000,,25000,EUR,90,APPROVED,AUTO,100,A,900000,950000,90,none");
        assertThat(wrong).isNotEqualTo(csv);

        JsonNode problems = rejected(
                upload("decision-tables/scenarios/policy-examples.csv", wrong.getBytes(StandardCharsets.UTF_8)));

        JsonNode problem = problem(problems, "decision-tables/scenarios/policy-examples.csv");
        assertThat(problem.get("location").asText()).isEqualTo("row 3");
        assertThat(problem.get("message").asText()).contains("creditLimit expected 900000 but was 1000000");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aScenarioWithABadInputIsRejectedWithItsCell() {
        String csv =
                "name,customer.id,customer.country,customer.industry,customer.yearsInBusiness,customer.annualRevenue,"
                        + "order.amount,order.currency,order.requestedTermDays,expected.outcome\r\n"
                        + "bad country,S-1,Germany,RETAIL,3,1000000,100,EUR,30,APPROVED\r\n";

        JsonNode problems = rejected(upload("decision-tables/scenarios/bad.csv", csv.getBytes(StandardCharsets.UTF_8)));

        JsonNode problem = problem(problems, "decision-tables/scenarios/bad.csv");
        assertThat(problem.get("location").asText()).isEqualTo("row 2, column C (customer.country)");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    @ResourceLock(UPLOADS) // alone
    void hugeNumbersInAScenarioFileAreRefusedWithTheirRowAndColumnWithoutBeingExpanded() {
        String csv =
                "name,customer.id,customer.country,customer.industry,customer.yearsInBusiness,customer.annualRevenue,"
                        + "order.amount,order.currency,order.requestedTermDays,expected.outcome,expected.creditLimit\r\n"
                        + "a million digits,S-1,DE,RETAIL,3," + "9".repeat(1_000_000) + ",100,EUR,30,APPROVED,\r\n"
                        + "a huge exponent,S-2,DE,RETAIL,3,1000000,1E+300000000,EUR,30,APPROVED,\r\n"
                        + "a tiny fraction,S-3,DE,RETAIL,1E-300000000,1000000,100,EUR,30,APPROVED,\r\n"
                        + "a huge expectation,S-4,DE,RETAIL,3,1000000,100,EUR,30,APPROVED,1E+300000000\r\n";
        long started = System.nanoTime();

        JsonNode problems =
                rejected(upload("decision-tables/scenarios/huge.csv", csv.getBytes(StandardCharsets.UTF_8)));

        assertThat(System.nanoTime() - started).as("nothing expanded").isLessThan(20_000_000_000L);
        String file = "decision-tables/scenarios/huge.csv";
        assertThat(problemAt(problems, file, "row 2, column F (customer.annualRevenue)")
                        .get("message")
                        .asText())
                .isEqualTo(
                        "scenario 'a million digits': must be an amount of at least 0 with at most 2 decimal places, "
                                + "below 1000000000000000");
        assertThat(problemAt(problems, file, "row 3, column G (order.amount)")
                        .get("message")
                        .asText())
                .contains("must be an amount greater than 0 with at most 2 decimal places");
        assertThat(problemAt(problems, file, "row 4, column E (customer.yearsInBusiness)")
                        .get("message")
                        .asText())
                .contains("must be a number from 0 to 200 with at most 10 decimal places");
        assertThat(problemAt(problems, file, "row 5, column K (expected.creditLimit)")
                        .get("message")
                        .asText())
                .contains("must be an amount of at least 0 with at most 2 decimal places");
        assertThat(problems.toString()).doesNotContain("9999999999");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aModelResavedByTheKieDmnEditorUploadsAndPassesEveryScenario() throws IOException {
        byte[] dmn16 = RulesetUploadTest.class
                .getResourceAsStream("/editor/credit-terms.kie-dmn-editor.dmn")
                .readAllBytes();

        Http.Response upload = upload("decision-tables/credit-terms.dmn", dmn16);

        assertThat(upload.status()).as(upload.body()).isEqualTo(201);
        assertThat(upload.json().at("/scenarios/passed").asInt())
                .isEqualTo(41 + 3 + 23); // worked examples, credit lines, dunning
        assertThat(upload.json().at("/scenarios/failed").asInt()).isZero();
        assertThat(liveVersion()).isEqualTo(live);
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void theUploaderCannotApproveTheirOwnCandidate() throws IOException {
        Http.Response upload = http.postMultipart(
                "/api/v1/rulesets",
                "test-lead-analyst",
                Map.of("base", live),
                new Http.Part(
                        "file",
                        "decision-tables/scenarios/lead.csv",
                        http.getBytes(files("decision-tables/scenarios/policy-examples.csv"), ANALYST)));
        assertThat(upload.status()).as(upload.body()).isEqualTo(201);
        String candidate = upload.json().at("/version").asText();

        Http.Response own = http.send("POST", "/api/v1/rulesets/" + candidate + "/approve", "test-lead-analyst");
        assertThat(own.status()).isEqualTo(403);
        assertThat(own.header("Content-Type")).startsWith("application/problem+json");
        assertThat(own.json().get("detail").asText()).contains("Four eyes");
        assertThat(http.send("POST", "/api/v1/rulesets/" + candidate + "/approve", "demo-approver")
                        .status())
                .isEqualTo(200);
        assertThat(http.send("POST", "/api/v1/rulesets/" + candidate + "/approve", "demo-approver")
                        .status())
                .isEqualTo(409);
        assertThat(liveVersion()).isEqualTo(live);
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    @ResourceLock(UPLOADS) // alone
    void anAnalystUploadThatChangesRuleLogicIsRefusedNamingTheFileBeforeAnythingIsCompiled() throws IOException {
        int versions = http.get("/api/v1/rulesets", ANALYST).json().size();
        // added: not even compiled, or this would be a 422 for its syntax
        forbidden(
                upload("rules/extra.drl", "rule".getBytes(StandardCharsets.UTF_8)),
                "rules/extra.drl",
                "added relative to the base version " + live);

        String knockouts = new String(http.getBytes(files("rules/knockouts.drl"), ANALYST), StandardCharsets.UTF_8);
        byte[] edited = (knockouts + "\n// one more line\n").getBytes(StandardCharsets.UTF_8);
        forbidden(upload("rules/knockouts.drl", edited), "rules/knockouts.drl", "changed relative to the base version");

        forbidden(
                http.postMultipart("/api/v1/rulesets", ANALYST, Map.of("base", live, "delete", "rules/knockouts.drl")),
                "rules/knockouts.drl",
                "removed relative to the base version");

        // a whole bundle is compared with the live version
        Map<String, byte[]> bundle = filesOf(live);
        bundle.put("rules/knockouts.drl", edited);
        forbidden(
                http.postBytes("/api/v1/rulesets", ANALYST, "application/zip", zip(bundle)),
                "rules/knockouts.drl",
                "changed relative to the live version " + live);
        assertThat(http.get("/api/v1/rulesets", ANALYST).json().size())
                .as("nothing stored")
                .isEqualTo(versions);

        // the same bundle without the rule change is the analyst's to upload
        bundle.put("rules/knockouts.drl", knockouts.getBytes(StandardCharsets.UTF_8));
        bundle.put("decision-tables/scenarios/copy.csv", bundle.get("decision-tables/scenarios/policy-examples.csv"));
        Http.Response tablesOnly = http.postBytes("/api/v1/rulesets", ANALYST, "application/zip", zip(bundle));
        assertThat(tablesOnly.status()).as(tablesOnly.body()).isEqualTo(201);
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aRuleAuthorChangesRuleLogicButNotTablesAndFourEyesHoldForThemToo() throws IOException {
        Http.Response drl =
                upload(RULE_AUTHOR, "rules/extra.drl", "package termsgate.extra;\n".getBytes(StandardCharsets.UTF_8));
        assertThat(drl.status()).as(drl.body()).isEqualTo(201);
        assertThat(drl.json().at("/uploadedBy").asText()).isEqualTo(RULE_AUTHOR);
        String candidate = drl.json().at("/version").asText();
        assertThat(http.send("POST", "/api/v1/rulesets/" + candidate + "/approve", RULE_AUTHOR)
                        .status())
                .as("a rule author is no approver")
                .isEqualTo(403);

        byte[] dmn16 = RulesetUploadTest.class
                .getResourceAsStream("/editor/credit-terms.kie-dmn-editor.dmn")
                .readAllBytes();
        forbidden(
                upload(RULE_AUTHOR, "decision-tables/credit-terms.dmn", dmn16),
                "decision-tables/credit-terms.dmn",
                "decision tables and DMN models may be changed only by an ANALYST");

        // a lead who writes rules and approves still needs a second person
        Http.Response lead = upload(
                "test-lead-rule-author",
                "rules/lead.drl",
                "package termsgate.lead;\n".getBytes(StandardCharsets.UTF_8));
        assertThat(lead.status()).as(lead.body()).isEqualTo(201);
        String leads = lead.json().at("/version").asText();
        Http.Response own = http.send("POST", "/api/v1/rulesets/" + leads + "/approve", "test-lead-rule-author");
        assertThat(own.status()).isEqualTo(403);
        assertThat(own.json().get("detail").asText()).contains("Four eyes");
        assertThat(http.send("POST", "/api/v1/rulesets/" + leads + "/approve", "demo-approver")
                        .status())
                .isEqualTo(200);
        assertThat(liveVersion()).isEqualTo(live);
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aWholeBundleUploadsAsAZipAndUploadingItAgainChangesNothing() throws IOException {
        byte[] zip = zipOf(Path.of("."), "rules", "decision-tables");

        Http.Response first = http.postBytes("/api/v1/rulesets", ANALYST, "application/zip", zip);
        Http.Response again = http.postBytes("/api/v1/rulesets", ANALYST, "application/zip", zip);

        // the bundle holds exactly the live files: the same version, already stored
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().at("/version").asText()).isEqualTo(live);
        assertThat(first.json().get("created").asBoolean()).isFalse();
        assertThat(again.status()).isEqualTo(200);
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void hostileBundlesAreRefusedSafely() throws IOException {
        Http.Response traversal = http.postBytes(
                "/api/v1/rulesets",
                ANALYST,
                "application/zip",
                zip(Map.of("../../etc/evil.drl", "x".getBytes(StandardCharsets.UTF_8))));
        assertThat(traversal.status()).isEqualTo(422);
        assertThat(traversal.json().at("/problems/0/message").asText()).contains("unsafe path");

        Http.Response stranger = http.postBytes(
                "/api/v1/rulesets",
                ANALYST,
                "application/zip",
                zip(Map.of("rules/notes.txt", "x".getBytes(StandardCharsets.UTF_8))));
        assertThat(stranger.status()).isEqualTo(422);
        assertThat(stranger.json().at("/problems/0/message").asText()).contains("not a ruleset file");

        // 100 MB of zeros squeezed into about 100 KB: stopped at the size limit while inflating
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bomb)) {
            out.putNextEntry(new ZipEntry("rules/bomb.drl"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 100; i++) {
                out.write(zeros);
            }
            out.closeEntry();
        }
        Http.Response exploded = http.postBytes("/api/v1/rulesets", ANALYST, "application/zip", bomb.toByteArray());
        assertThat(exploded.status()).isEqualTo(422);
        assertThat(exploded.json().at("/problems/0/message").asText()).contains("larger than");

        Http.Response garbage = http.postBytes(
                "/api/v1/rulesets", ANALYST, "application/zip", "not a zip at all".getBytes(StandardCharsets.UTF_8));
        assertThat(garbage.status()).isEqualTo(422);

        // found by fuzzing: an entry name that is not UTF-8 made the zip reader throw an unexpected exception (500)
        byte[] malformed = RulesetUploadTest.class
                .getResourceAsStream("RulesetUploadFuzzTestInputs/bundle/found-malformed-entry-name.zip")
                .readAllBytes();
        assertThat(http.postBytes("/api/v1/rulesets", ANALYST, "application/zip", malformed)
                        .status())
                .isEqualTo(422);

        Http.Response wrongType = http.postBytes("/api/v1/rulesets", ANALYST, "text/plain", new byte[] {1});
        assertThat(wrongType.status()).isEqualTo(415);
        assertThat(liveVersion()).isEqualTo(live);
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aDmnWithAnExternalEntityIsRefused() throws IOException {
        String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
                + dmn().substring(dmn().indexOf("<definitions"))
                        .replace(
                                "<description>termsgate default credit policy v1, steps 3-5</description>",
                                "<description>&x;</description>");

        JsonNode problems = rejected(upload("decision-tables/credit-terms.dmn", xxe.getBytes(StandardCharsets.UTF_8)));

        assertThat(problem(problems, "decision-tables/credit-terms.dmn")
                        .get("message")
                        .asText())
                .contains("DOCTYPE");
        assertThat(problems.toString()).doesNotContain("root:");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void onlyAnalystsUploadAndOnlyApproversApproveOrActivate() {
        assertThat(http.postBytes("/api/v1/rulesets", "demo-checkout", "application/zip", new byte[0])
                        .status())
                .isEqualTo(403);
        assertThat(http.postBytes("/api/v1/rulesets", "demo-approver", "application/zip", new byte[0])
                        .status())
                .isEqualTo(403);
        assertThat(http.send("POST", "/api/v1/rulesets/" + live + "/activate", ANALYST)
                        .status())
                .isEqualTo(403);
        assertThat(http.get("/api/v1/rulesets", "demo-checkout").status()).isEqualTo(403);
        assertThat(http.get("/api/v1/rulesets/sha256:" + "0".repeat(64), ANALYST)
                        .status())
                .isEqualTo(404);
        assertThat(http.send("POST", "/api/v1/rulesets/sha256:" + "0".repeat(64) + "/approve", "demo-approver")
                        .status())
                .isEqualTo(404);
    }

    // --- helpers ---

    private Http.Response upload(String path, byte[] bytes) {
        return upload(ANALYST, path, bytes);
    }

    private Http.Response upload(String key, String path, byte[] bytes) {
        return http.postMultipart("/api/v1/rulesets", key, Map.of("base", live), new Http.Part("file", path, bytes));
    }

    /** A 403 problem that names {@code file} and says why; nothing was stored and the live version stands. */
    private void forbidden(Http.Response response, String file, String why) {
        assertThat(response.status()).as(response.body()).isEqualTo(403);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("type").asText()).isEqualTo("/problems/forbidden");
        assertThat(response.json().get("detail").asText()).contains(file);
        JsonNode problem = problem(response.json().get("problems"), file);
        assertThat(problem.get("message").asText()).contains(why);
        assertThat(liveVersion()).as("the live ruleset is untouched").isEqualTo(live);
    }

    private Map<String, byte[]> filesOf(String version) {
        Map<String, byte[]> files = new TreeMap<>();
        for (JsonNode file :
                http.get("/api/v1/rulesets/" + version, ANALYST).json().get("files")) {
            files.put(
                    file.get("path").asText(),
                    http.getBytes(file.get("download").asText(), ANALYST));
        }
        return files;
    }

    private JsonNode rejected(Http.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(422);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("type").asText()).isEqualTo("/problems/ruleset-rejected");
        assertThat(liveVersion()).as("the live ruleset is untouched").isEqualTo(live);
        return response.json().get("problems");
    }

    private static JsonNode problem(JsonNode problems, String file) {
        for (JsonNode p : problems) {
            if (p.get("file").asText().equals(file)
                    && p.get("severity").asText().equals("ERROR")) {
                return p;
            }
        }
        throw new AssertionError("no error for " + file + " in " + problems);
    }

    private static JsonNode problemAt(JsonNode problems, String file, String location) {
        for (JsonNode p : problems) {
            if (p.get("file").asText().equals(file)
                    && p.get("location").asText().equals(location)) {
                return p;
            }
        }
        throw new AssertionError("no problem of " + file + " at " + location + " in " + problems);
    }

    private String files(String path) {
        return "/api/v1/rulesets/" + live + "/files/" + path;
    }

    private String dmn() {
        return new String(http.getBytes(files("decision-tables/credit-terms.dmn"), ANALYST), StandardCharsets.UTF_8);
    }

    private byte[] scorecardWith(int row, int column, String text) throws IOException {
        byte[] xlsx = http.getBytes(files("decision-tables/risk-scorecard.xlsx"), ANALYST);
        try (Workbook workbook = WorkbookFactory.create(new ByteArrayInputStream(xlsx))) {
            workbook.getSheet("Scorecard").getRow(row - 1).getCell(column).setCellValue(text);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            workbook.write(out);
            return out.toByteArray();
        }
    }

    private String liveVersion() {
        return http.get("/api/v1/rulesets/active", ANALYST)
                .json()
                .get("version")
                .asText();
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (var entry : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    static byte[] zipOf(Path root, String... dirs) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (String dir : dirs) {
                try (Stream<Path> files = Files.walk(root.resolve(dir))) {
                    for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                        out.putNextEntry(
                                new ZipEntry(root.relativize(file).toString().replace('\\', '/')));
                        out.write(Files.readAllBytes(file));
                        out.closeEntry();
                    }
                }
            }
        }
        return bytes.toByteArray();
    }
}
