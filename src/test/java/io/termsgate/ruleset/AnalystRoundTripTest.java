package io.termsgate.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.termsgate.support.Http;
import io.termsgate.support.LibreOffice;
import io.termsgate.support.PolicyExamples;
import io.termsgate.support.ServiceTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The round trip a credit analyst makes, over real HTTP with real files: download the live scorecard, raise the
 * points of a band in the spreadsheet, update the scenario it changes, upload both on top of the live version,
 * see the scenarios pass, backtest against decisions made earlier, get a second person's approval, go live,
 * decide again; old decisions still replay identical under their own version.
 */
@ServiceTest
@DirtiesContext
class AnalystRoundTripTest {

    static final String ANALYST = "demo-analyst";
    static final String APPROVER = "demo-approver";
    static final String SCORECARD = "decision-tables/risk-scorecard.xlsx";
    static final String SCENARIOS = "decision-tables/scenarios/policy-examples.csv";
    /** The years-in-business band 2 to under 5 years: its points cell. */
    static final int BAND_ROW = 24;

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @Test
    void anAnalystsScorecardEditGoesLiveThroughValidationScenariosBacktestAndFourEyes() throws Exception {
        roundTrip(false);
    }

    @Test
    void theSameRoundTripWithTheSpreadsheetSavedByLibreOffice() throws Exception {
        roundTrip(true);
    }

    private void roundTrip(boolean savedByLibreOffice) throws Exception {
        String live = liveVersion();
        assertThat(decide(PolicyExamples.byCustomerId("EX-27").request())
                        .get("outcome")
                        .asText())
                .isEqualTo("REFERRED");

        // decisions made before the change: every worked example, and three more buyers of 2-5 years
        Instant from = Instant.now();
        Set<String> affected = new HashSet<>();
        String oldYoungBusinessDecision = null;
        for (PolicyExamples.Example example : PolicyExamples.all()) {
            String id = decide(example.request()).get("decisionId").asText();
            if (example.customerId().equals("EX-27")) {
                affected.add(id);
                oldYoungBusinessDecision = id;
            }
        }
        for (int i = 1; i <= 3; i++) {
            ObjectNode request = PolicyExamples.byCustomerId("EX-27").request().deepCopy();
            ((ObjectNode) request.get("customer")).put("id", "YOUNG-" + i).put("yearsInBusiness", 2 + i * 0.9);
            affected.add(decide(request).get("decisionId").asText());
        }
        Instant to = Instant.now().plusMillis(1);
        Thread.sleep(5); // nothing decided from here on falls in the window

        // the analyst downloads the live files and edits them
        byte[] xlsx = http.getBytes("/api/v1/rulesets/" + live + "/files/" + SCORECARD, ANALYST);
        byte[] edited = setPoints(xlsx, BAND_ROW, "2 to under 5 years", 20);
        if (savedByLibreOffice) {
            edited = LibreOffice.resave(edited, "xlsx");
        }
        String csv = new String(
                http.getBytes("/api/v1/rulesets/" + live + "/files/" + SCENARIOS, ANALYST), StandardCharsets.UTF_8);
        String oldRow =
                csv.lines().filter(l -> l.contains(",EX-27,")).findFirst().orElseThrow();
        String newRow = oldRow.substring(0, oldRow.indexOf(",REFERRED,")) + ",APPROVED,AUTO,55,C,150000,150000,45,none";
        byte[] scenarios = csv.replace(oldRow, newRow).getBytes(StandardCharsets.UTF_8);

        Http.Response upload = http.postMultipart(
                "/api/v1/rulesets",
                ANALYST,
                Map.of("base", live),
                new Http.Part("file", SCORECARD, edited),
                new Http.Part("file", SCENARIOS, scenarios));
        assertThat(upload.status()).as(upload.body()).isEqualTo(201);
        String candidate = upload.json().at("/version").asText();
        assertThat(candidate).isNotEqualTo(live).matches("sha256:[0-9a-f]{64}");
        assertThat(upload.json().at("/status").asText()).isEqualTo("CANDIDATE");
        assertThat(upload.json().at("/uploadedBy").asText()).isEqualTo(ANALYST);
        assertThat(upload.json().at("/scenarios/total").asInt())
                .isEqualTo(41 + 3 + 23); // worked examples, credit lines, dunning
        assertThat(upload.json().at("/scenarios/failed").asInt()).isZero();
        assertThat(liveVersion()).as("an upload never touches the live ruleset").isEqualTo(live);

        // the diff shows exactly the cell and the scenario line that changed
        JsonNode diff = http.get("/api/v1/rulesets/" + live + "/diff/" + candidate, ANALYST)
                .json();
        JsonNode sheetDiff = file(diff, SCORECARD);
        assertThat(sheetDiff.get("change").asText()).isEqualTo("CHANGED");
        assertThat(sheetDiff.get("cells")).hasSize(1);
        assertThat(sheetDiff.at("/cells/0/cell").asText()).isEqualTo("E" + BAND_ROW);
        assertThat(sheetDiff.at("/cells/0/before").asText()).isEqualTo("10");
        assertThat(sheetDiff.at("/cells/0/after").asText()).isEqualTo("20");
        assertThat(file(diff, SCENARIOS).get("lines")).hasSize(2);

        // the backtest replays the decisions of the window and counts exactly those the change affects
        Http.Response started =
                http.send("POST", "/api/v1/rulesets/" + candidate + "/backtests?from=" + from + "&to=" + to, ANALYST);
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String location = started.header("Location");
        JsonNode report = awaitReport(location);
        assertThat(report.get("total").asLong()).isEqualTo(44);
        assertThat(report.get("changed").asLong()).isEqualTo(affected.size());
        assertThat(report.at("/transitions/REFERRED->APPROVED").asLong()).isEqualTo(affected.size());
        assertThat(report.at("/transitions/APPROVED->APPROVED").asLong()).isPositive();
        assertThat(report.at("/routeTransitions/CREDIT_ANALYST->AUTO").asLong()).isPositive();
        Set<String> changed = new HashSet<>();
        report.get("changedDecisions")
                .forEach(d -> changed.add(d.get("decisionId").asText()));
        assertThat(changed).isEqualTo(affected);
        String reportCsv = new String(http.getBytes(location + "/report.csv", ANALYST), StandardCharsets.UTF_8);
        assertThat(reportCsv.split("\r\n")).hasSize(1 + affected.size());

        // four eyes: the analyst cannot approve, activation before approval is refused
        assertThat(http.send("POST", "/api/v1/rulesets/" + candidate + "/approve", ANALYST)
                        .status())
                .isEqualTo(403);
        Http.Response early = http.send("POST", "/api/v1/rulesets/" + candidate + "/activate", APPROVER);
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.json().get("detail").asText()).contains("not approved");
        Http.Response approved = http.send("POST", "/api/v1/rulesets/" + candidate + "/approve", APPROVER);
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(approved.json().get("status").asText()).isEqualTo("APPROVED");
        Http.Response activated = http.send("POST", "/api/v1/rulesets/" + candidate + "/activate", APPROVER);
        assertThat(activated.status()).as(activated.body()).isEqualTo(200);
        assertThat(activated.json().get("previousVersion").asText()).isEqualTo(live);
        assertThat(liveVersion()).isEqualTo(candidate);

