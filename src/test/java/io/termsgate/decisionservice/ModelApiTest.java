package io.termsgate.decisionservice;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.termsgate.support.Http;
import io.termsgate.support.RulesetCopy;
import io.termsgate.support.ServiceTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The decision services over real HTTP: the default ruleset (credit terms, authority, dunning) plus a test model with
 * an input and a decision of every FEEL type (src/test/resources/models/feel-types.dmn), live from start-up.
 */
@ServiceTest
@DirtiesContext
class ModelApiTest {

    static final String CLIENT = "demo-client";
    static final String AUDITOR = "demo-auditor";

    @DynamicPropertySource
    static void ruleset(DynamicPropertyRegistry registry) {
        try {
            Path dir = Files.createTempDirectory("termsgate-models-");
            RulesetCopy.of(dir)
                    .write(
                            "decision-tables/feel-types.dmn",
                            Files.readString(Path.of("src/test/resources/models/feel-types.dmn")));
            registry.add("termsgate.ruleset.dir", dir::toString);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    static final String OVERDUE = """
            {"Days Past Due": 35, "Amount": 7000.10, "Risk Grade": "E", "Reminders Sent": 2, "Disputed": false}""";

    @Test
    void theLiveModelsAreListedWithTheirInputsAndDecisions() {
        Http.Response listed = http.get("/api/v1/models", CLIENT);
        assertThat(listed.status()).isEqualTo(200);
        JsonNode models = listed.json().get("models");
        List<String> names = new ArrayList<>();
        models.forEach(m -> names.add(m.get("name").asText()));
        assertThat(names).containsExactly("authority", "credit-terms", "dunning", "feel-types");
        JsonNode dunning = models.get(2);
        assertThat(dunning.get("file").asText()).isEqualTo("decision-tables/dunning.dmn");
        List<String> inputs = new ArrayList<>();
        dunning.get("inputs")
                .forEach(i -> inputs.add(i.get("name").asText() + ": "
                        + i.get("type").get("name").asText() + " ("
                        + i.get("type").get("feel").asText() + ")"));
        assertThat(inputs)
                .containsExactly(
                        "Days Past Due: number (number)",
                        "Amount: number (number)",
                        "Risk Grade: tRiskGrade (string)",
                        "Reminders Sent: tCount (number)",
                        "Disputed: boolean (boolean)");
        List<String> decisions = new ArrayList<>();
        dunning.get("decisions").forEach(d -> decisions.add(d.get("name").asText()));
        assertThat(decisions).contains("Next Action", "Days Until Next Step", "Block New Orders");
        assertThat(dunning.get("decisionServices").get(0).get("name").asText()).isEqualTo("next-step");
        assertThat(listed.json().get("rulesetVersion").asText()).startsWith("sha256:");
    }

    @Test
    void dunningAnswersTheWholeContextAndLogsTheCall() {
        Http.Response answer = http.postJson("/api/v1/models/dunning", CLIENT, OVERDUE);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode context = answer.json();
        assertThat(context.get("Next Action").asText()).isEqualTo("FINAL_NOTICE");
        assertThat(context.get("Days Until Next Step").decimalValue()).isEqualByComparingTo("10");
        assertThat(context.get("Block New Orders").asBoolean()).isTrue();
        assertThat(context.get("Risk Grade").asText()).isEqualTo("E");
        // the number as given, exactly: no double on the way
        assertThat(answer.body()).contains("\"Amount\":7000.1");
        assertThat(answer.header(ModelController.CALL_ID)).isNotBlank();

        Http.Response result = http.postJson("/api/v1/models/dunning/dmnresult", CLIENT, OVERDUE);
        assertThat(result.status()).isEqualTo(200);
        JsonNode dmn = result.json();
        assertThat(dmn.get("namespace").asText()).isEqualTo("https://termsgate.io/dmn/dunning");
        assertThat(dmn.get("modelName").asText()).isEqualTo("dunning");
        assertThat(dmn.get("dmnContext").get("Next Action").asText()).isEqualTo("FINAL_NOTICE");
        assertThat(dmn.get("messages").isArray()).isTrue();
        JsonNode nextAction = null;
        for (JsonNode d : dmn.get("decisionResults")) {
            assertThat(d.has("decisionId") && d.has("messages")).isTrue();
            if (d.get("decisionName").asText().equals("Next Action")) {
                nextAction = d;
            }
        }
        assertThat(nextAction.get("decisionId").asText()).isEqualTo("_NextAction");
        assertThat(nextAction.get("result").asText()).isEqualTo("FINAL_NOTICE");
        assertThat(nextAction.get("evaluationStatus").asText()).isEqualTo("SUCCEEDED");

        Http.Response service = http.postJson("/api/v1/models/dunning/next-step", CLIENT, OVERDUE);
        assertThat(service.status()).as(service.body()).isEqualTo(200);
        assertThat(service.json().get("Next Action").asText()).isEqualTo("FINAL_NOTICE");
        assertThat(service.json().has("Dunning Step"))
                .as("encapsulated, not an output")
                .isFalse();
    }

    @Test
    void aDisputedInvoiceNeverEscalatesPastAPhoneCall() {
        JsonNode context = http.postJson("/api/v1/models/dunning", CLIENT, """
                        {"Days Past Due": 200, "Amount": 50000, "Risk Grade": "E", "Reminders Sent": 3, "Disputed": true}""").json();
        assertThat(context.get("Next Action").asText()).isEqualTo("PHONE_CALL");
        assertThat(context.get("Block New Orders").asBoolean()).isFalse();
    }

    @Test
    void inputsOfTheWrongTypeOrUnknownAreProblemsNamingThem() {
        Http.Response wrong = http.postJson("/api/v1/models/dunning", CLIENT, """
                {"Days Past Due": "35", "Amount": 7000, "Risk Grade": "F", "Reminders Sent": 2, "Disputed": "no",
                 "Colour": "red"}""");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.header("Content-Type")).startsWith("application/problem+json");
        List<String> fields = new ArrayList<>();
        wrong.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields).containsExactlyInAnyOrder("Days Past Due", "Risk Grade", "Disputed", "Colour");
        assertThat(wrong.body()).contains("must be a number").contains("must be true or false");

        Http.Response notObject = http.postJson("/api/v1/models/dunning", CLIENT, "[1]");
        assertThat(notObject.status()).isEqualTo(400);

        // missing inputs are null: no row of the dunning table matches, the decision fails, and that is said
        Http.Response missing = http.postJson("/api/v1/models/dunning", CLIENT, "{}");
        assertThat(missing.status()).as(missing.body()).isEqualTo(422);
        assertThat(missing.json().get("type").asText()).isEqualTo("/problems/model-evaluation-failed");
        assertThat(missing.json().get("callId").asText()).isNotBlank();
        assertThat(missing.json().get("messages")).isNotEmpty();
        Http.Response missingResult = http.postJson("/api/v1/models/dunning/dmnresult", CLIENT, "{}");
        assertThat(missingResult.status()).isEqualTo(200);
        assertThat(missingResult.json().get("messages").toString()).contains("ERROR");
    }

