package io.termsgate.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import io.termsgate.support.ServiceTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A data subject's erasure request, end to end over HTTP: checkout decides, the log keeps the customer sealed, the
 * privacy officer erases, and the auditor finds the decisions still counted and verified but without personal data,
 * unfindable by the customer id, and not replayable (410).
 */
@ServiceTest
class PersonalDataErasureTest {

    static final String CHECKOUT = "demo-checkout";
    static final String AUDITOR = "demo-auditor";
    static final String PRIVACY = "demo-privacy";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Http http;

    @BeforeEach
    void http() {
        http = new Http(port);
    }

    JsonNode decide(String example, String customer, String orderId) {
        ObjectNode request = PolicyExamples.byCustomerId(example).request().deepCopy();
        ((ObjectNode) request.get("customer")).put("id", customer);
        if (orderId != null) {
            ((ObjectNode) request.get("order")).put("id", orderId);
        }
        Http.Response decided = http.postJson("/api/v1/credit-decisions", CHECKOUT, request.toString());
        assertThat(decided.status()).as(decided.body()).isEqualTo(201);
        return decided.json();
    }

    Http.Response erase(String customer) {
        return http.send("DELETE", "/api/v1/customers/" + customer + "/personal-data", PRIVACY);
    }

    @Test
    void anErasedCustomersDecisionsStayCountedAndVerifiedButHoldNoPersonalData() {
        String customer = "ERASE-" + UUID.randomUUID().toString().substring(0, 8);
        String other = "KEEP-" + UUID.randomUUID().toString().substring(0, 8);
        String ordered =
                decide("EX-01", customer, "SO-ERASE-1").get("decisionId").asText();
        String assessed = decide("EX-02", customer, null).get("decisionId").asText();
        String kept = decide("EX-01", other, null).get("decisionId").asText();

        // stored: a subject reference and a sealed request; the customer id appears nowhere in the rows
        List<Map<String, Object>> rows = jdbc.sql(
                        "SELECT customer_id, request_json, credit_line_json FROM decision_log "
                                + "WHERE decision_id IN (?, ?)")
                .params(UUID.fromString(ordered), UUID.fromString(assessed))
                .query()
                .listOfRows();
        assertThat(rows).hasSize(2);
        String ref = (String) rows.get(0).get("customer_id");
        assertThat(ref).matches("~[0-9a-f]{32}");
        for (Map<String, Object> row : rows) {
            assertThat(row.get("customer_id")).isEqualTo(ref);
            assertThat((String) row.get("request_json"))
                    .startsWith("sealed:v1:")
                    .doesNotContain(customer);
        }
        // the auditor reads them in clear and finds them by the customer id
        JsonNode found = http.get("/api/v1/credit-decisions?customerId=" + customer, AUDITOR)
                .json();
        assertThat(found.get("totalItems").asLong()).isEqualTo(2);
        JsonNode read = http.get("/api/v1/credit-decisions/" + ordered, AUDITOR).json();
        assertThat(read.get("customerId").asText()).isEqualTo(customer);
        assertThat(read.get("personalData").asText()).isEqualTo("SEALED");
        assertThat(read.get("request").get("customer").get("id").asText()).isEqualTo(customer);
        String result = read.get("result").toString();
        long everything = http.get("/api/v1/credit-decisions?size=1", AUDITOR)
                .json()
                .get("totalItems")
                .asLong();

        Http.Response erased = erase(customer);
        assertThat(erased.status()).as(erased.body()).isEqualTo(200);
        JsonNode erasure = erased.json();
        assertThat(erasure.get("customerId").asText()).isEqualTo(customer);
        assertThat(erasure.get("decisionsErased").asLong()).isEqualTo(2);
        assertThat(erasure.get("decisionsKeptInClear").asLong()).isZero();
        assertThat(erasure.get("erasedBy").asText()).isEqualTo(PRIVACY);
        assertThat(erasure.toString()).doesNotContain(ref);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM personal_data_key WHERE subject_ref = ?")
                        .param(ref)
                        .query(Long.class)
                        .single())
                .isZero();

