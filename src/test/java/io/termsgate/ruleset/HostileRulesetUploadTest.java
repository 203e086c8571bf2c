package io.termsgate.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.termsgate.support.Http;
import io.termsgate.support.ServiceTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The attacks of issue 11, over HTTP as their authors would send them: each upload is refused with its place
 * (422), nothing is written, the service keeps serving with the live version unchanged, and no answer carries a
 * stack trace or a secret.
 */
@ServiceTest
class HostileRulesetUploadTest {

    static final String RULE_AUTHOR = "demo-rule-author";
    static final String ANALYST = "demo-analyst";

    @TempDir
    Path dir;

    @LocalServerPort
    int port;

    Http http;
    String live;

    @BeforeEach
    void client() {
        http = new Http(port);
        live = http.get("/api/v1/rulesets/active", ANALYST)
                .json()
                .get("version")
                .asText();
    }

    private static String rule(String then) {
        return """
                package termsgate.evil;
                import io.termsgate.engine.facts.Customer;
                import io.termsgate.engine.facts.KnockoutFindings;
                global KnockoutFindings findings;
                rule "Evil"
                when
                    Customer()
                then
                """ + "    " + then + "\nend\n";
    }

    @Test
    void aConsequenceThatWritesAFileIsRefusedAndWritesNothing() {
        Path marker = dir.resolve("pwned.txt");
        JsonNode problem = refused(
                RULE_AUTHOR,
                "rules/evil.drl",
                rule("java.nio.file.Files.writeString(" + "java.nio.file.Path.of(\""
                        + marker.toString().replace("\\", "/") + "\"), \"x\");"));

        assertThat(problem.get("location").asText()).isEqualTo("line 9");
        assertThat(problem.get("message").asText()).contains("is not allowed");
        assertThat(Files.exists(marker)).isFalse();
    }

    @Test
    void aConsequenceThatEndsTheServiceIsRefusedAndTheServiceServes() {
        refused(RULE_AUTHOR, "rules/evil.drl", rule("System.exit(9);"));

        assertThat(http.get("/actuator/health", null).status()).isEqualTo(200);
    }

    @Test
    void aThrowCarryingTheEnvironmentIsRefusedAndNoSecretComesBack() {
        Http.Response response =
                upload(RULE_AUTHOR, "rules/evil.drl", rule("throw new RuntimeException(System.getenv().toString());"));

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.body()).doesNotContain("PATH=", "HOME=", "demo-approver", "password");
    }

    @Test
    void aConsequenceThatDoesNotParseIsNamedByFileAndLineWithoutAStackTrace() {
        JsonNode problem = refused(RULE_AUTHOR, "rules/evil.drl", rule("findings.decline(\"KO_X\";"));

        assertThat(problem.get("location").asText()).startsWith("line ");
        assertThat(problem.get("message").asText()).doesNotContain("\tat ", "Exception", "\n");
    }

    @Test
    void aDmnExternalFunctionIsRefusedWithItsDecision() {
        String dmn = new String(
                        http.getBytes("/api/v1/rulesets/" + live + "/files/decision-tables/credit-terms.dmn", ANALYST),
                        StandardCharsets.UTF_8)
                .replace(
                        "floor(min(Customer.annualRevenue * Revenue Share, Limit Cap) / 1000) * 1000",
                        "function(x) external {java: {class: \"java.lang.System\", method signature: \"exit(int)\"}}(9)");

        JsonNode problem = refused(ANALYST, "decision-tables/credit-terms.dmn", dmn);

        assertThat(problem.get("location").asText()).startsWith("decision 'Assessed Limit'");
        assertThat(problem.get("message").asText()).contains("external");
        assertThat(http.get("/actuator/health", null).status()).isEqualTo(200);
    }

    @Test
    void aSpreadsheetCellThatAddsAStatementIsRefusedWithItsCell() throws Exception {
        byte[] xlsx = http.getBytes("/api/v1/rulesets/" + live + "/files/decision-tables/risk-scorecard.xlsx", ANALYST);
        try (Workbook workbook = WorkbookFactory.create(new ByteArrayInputStream(xlsx))) {
            workbook.getSheet("Scorecard").getRow(14).getCell(5).setCellValue("25); scorecard.grade(\"A\"");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            workbook.write(out);
            xlsx = out.toByteArray();
        }

        Http.Response response = http.postMultipart(
                "/api/v1/rulesets",
                ANALYST,
                Map.of("base", live),
                new Http.Part("file", "decision-tables/risk-scorecard.xlsx", xlsx));

        JsonNode problem = problemOf(response, "decision-tables/risk-scorecard.xlsx");
        assertThat(problem.get("location").asText()).isEqualTo("sheet 'Scorecard', cell F15 (table 'Bureau score')");
    }

    private Http.Response upload(String key, String path, String content) {
        return http.postMultipart(
                "/api/v1/rulesets",
                key,
                Map.of("base", live),
                new Http.Part("file", path, content.getBytes(StandardCharsets.UTF_8)));
    }

    private JsonNode refused(String key, String path, String content) {
        return problemOf(upload(key, path, content), path);
    }

    private JsonNode problemOf(Http.Response response, String path) {
        assertThat(response.status()).as(response.body()).isEqualTo(422);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.body()).doesNotContain("\\tat ", "at org.", "at java.");
        assertThat(http.get("/api/v1/rulesets/active", ANALYST)
                        .json()
                        .get("version")
                        .asText())
                .as("the live ruleset is untouched")
                .isEqualTo(live);
        for (JsonNode p : response.json().get("problems")) {
            if (p.get("file").asText().equals(path)
                    && p.get("severity").asText().equals("ERROR")) {
                return p;
            }
        }
        throw new AssertionError("no error for " + path + " in " + response.body());
    }
}