    @Test
    void anUnknownModelOrDecisionServiceIsNotFound() {
        assertThat(http.postJson("/api/v1/models/invoicing", CLIENT, "{}").status())
                .isEqualTo(404);
        assertThat(http.postJson("/api/v1/models/invoicing/dmnresult", CLIENT, "{}")
                        .status())
                .isEqualTo(404);
        Http.Response service = http.postJson("/api/v1/models/dunning/no-such-service", CLIENT, "{}");
        assertThat(service.status()).isEqualTo(404);
        assertThat(service.json().get("type").asText()).isEqualTo("/problems/not-found");
    }

    @Test
    void onlyDecisionClientsCallModels() {
        assertThat(http.postJson("/api/v1/models/dunning", "demo-checkout", OVERDUE)
                        .status())
                .isEqualTo(403);
        assertThat(http.get("/api/v1/models", "demo-auditor").status()).isEqualTo(403);
        assertThat(http.postJson("/api/v1/models/dunning", null, OVERDUE).status())
                .isEqualTo(401);
    }

    static final String EVERY_TYPE = """
            {"Amount": 0.1, "Amounts": [0.2, 0.3], "Label": "abc", "Flag": true, "Day": "2026-12-01",
             "Clock": "10:15:00", "Moment": "2026-12-01T10:00:00+01:00", "Wait": "P1DT2H", "Tenure": "P1Y2M",
             "Party": {"name": "ACME", "since": "2001-05-17"}}""";