        // still counted and verified, read without personal data, not found by the customer id, not replayable
        assertThat(http.get("/api/v1/credit-decisions?size=1", AUDITOR)
                        .json()
                        .get("totalItems")
                        .asLong())
                .isEqualTo(everything);
        JsonNode after =
                http.get("/api/v1/credit-decisions/" + ordered, AUDITOR).json();
        assertThat(after.get("personalData").asText()).isEqualTo("ERASED");
        assertThat(after.get("customerId").isNull()).isTrue();
        assertThat(after.get("request").isNull()).isTrue();
        assertThat(after.get("creditLine").isNull()).isTrue();
        assertThat(after.get("result").toString()).isEqualTo(result);
        assertThat(after.get("hash").asText()).isEqualTo(read.get("hash").asText());
        assertThat(http.get("/api/v1/credit-decisions?customerId=" + customer, AUDITOR)
                        .json()
                        .get("totalItems")
                        .asLong())
                .isZero();
        Http.Response export = http.get("/api/v1/credit-decisions/export?customerId=" + customer, AUDITOR);
        assertThat(export.body()).doesNotContain(ordered).doesNotContain(customer);
        Http.Response replay = http.postJson("/api/v1/credit-decisions/" + assessed + "/replay", AUDITOR, "");
        assertThat(replay.status()).as(replay.body()).isEqualTo(410);
        assertThat(replay.json().get("type").asText()).isEqualTo("/problems/personal-data-erased");
        assertThat(replay.json().get("detail").asText()).contains("erased").doesNotContain(customer);
        assertThat(http.postJson("/api/v1/credit-decisions/" + kept + "/replay", AUDITOR, "")
                        .json()
                        .get("identical")
                        .asBoolean())
                .isTrue();
        // a backtest over the window counts the erased decisions apart and replays the rest
        String version = http.get("/api/v1/rulesets/active", "demo-analyst")
                .json()
                .get("version")
                .asText();
        JsonNode report = backtest(version, read.get("decidedAt").asText());
        assertThat(report.get("erased").asLong()).as(report.toString()).isGreaterThanOrEqualTo(2);
        assertThat(report.get("total").asLong()).as(report.toString()).isGreaterThanOrEqualTo(1);
        JsonNode verified = http.get("/api/v1/audit/verify", AUDITOR).json();
        assertThat(verified.get("valid").asBoolean()).as(verified.toString()).isTrue();

        // the erasure itself is in its own chain, naming the reference, never the customer
        JsonNode erasures = http.get("/api/v1/audit/erasures", AUDITOR).json();
        JsonNode logged = null;
        for (JsonNode e : erasures.get("items")) {
            if (e.get("erasureId").asText().equals(erasure.get("erasureId").asText())) {
                logged = e;
            }
        }
        assertThat(logged).as(erasures.toString()).isNotNull();
        assertThat(logged.get("subjectRef").asText()).isEqualTo(ref);
        assertThat(logged.get("erasedBy").asText()).isEqualTo(PRIVACY);
        assertThat(logged.get("reached").get("decisionsErased").asLong()).isEqualTo(2);
        assertThat(logged.toString()).doesNotContain(customer);
        JsonNode chain = http.get("/api/v1/audit/erasures/verify", AUDITOR).json();
        assertThat(chain.get("valid").asBoolean()).as(chain.toString()).isTrue();

        // the auditors' searches for the customer are in the access log under the reference, never the customer id
        String looked = http.get("/api/v1/audit/access-log?action=SEARCH&size=200", AUDITOR)
                .body();
        assertThat(looked)
                .contains("customerId=" + java.net.URLEncoder.encode(ref, java.nio.charset.StandardCharsets.UTF_8))
                .doesNotContain(customer);

