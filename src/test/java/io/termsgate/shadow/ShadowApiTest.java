package io.termsgate.shadow;

import static io.termsgate.shadow.ShadowFixtures.ANALYST;
import static io.termsgate.shadow.ShadowFixtures.AUDITOR;
import static io.termsgate.shadow.ShadowFixtures.CHECKOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.termsgate.support.Http;
import io.termsgate.support.ServiceTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * A challenger in the shadow of live decisions, over HTTP on the whole service: the grade-B cap raised from 400,000 to
 * 500,000 shadows a few hundred live decisions; the report counts exactly those whose answer changes (known from the
 * live answers alone: a grade-B limit at the cap), checkout's answers are the same as with no challenger, the changed
 * decisions page and download; a stop holds and a start again continues the report.
 */
@ServiceTest
@DirtiesContext
@TestPropertySource(properties = "termsgate.shadow.refresh-interval=100ms")
class ShadowApiTest {

    static final int LIVE = 240;

    @LocalServerPort
    int port;

    Http http;

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.context.ApplicationContext context;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    static String shadow(String version) {
        return "/api/v1/rulesets/" + version + "/shadow";
    }

    JsonNode decide(JsonNode request) {
        Http.Response decided = http.postJson("/api/v1/credit-decisions", CHECKOUT, request.toString());
        assertThat(decided.status()).as(decided.body()).isEqualTo(201);
        return decided.json();
    }

    /** Every request decided, eight at a time; the answers in the requests' order. */
    List<JsonNode> decideAll(List<JsonNode> requests) {
        return ShadowFixtures.concurrently(requests, i -> decide(requests.get(i)));
    }

    JsonNode report(String version) {
        Http.Response report = http.get(shadow(version), ANALYST);
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        return report.json();
    }