    @Test
    void everyFeelTypeGoesInAndComesOutAsExactJson() {
        Http.Response answer = http.postJson("/api/v1/models/feel-types", CLIENT, EVERY_TYPE);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode out = answer.json();
        // numbers exact: 0.1 + 0.2 + 0.3 is 0.6, not 0.6000000000000001
        assertThat(answer.body()).contains("\"Sum\":0.6").contains("\"Doubled\":[0.4,0.6]");
        assertThat(out.get("Shout").asText()).isEqualTo("ABC");
        assertThat(out.get("Not Flag").isBoolean()).isTrue();
        assertThat(out.get("Not Flag").asBoolean()).isFalse();
        assertThat(out.get("Day").asText()).isEqualTo("2026-12-01");
        assertThat(out.get("Due").asText()).isEqualTo("2026-12-02");
        assertThat(out.get("Later").asText()).isEqualTo("11:45:00");
        assertThat(out.get("Moment").asText()).isEqualTo("2026-12-01T10:00:00+01:00");
        assertThat(out.get("Next").asText()).isEqualTo("2026-12-02T12:00:00+01:00");
        assertThat(out.get("Wait").asText()).isEqualTo("P1DT2H");
        assertThat(out.get("Between").asText()).isEqualTo("P31D");
        assertThat(out.get("Tenure").asText()).isEqualTo("P1Y2M");
        assertThat(out.get("Longer").asText()).isEqualTo("P2Y3M");
        assertThat(out.get("Party").get("since").asText()).isEqualTo("2001-05-17");
        JsonNode card = out.get("Card");
        assertThat(card.get("who").asText()).isEqualTo("ACME");
        assertThat(card.get("year").isNumber()).isTrue();
        assertThat(card.get("year").asInt()).isEqualTo(2001);
        assertThat(card.get("tags").isArray()).isTrue();
        assertThat(card.get("tags").get(1).asText()).isEqualTo("b");
        assertThat(card.has("none") && card.get("none").isNull()).isTrue();

        Http.Response dates = http.postJson(
                "/api/v1/models/feel-types/dates", CLIENT, "{\"Day\": \"2026-12-01\", \"Wait\": \"-PT24H\"}");
        assertThat(dates.status()).as(dates.body()).isEqualTo(200);
        assertThat(dates.json().get("Due").asText()).isEqualTo("2026-11-30");
        assertThat(dates.json().get("Wait").asText()).isEqualTo("-P1D");

        Http.Response nulls = http.postJson("/api/v1/models/feel-types/dmnresult", CLIENT, "{\"Label\": null}");
        assertThat(nulls.status()).as(nulls.body()).isEqualTo(200);
        assertThat(nulls.json().get("dmnContext").get("Label").isNull()).isTrue();
    }

    @Test
    void everyFeelTypeRefusesAValueOfAnotherType() {
        Http.Response wrong = http.postJson("/api/v1/models/feel-types", CLIENT, """
                {"Amount": "0.1", "Amounts": [0.2, "x"], "Label": 5, "Flag": "true", "Day": "01.12.2026",
                 "Clock": "25:00", "Moment": "2026-12-01", "Wait": "P1Y", "Tenure": "P3D",
                 "Party": {"name": "ACME", "since": 2001, "city": "Bonn"}}""");
        assertThat(wrong.status()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        wrong.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields)
                .containsExactlyInAnyOrder(
                        "Amount",
                        "Amounts[1]",
                        "Label",
                        "Flag",
                        "Day",
                        "Clock",
                        "Moment",
                        "Wait",
                        "Tenure",
                        "Party.since",
                        "Party.city");
    }

    /** Every input as {@link #EVERY_TYPE} but a zoned time and date and time: the whole context, the call replayed. */
    private JsonNode zoned(String clock, String moment) {
        com.fasterxml.jackson.databind.node.ObjectNode inputs =
                (com.fasterxml.jackson.databind.node.ObjectNode) ModelJson.read(EVERY_TYPE);
        inputs.put("Clock", clock).put("Moment", moment);
        Http.Response answer = http.postJson("/api/v1/models/feel-types", CLIENT, inputs.toString());
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        String callId = answer.header(ModelController.CALL_ID);
        Http.Response replay = http.send("POST", "/api/v1/models/calls/" + callId + "/replay", AUDITOR);
        assertThat(replay.json().get("identical").asBoolean()).as(replay.body()).isTrue();
        return answer.json();
    }