        // checkout now gets the new answer under the new version
        JsonNode now = decide(PolicyExamples.byCustomerId("EX-27").request());
        assertThat(now.get("outcome").asText()).isEqualTo("APPROVED");
        assertThat(now.get("riskGrade").asText()).isEqualTo("C");
        assertThat(now.get("rulesetVersion").asText()).isEqualTo(candidate);

        // the old decision still replays identical under its own version; under the new one it would differ
        JsonNode replay = http.send(
                        "POST", "/api/v1/credit-decisions/" + oldYoungBusinessDecision + "/replay", "demo-auditor")
                .json();
        assertThat(replay.get("identical").asBoolean()).isTrue();
        assertThat(replay.get("replayedRulesetVersion").asText()).isEqualTo(live);

        // every step is on record: who, when, from which version
        JsonNode detail = http.get("/api/v1/rulesets/" + candidate, APPROVER).json();
        List<String> history = new ArrayList<>();
        detail.get("history")
                .forEach(h -> history.add(
                        h.get("event").asText() + " by " + h.get("actor").asText()));
        assertThat(history)
                .containsExactly(
                        "UPLOADED by demo-analyst",
                        "APPROVED by demo-approver-person",
                        "ACTIVATED by demo-approver-person");
        assertThat(detail.at("/history/2/fromVersion").asText()).isEqualTo(live);
        assertThat(detail.at("/baseVersion").asText()).isEqualTo(live);

        // and the previous version can be brought back: a rollback
        Http.Response rollback = http.send("POST", "/api/v1/rulesets/" + live + "/activate", APPROVER);
        assertThat(rollback.status()).as(rollback.body()).isEqualTo(200);
        assertThat(rollback.json().get("rollback").asBoolean()).isTrue();
        assertThat(liveVersion()).isEqualTo(live);
        assertThat(decide(PolicyExamples.byCustomerId("EX-27").request())
                        .get("outcome")
                        .asText())
                .isEqualTo("REFERRED");
        JsonNode versions = http.get("/api/v1/rulesets", "demo-auditor").json();
        for (JsonNode v : versions) {
            if (v.get("version").asText().equals(candidate)) {
                assertThat(v.get("status").asText()).isEqualTo("RETIRED");
            }
            if (v.get("version").asText().equals(live)) {
                assertThat(v.get("status").asText()).isEqualTo("ACTIVE");
                assertThat(v.get("live").asBoolean()).isTrue();
            }
        }
    }

    private JsonNode awaitReport(String location) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            JsonNode status = http.get(location, ANALYST).json();
            String state = status.at("/backtest/status").asText();
            if (state.equals("DONE")) {
                return status.get("report");
            }
            assertThat(state).as(status.toString()).isEqualTo("RUNNING");
            Thread.sleep(100);
        }
        throw new AssertionError("backtest did not finish in a minute");
    }

    private JsonNode decide(JsonNode request) {
        Http.Response response = http.postJson("/api/v1/credit-decisions", "demo-checkout", request.toString());
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    private String liveVersion() {
        return http.get("/api/v1/rulesets/active", ANALYST)
                .json()
                .get("version")
                .asText();
    }

    private static JsonNode file(JsonNode diff, String path) {
        for (JsonNode file : diff.get("files")) {
            if (file.get("path").asText().equals(path)) {
                return file;
            }
        }
        throw new AssertionError("no " + path + " in the diff");
    }

    static byte[] setPoints(byte[] xlsx, int row, String band, int points) throws IOException {
        try (Workbook workbook = WorkbookFactory.create(new ByteArrayInputStream(xlsx))) {
            Sheet sheet = workbook.getSheet("Scorecard");
            Row r = sheet.getRow(row - 1);
            assertThat(r.getCell(1).getStringCellValue()).isEqualTo(band);
            r.getCell(4).setCellValue(points);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            workbook.write(out);
            return out.toByteArray();
        }
    }
}