    @Test
    void theRaisedGradeBCapCountsExactlyTheDecisionsItChangesAndCheckoutsAnswersStayTheSame() {
        String live = ShadowFixtures.liveVersion(http);
        String candidate = ShadowFixtures.gradeBCapCandidate(http, live);
        List<JsonNode> requests = ShadowFixtures.requests("SH-", LIVE, 17);
        List<JsonNode> unshadowed = decideAll(requests);

        Http.Response started = http.postJson(shadow(candidate), ANALYST, "{\"sampleRate\": 1}");
        assertThat(started.status()).as(started.body()).isEqualTo(201);
        assertThat(started.header("Location")).isEqualTo(shadow(candidate));
        assertThat(started.json().get("status").asText()).isEqualTo("RUNNING");
        assertThat(started.json().get("sampleRate").decimalValue()).isEqualByComparingTo("1");
        assertThat(started.json().get("total").asLong()).isZero();

        List<JsonNode> shadowed = decideAll(requests);
        Set<String> expectedChanged = new HashSet<>();
        for (int i = 0; i < LIVE; i++) {
            assertThat(ShadowFixtures.answer(shadowed.get(i)))
                    .as("checkout's answer with a challenger running, request " + i)
                    .isEqualTo(ShadowFixtures.answer(unshadowed.get(i)));
            assertThat(shadowed.get(i).get("rulesetVersion").asText()).isEqualTo(live);
            if (ShadowFixtures.capped(shadowed.get(i))) {
                expectedChanged.add(shadowed.get(i).get("decisionId").asText());
            }
        }
        assertThat(expectedChanged)
                .as("the mix has capped grade-B buyers and others")
                .hasSizeBetween(20, LIVE - 20);

        await().atMost(Duration.ofSeconds(60))
                .until(() -> report(candidate).get("total").asLong() == LIVE);
        JsonNode report = report(candidate);
        assertThat(report.get("rulesetVersion").asText()).isEqualTo(candidate);
        assertThat(report.get("changed").asLong()).isEqualTo(expectedChanged.size());
        assertThat(report.get("dropped").asLong()).isZero();
        assertThat(report.get("engineErrors").asLong()).isZero();
        long transitions = 0;
        for (JsonNode count : report.get("transitions")) {
            transitions += count.asLong();
        }
        assertThat(transitions).isEqualTo(LIVE);
        // each changed limit rose by exactly 100,000 (7.5 % of every buyer's revenue is above 500,000)
        assertThat(report.at("/limitDelta/sum").decimalValue())
                .isEqualByComparingTo(BigDecimal.valueOf(100_000L * expectedChanged.size()));
        assertThat(report.at("/limitDelta/min").decimalValue()).isEqualByComparingTo("0");
        assertThat(report.at("/limitDelta/max").decimalValue()).isEqualByComparingTo("100000");
        assertThat(report.at("/limitDelta/sum").isIntegralNumber())
                .as("money as an exact JSON number")
                .isTrue();

        // the changed decisions, paged: exactly the expected ones, in log order, without customer ids for an analyst
        List<String> paged = new ArrayList<>();
        String next = null;
        long lastSeq = 0;
        do {
            Http.Response page =
                    http.get(shadow(candidate) + "/changes?limit=7" + (next == null ? "" : "&after=" + next), ANALYST);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            for (JsonNode item : page.json().get("items")) {
                paged.add(item.get("decisionId").asText());
                assertThat(item.get("seq").asLong()).isGreaterThan(lastSeq);
                lastSeq = item.get("seq").asLong();
                assertThat(item.get("customerId").isNull()).isTrue();
                assertThat(item.get("changedFields").toString()).contains("creditLimit");
                assertThat(item.at("/live/creditLimit").decimalValue()).isEqualByComparingTo("400000");
                assertThat(item.at("/challenger/creditLimit").decimalValue()).isEqualByComparingTo("500000");
            }
            next = page.json().get("next").isNull()
                    ? null
                    : page.json().get("next").asText();
        } while (next != null);
        assertThat(paged).hasSize(expectedChanged.size()).doesNotHaveDuplicates();
        assertThat(new HashSet<>(paged)).isEqualTo(expectedChanged);

        // as CSV: decision ids for the analyst, customer ids for the auditor only
        Http.Response csv = http.get(shadow(candidate) + "/changes", ANALYST, "Accept", "text/csv");
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        List<String> rows = csv.body().lines().toList();
        assertThat(rows).hasSize(expectedChanged.size() + 1);
        assertThat(rows.get(0)).startsWith("decision_id,seq,customer_id,");
        assertThat(rows.subList(1, rows.size()))
                .allSatisfy(row -> assertThat(row.split(",")[2]).isEmpty());
        List<String> audited = http.get(shadow(candidate) + "/changes", AUDITOR, "Accept", "text/csv")
                .body()
                .lines()
                .toList();
        assertThat(audited).hasSize(expectedChanged.size() + 1);
        assertThat(audited.subList(1, audited.size()))
                .allSatisfy(row -> assertThat(row.split(",")[2]).startsWith("SH-"));
        assertThat(http.get(shadow(candidate) + "/changes?limit=1", AUDITOR)
                        .json()
                        .at("/items/0/customerId")
                        .asText())
                .startsWith("SH-");

        // an erased customer's id is gone from the changed decisions too: it is read from the log, which no longer
        // opens their records
        JsonNode approved = null;
        for (JsonNode item : http.get(shadow(candidate) + "/changes?limit=1000", AUDITOR)
                .json()
                .get("items")) {
            if (item.at("/live/outcome").asText().equals("APPROVED")) {
                approved = item; // no open referral case, so nothing holds the erasure back
                break;
            }
        }
        assertThat(approved).isNotNull();
        String erased = approved.get("customerId").asText();
        Http.Response erasure = http.send("DELETE", "/api/v1/customers/" + erased + "/personal-data", "demo-privacy");
        assertThat(erasure.status()).as(erasure.body()).isIn(200, 201);
        for (JsonNode item : http.get(shadow(candidate) + "/changes?limit=1000", AUDITOR)
                .json()
                .get("items")) {
            assertThat(item.get("customerId").asText(null)).isNotEqualTo(erased);
            if (item.get("decisionId").equals(approved.get("decisionId"))) {
                assertThat(item.get("customerId").isNull()).isTrue();
            }
        }

        // stopped: the report stays, and decisions made now are not evaluated
        Http.Response stopped = http.send("DELETE", shadow(candidate), ANALYST);
        assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
        assertThat(stopped.json().get("status").asText()).isEqualTo("STOPPED");
        assertThat(stopped.json().get("stoppedBy").asText()).isEqualTo(ANALYST);
        List<JsonNode> more = ShadowFixtures.requests("SH-MORE-", 10, 18);
        decideAll(more);
        pause(Duration.ofMillis(800)); // several refresh intervals: no instance still evaluates it
        assertThat(report(candidate).get("total").asLong()).isEqualTo(LIVE);
        assertThat(report(candidate).get("status").asText()).isEqualTo("STOPPED");

        // started again: the same report continues
        Http.Response restarted = http.postJson(shadow(candidate), ANALYST, "");
        assertThat(restarted.status()).as(restarted.body()).isEqualTo(201);
        assertThat(restarted.json().get("status").asText()).isEqualTo("RUNNING");
        assertThat(restarted.json().get("total").asLong()).isEqualTo(LIVE);
        long capped = decideAll(more).stream().filter(ShadowFixtures::capped).count();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> report(candidate).get("total").asLong() == LIVE + 10);
        assertThat(report(candidate).get("changed").asLong()).isEqualTo(expectedChanged.size() + capped);
        assertThat(http.send("DELETE", shadow(candidate), ANALYST).status()).isEqualTo(200);
    }

    @Test
    void hostileInputIsAProblemNamingWhatIsWrong(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        String live = ShadowFixtures.liveVersion(http);
        String candidate = ShadowFixtures.rewordedCandidate(http, live);
        for (String body : new String[] {
            "{\"sampleRate\": 1.5}",
            "{\"sampleRate\": -0.1}",
            "{\"sampleRate\": \"half\"}",
            "{\"sampleRate\": true}",
            "{\"sampleRate\": null}",
            "{\"sampleRate\": 0.12345}",
            "{\"sampleRate\": 1e400}"
        }) {
            Http.Response bad = http.postJson(shadow(candidate), ANALYST, body);
            assertThat(bad.status()).as(body + ": " + bad.body()).isEqualTo(400);
            assertThat(bad.header("Content-Type")).startsWith("application/problem+json");
            assertThat(bad.json().at("/errors/0/field").asText()).as(body).isEqualTo("sampleRate");
        }
        Http.Response extra = http.postJson(shadow(candidate), ANALYST, "{\"sampleRate\": 0.5, \"rate\": 1}");
        assertThat(extra.status()).isEqualTo(400);
        assertThat(extra.json().at("/errors/0/field").asText()).isEqualTo("rate");
        assertThat(http.postJson(shadow(candidate), ANALYST, "[0.5]").status()).isEqualTo(400);
        Http.Response malformed = http.postJson(shadow(candidate), ANALYST, "{\"sampleRate\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body()).doesNotContain("Exception").doesNotContain("at io.");

        Http.Response badVersion = http.postJson(shadow("latest"), ANALYST, "{}");
        assertThat(badVersion.status()).isEqualTo(400);
        assertThat(badVersion.json().at("/errors/0/field").asText()).isEqualTo("version");
        String unknown = "sha256:" + "0".repeat(64);
        assertThat(http.postJson(shadow(unknown), ANALYST, "{}").status()).isEqualTo(404);
        assertThat(http.get(shadow(unknown), ANALYST).status()).isEqualTo(404);
        assertThat(http.send("DELETE", shadow(unknown), ANALYST).status()).isEqualTo(404);
        assertThat(http.get(shadow(candidate), ANALYST).status())
                .as("a version that never ran has no report")
                .isEqualTo(404);

        // stored without passing its scenarios (as the launcher stores a folder): it could not go live, so not shadow
        String unchecked = io.termsgate.ruleset.RulesetFiles.readFolder(io.termsgate.support.RulesetCopy.of(dir)
                        .replace("rules/knockouts.drl", "K1 Sanctions match", "K1 Sanctions list match")
                        .root())
                .version();
        new io.termsgate.ruleset.StoredRulesets(context)
                .store(
                        io.termsgate.ruleset.RulesetFiles.readFolder(dir),
                        "test",
                        "stored without its scenarios",
                        java.time.Instant.now());
        Http.Response notPassed = http.postJson(shadow(unchecked), ANALYST, "{}");
        assertThat(notPassed.status()).as(notPassed.body()).isEqualTo(422);
        assertThat(notPassed.json().get("type").asText()).isEqualTo("/problems/challenger-refused");

        Http.Response liveOne = http.postJson(shadow(live), ANALYST, "{}");
        assertThat(liveOne.status()).isEqualTo(409);
        assertThat(liveOne.json().get("type").asText()).isEqualTo("/problems/conflict");

        // roles: uploaders start and stop, ruleset readers read, others are refused
        for (String key : new String[] {CHECKOUT, "demo-approver", AUDITOR, "demo-operator", "demo-batch"}) {
            assertThat(http.postJson(shadow(candidate), key, "{}").status())
                    .as(key)
                    .isEqualTo(403);
            assertThat(http.send("DELETE", shadow(candidate), key).status())
                    .as(key)
                    .isEqualTo(403);
        }
        assertThat(http.postJson(shadow(candidate), null, "{}").status()).isEqualTo(401);
        assertThat(http.get(shadow(candidate), CHECKOUT).status()).isEqualTo(403);
        assertThat(http.get(shadow(candidate) + "/changes", "demo-batch").status())
                .isEqualTo(403);

        Http.Response started = http.postJson(shadow(candidate), "demo-rule-author", "{\"sampleRate\": 0.25}");
        assertThat(started.status()).as(started.body()).isEqualTo(201);
        assertThat(started.json().get("sampleRate").decimalValue()).isEqualByComparingTo("0.25");
        assertThat(http.get(shadow(candidate), "demo-approver").status()).isEqualTo(200);
        assertThat(http.get(shadow(candidate), AUDITOR).status()).isEqualTo(200);

        // one challenger at a time
        Http.Response again = http.postJson(shadow(candidate), ANALYST, "{}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("detail").asText()).contains("already");
        String other = ShadowFixtures.gradeBCapCandidate(http, live);
        Http.Response second = http.postJson(shadow(other), ANALYST, "{}");
        assertThat(second.status()).as(second.body()).isEqualTo(409);
        assertThat(second.json().get("detail").asText()).contains(candidate);

        for (String query :
                new String[] {"limit=0", "limit=abc", "limit=100000", "after=-1", "after=xyz", "limit=1e3"}) {
            Http.Response bad = http.get(shadow(candidate) + "/changes?" + query, ANALYST);
            assertThat(bad.status()).as(query).isEqualTo(400);
            assertThat(bad.json().at("/errors/0/field").asText()).isEqualTo(query.substring(0, query.indexOf('=')));
        }
        assertThat(http.send("DELETE", shadow(candidate), "demo-rule-author").status())
                .isEqualTo(200);
        assertThat(http.send("DELETE", shadow(candidate), ANALYST).status())
                .as("stopping a stopped challenger changes nothing")
                .isEqualTo(200);
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