    @Test
    void zonedTimesGoInAndComeOutWithTheirOffsetOrZone() {
        JsonNode offset = zoned("10:15:00+01:00", "2026-12-01T10:00:00@Europe/Paris");
        assertThat(offset.get("Clock").asText()).isEqualTo("10:15:00+01:00");
        assertThat(offset.get("Later").asText()).isEqualTo("11:45:00+01:00");
        // a zone id is kept (ISO 8601 with the RFC 9557 zone suffix), not turned into a bare offset
        assertThat(offset.get("Moment").asText()).isEqualTo("2026-12-01T10:00:00+01:00[Europe/Paris]");
        assertThat(offset.get("Next").asText()).isEqualTo("2026-12-02T12:00:00+01:00[Europe/Paris]");

        JsonNode zone = zoned("10:15:00@Europe/Paris", "2026-12-01T10:00:00+01:00[Europe/Paris]");
        assertThat(zone.get("Clock").asText()).isEqualTo("10:15:00@Europe/Paris");
        assertThat(zone.get("Later").asText()).isEqualTo("11:45:00@Europe/Paris");
        assertThat(zone.get("Moment").asText()).isEqualTo("2026-12-01T10:00:00+01:00[Europe/Paris]");

        // what comes out goes back in as the same value
        JsonNode again = zoned(zone.get("Later").asText(), zone.get("Next").asText());
        assertThat(again.get("Clock").asText()).isEqualTo("11:45:00@Europe/Paris");
        assertThat(again.get("Moment").asText()).isEqualTo(zone.get("Next").asText());

        JsonNode utc = zoned("10:15:00Z", "2026-12-01T10:00:00[UTC]");
        assertThat(utc.get("Later").asText()).isEqualTo("11:45:00Z");
        assertThat(utc.get("Moment").asText()).isEqualTo("2026-12-01T10:00:00Z[UTC]");

        Http.Response wrong = http.postJson("/api/v1/models/feel-types", CLIENT, """
                {"Clock": "10:15:00@Mars/Olympus", "Moment": "2026-12-01T10:00:00[Europe/Paris"}""");
        assertThat(wrong.status()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        wrong.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields).containsExactlyInAnyOrder("Clock", "Moment");
    }

    @Test
    void anAuditorReplaysALoggedCallUnderTheVersionThatAnsweredIt() {
        Http.Response answer = http.postJson("/api/v1/models/feel-types", CLIENT, EVERY_TYPE);
        String callId = answer.header(ModelController.CALL_ID);
        String live =
                http.get("/api/v1/models", CLIENT).json().get("rulesetVersion").asText();

        Http.Response logged = http.get("/api/v1/models/calls/" + callId, AUDITOR);
        assertThat(logged.status()).isEqualTo(200);
        assertThat(logged.json().get("client").asText()).isEqualTo(CLIENT);
        assertThat(logged.json().get("modelName").asText()).isEqualTo("feel-types");
        assertThat(logged.json().get("rulesetVersion").asText()).isEqualTo(live);
        assertThat(logged.json().get("inputs").get("Day").asText()).isEqualTo("2026-12-01");
        assertThat(logged.json().get("result").get("dmnContext").get("Longer").asText())
                .isEqualTo("P2Y3M");

        Http.Response replay = http.send("POST", "/api/v1/models/calls/" + callId + "/replay", AUDITOR);
        assertThat(replay.status()).as(replay.body()).isEqualTo(200);
        assertThat(replay.json().get("identical").asBoolean()).isTrue();
        assertThat(replay.json().get("rulesetVersion").asText()).isEqualTo(live);
        assertThat(replay.json().get("replayed")).isEqualTo(replay.json().get("logged"));
        assertThat(http.send("POST", "/api/v1/models/calls/" + callId + "/replay", CLIENT)
                        .status())
                .isEqualTo(403);
        assertThat(http.send("POST", "/api/v1/models/calls/00000000-0000-4000-8000-000000000000/replay", AUDITOR)
                        .status())
                .isEqualTo(404);

        JsonNode chain = http.get("/api/v1/audit/models/verify", AUDITOR).json();
        assertThat(chain.get("valid").asBoolean()).as(chain.toString()).isTrue();
        assertThat(chain.get("checked").asLong()).isPositive();
    }
}