        // a second request finds nothing left to erase; a returning customer starts afresh under a new reference
        Http.Response again = erase(customer);
        assertThat(again.status()).as(again.body()).isEqualTo(404);
        String returning =
                decide("EX-01", customer, "SO-ERASE-2").get("decisionId").asText();
        JsonNode back = http.get("/api/v1/credit-decisions?customerId=" + customer, AUDITOR)
                .json();
        assertThat(back.get("totalItems").asLong()).isEqualTo(1);
        assertThat(back.get("items").get(0).get("decisionId").asText()).isEqualTo(returning);
    }

    /** Runs a backtest of {@code version} from {@code from} to a minute from now and waits for its report. */
    JsonNode backtest(String version, String from) {
        String to = java.time.Instant.now().plusSeconds(60).toString();
        Http.Response started = http.send(
                "POST", "/api/v1/rulesets/" + version + "/backtests?from=" + from + "&to=" + to, "demo-analyst");
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String location = started.header("Location");
        for (int i = 0; i < 600; i++) {
            JsonNode status = http.get(location, AUDITOR).json();
            if (status.path("report").isObject()) {
                return status.get("report");
            }
            assertThat(status.at("/backtest/status").asText()).isIn("RUNNING", "QUEUED", "DONE");
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("the backtest did not finish");
    }

    @Test
    void anErasureWaitsForTheCustomersOpenReferralAndThenReachesTheCase() {
        String customer = "REFERRED-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode decision = decide("EX-14", customer, "SO-ERASE-REF");
        assertThat(decision.get("outcome").asText()).isEqualTo("REFERRED");
        Http.Response refused = erase(customer);
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.json().get("detail").asText()).contains("open referral");
        // nothing was erased: the decision still reads in clear
        assertThat(http.get(
                                "/api/v1/credit-decisions/"
                                        + decision.get("decisionId").asText(),
                                AUDITOR)
                        .json()
                        .get("customerId")
                        .asText())
                .isEqualTo(customer);

        String referral = http.get("/api/v1/referrals?customerId=" + customer, AUDITOR)
                .json()
                .get("items")
                .get(0)
                .get("id")
                .asText();
        Http.Response declined = http.postJson(
                "/api/v1/referrals/" + referral + "/decline", "demo-credit-manager", "{\"reasons\": [\"THIN_FILE\"]}");
        assertThat(declined.status()).as(declined.body()).isEqualTo(200);

        Http.Response erased = erase(customer);
        assertThat(erased.status()).as(erased.body()).isEqualTo(200);
        assertThat(erased.json().get("reached").toString()).contains("referral cases");
        assertThat(http.get("/api/v1/referrals?customerId=" + customer, AUDITOR)
                        .json()
                        .get("items"))
                .isEmpty();
        String stored = jdbc.sql("SELECT customer_id FROM referral_case WHERE id = ?")
                .param(UUID.fromString(referral))
                .query(String.class)
                .single();
        assertThat(stored).matches("~[0-9a-f]{32}");
        JsonNode referrals = http.get("/api/v1/audit/referrals/verify", AUDITOR).json();
        assertThat(referrals.get("valid").asBoolean()).as(referrals.toString()).isTrue();
    }

    @Test
    void aKeyDeletedBehindTheServicesBackIsReportedByTheErasuresVerify() {
        String customer = "VANISH-" + UUID.randomUUID().toString().substring(0, 8);
        String decision = decide("EX-01", customer, null).get("decisionId").asText();
        String ref = jdbc.sql("SELECT customer_id FROM decision_log WHERE decision_id = ?")
                .param(UUID.fromString(decision))
                .query(String.class)
                .single();
        Map<String, Object> key = jdbc.sql("SELECT * FROM personal_data_key WHERE subject_ref = ?")
                .param(ref)
                .query()
                .singleRow();
        jdbc.sql("DELETE FROM personal_data_key WHERE subject_ref = ?")
                .param(ref)
                .update();
        try {
            JsonNode report = http.get("/api/v1/audit/erasures/verify", AUDITOR).json();
            assertThat(report.get("valid").asBoolean()).as(report.toString()).isFalse();
            assertThat(report.get("keysDestroyedWithoutErasure").toString()).contains(ref);
            assertThat(report.get("problem").asText()).contains("no erasure recorded");
        } finally {
            jdbc.sql("INSERT INTO personal_data_key (lookup, subject_ref, wrapped_key, created_at) VALUES (?, ?, ?, ?)")
                    .params(key.get("lookup"), key.get("subject_ref"), key.get("wrapped_key"), key.get("created_at"))
                    .update();
        }
        assertThat(http.get("/api/v1/audit/erasures/verify", AUDITOR)
                        .json()
                        .get("valid")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void badErasureRequestsAreProblemsNamingTheCustomerId() {
        for (String bad : List.of("a%20b", "x".repeat(65), "%3Cscript%3E", "%22%27")) {
            Http.Response response = erase(bad);
            assertThat(response.status()).as(bad + ": " + response.body()).isEqualTo(400);
            assertThat(response.body()).contains("customerId");
        }
        Http.Response unknown =
                erase("NEVER-SEEN-" + UUID.randomUUID().toString().substring(0, 8));
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
        for (String key : List.of(CHECKOUT, AUDITOR, "demo-analyst", "demo-operator", "demo-cfo", "demo-buyer")) {
            assertThat(http.send("DELETE", "/api/v1/customers/EX-01/personal-data", key)
                            .status())
                    .as(key)
                    .isEqualTo(403);
        }
        assertThat(http.get("/api/v1/audit/erasures?size=0", AUDITOR).status()).isEqualTo(400);
        assertThat(http.get("/api/v1/audit/erasures?page=-1", AUDITOR).status()).isEqualTo(400);
    }
}
