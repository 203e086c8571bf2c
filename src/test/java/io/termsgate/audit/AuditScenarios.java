package io.termsgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.termsgate.engine.RulesetSource;
import io.termsgate.ruleset.RulesetFiles;
import io.termsgate.ruleset.StoredRulesets;
import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import io.termsgate.support.RulesetCopy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The audit trail as auditors and checkout use it, over real HTTP, against a real database. Run once against H2
 * and once against PostgreSQL by the subclasses.
 */
abstract class AuditScenarios {

    static final String DECISIONS = "/api/v1/credit-decisions";

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    StoredRulesets rulesets;

    @Autowired
    JdbcClient jdbc;

    Http http;

    @BeforeEach
    void client() {
        rulesets = new StoredRulesets(context);
        http = new Http(port);
    }

    /** A worked example's request with a customer id of this test's own, so searches see only this test's data. */
    static String request(String example, String customerId) {
        var request = PolicyExamples.byCustomerId(example).request().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) request.get("customer")).put("id", customerId);
        return request.toString();
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    Http.Response decide(String body, String... headers) {
        return http.postJson(DECISIONS, "demo-checkout", body, headers);
    }

    @Test
    void everyWorkedExampleIsLoggedWholeAndReplaysIdentical() {
        for (PolicyExamples.Example example : PolicyExamples.all()) {
            Http.Response decided = decide(example.request().toString());
            assertThat(decided.status()).as(example.name()).isEqualTo(201);
            String id = decided.json().get("decisionId").asText();

            Http.Response record = http.get(DECISIONS + "/" + id, "demo-auditor");
            assertThat(record.status()).isEqualTo(200);
            JsonNode logged = record.json();
            assertThat(logged.get("decisionId").asText()).isEqualTo(id);
            assertThat(logged.get("customerId").asText()).isEqualTo(example.customerId());
            assertThat(logged.get("client").asText()).isEqualTo("demo-checkout");
            assertThat(logged.get("rulesetVersion")).isEqualTo(decided.json().get("rulesetVersion"));
            assertThat(logged.get("decidedAt")).isEqualTo(decided.json().get("decidedAt"));
            assertThat(logged.at("/engineVersions/drools").asText()).startsWith("10.");
            assertThat(logged.at("/request/order/amount").decimalValue())
                    .isEqualByComparingTo(example.request().at("/order/amount").decimalValue());
            assertThat(logged.get("trace")).isEqualTo(decided.json().get("trace"));
            for (String field : CanonicalJson.RESULT_FIELDS) {
                assertThat(logged.at("/result/" + field))
                        .as(field)
                        .isEqualTo(decided.json().get(field));
            }
            assertThat(logged.get("hash").asText()).matches("[0-9a-f]{64}");

            Http.Response replay = http.send("POST", DECISIONS + "/" + id + "/replay", "demo-auditor");
            assertThat(replay.status()).isEqualTo(200);
            assertThat(replay.json().get("identical").asBoolean())
                    .as(example.name() + ": " + replay.body())
                    .isTrue();
            assertThat(replay.json().get("traceIdentical").asBoolean()).isTrue();
            assertThat(replay.json().get("differences")).isEmpty();
        }
    }

    @Test
    void aWhatIfReplayUnderAnEditedRulesetShowsTheDifferences(@org.junit.jupiter.api.io.TempDir Path dir) {
        RulesetSource edited = RulesetFiles.readFolder(RulesetCopy.of(dir)
                .replace(
                        "decision-tables/credit-terms.dmn",
                        "<outputEntry id=\"_LimitCap_dt_r2_o1\"><text>400000</text>",
                        "<outputEntry id=\"_LimitCap_dt_r2_o1\"><text>300000</text>")
                .root());
        rulesets.store(edited, "test", "grade B cap lowered to 300,000", Instant.now());
        String id = decide(request("EX-01", unique("WHATIF")))
                .json()
                .get("decisionId")
                .asText();

        Http.Response replay =
                http.send("POST", DECISIONS + "/" + id + "/replay?rulesetVersion=" + edited.version(), "demo-auditor");

        assertThat(replay.status()).as(replay.body()).isEqualTo(200);
        JsonNode body = replay.json();
        assertThat(body.get("identical").asBoolean()).isFalse();
        assertThat(body.get("replayedRulesetVersion").asText()).isEqualTo(edited.version());
        assertThat(body.get("differences")).hasSize(2);
        assertThat(body.at("/differences/0/field").asText()).isEqualTo("creditLimit");
        assertThat(body.at("/differences/0/original").asText()).isEqualTo("400000");
        assertThat(body.at("/differences/0/replayed").asText()).isEqualTo("300000");
        assertThat(body.at("/differences/1/field").asText()).isEqualTo("availableCredit");
        assertThat(body.at("/differences/1/replayed").asText()).isEqualTo("250000");
        assertThat(body.at("/replayed/outcome").asText()).isEqualTo("APPROVED");
    }

    @Test
    void replayingUnderAVersionNeverStoredIs404() {
        String id = decide(request("EX-01", unique("NOVER")))
                .json()
                .get("decisionId")
                .asText();
        Http.Response replay = http.send(
                "POST", DECISIONS + "/" + id + "/replay?rulesetVersion=sha256:" + "0".repeat(64), "demo-auditor");

        assertThat(replay.status()).isEqualTo(404);
        assertThat(replay.json().get("detail").asText()).contains("No stored ruleset version");
    }

    @Test
    void theRulesetThatDecidedIsStoredWithAllItsFilesAndStoringItAgainWritesNothing() {
        String version = decide(request("EX-01", unique("RS")))
                .json()
                .get("rulesetVersion")
                .asText();
        RulesetSource onDisk = RulesetFiles.readFolder(Path.of("."));

        assertThat(version).isEqualTo(onDisk.version());
        assertThat(rulesets.load(version)).hasValueSatisfying(stored -> {
            assertThat(stored.files().keySet()).isEqualTo(onDisk.files().keySet());
            assertThat(stored.version()).isEqualTo(version);
        });
        int files = jdbc.sql("SELECT COUNT(*) FROM ruleset_file")
                .query(Integer.class)
                .single();
        assertThat(rulesets.store(onDisk, "test", "again", Instant.now())).isFalse();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM ruleset_file")
                        .query(Integer.class)
                        .single())
                .isEqualTo(files);
    }

    @Test
    void aRetryWithTheSameKeyAndBodyGetsTheOriginalDecisionAndLogsNothing() {
        String customer = unique("IDEM");
        String key = UUID.randomUUID().toString();
        Http.Response first = decide(request("EX-01", customer), "Idempotency-Key", key);
        Http.Response retry = decide(request("EX-01", customer), "Idempotency-Key", key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json().get("decisionId")).isEqualTo(first.json().get("decisionId"));
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
        assertThat(loggedFor(customer)).isEqualTo(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIs422() {
        String customer = unique("IDEM");
        String key = UUID.randomUUID().toString();
        Http.Response first = decide(request("EX-01", customer), "Idempotency-Key", key);
        Http.Response other = decide(request("EX-02", customer), "Idempotency-Key", key);

        assertThat(other.status()).isEqualTo(422);
        assertThat(other.header("Content-Type")).startsWith("application/problem+json");
        assertThat(other.json().get("type").asText()).isEqualTo("/problems/idempotency-key-reused");
        assertThat(other.json().get("originalDecisionId"))
                .isEqualTo(first.json().get("decisionId"));
        assertThat(loggedFor(customer)).isEqualTo(1);
    }

    @Test
    void concurrentRetriesWithOneKeyProduceOneDecision() throws Exception {
        String customer = unique("RACE");
        String key = UUID.randomUUID().toString();
        String body = request("EX-01", customer);
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Http.Response>> answers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            answers.add(pool.submit(() -> {
                start.await();
                return decide(body, "Idempotency-Key", key);
            }));
        }
        start.countDown();
        Set<String> ids = new HashSet<>();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Http.Response> answer : answers) {
            Http.Response response = answer.get();
            statuses.add(response.status());
            ids.add(response.json().get("decisionId").asText());
        }
        pool.shutdown();

        assertThat(ids).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(threads - 1);
        assertThat(loggedFor(customer)).isEqualTo(1);
    }

    @Test
    void aMalformedIdempotencyKeyIs400() {
        Http.Response response = decide(request("EX-01", unique("K")), "Idempotency-Key", "x".repeat(300));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().at("/errors/0/field").asText()).isEqualTo("Idempotency-Key");
    }

    @Test
    void searchFiltersByCustomerPeriodAndOutcomeNewestFirst() {
        String customer = unique("SEARCH");
        Instant before = Instant.now().minusSeconds(1);
        List<String> ids = new ArrayList<>();
        for (String example : List.of("EX-01", "EX-04", "EX-10", "EX-02")) {
            ids.add(decide(request(example, customer)).json().get("decisionId").asText());
        }

        JsonNode all =
                http.get(DECISIONS + "?customerId=" + customer, "demo-auditor").json();
        assertThat(all.get("totalItems").asLong()).isEqualTo(4);
        List<String> newestFirst = new ArrayList<>();
        all.get("items").forEach(i -> newestFirst.add(i.get("decisionId").asText()));
        assertThat(newestFirst).containsExactly(ids.get(3), ids.get(2), ids.get(1), ids.get(0));

        JsonNode approved = http.get(DECISIONS + "?customerId=" + customer + "&outcome=APPROVED", "demo-auditor")
                .json();
        assertThat(approved.get("totalItems").asLong()).isEqualTo(2);
        assertThat(approved.at("/items/0/result/outcome").asText()).isEqualTo("APPROVED");

        JsonNode page = http.get(DECISIONS + "?customerId=" + customer + "&size=3&page=1", "demo-auditor")
                .json();
        assertThat(page.get("items")).hasSize(1);
        assertThat(page.get("totalPages").asLong()).isEqualTo(2);

        JsonNode window = http.get(
                        DECISIONS + "?customerId=" + customer + "&from=" + before + "&to="
                                + Instant.now().plusSeconds(5),
                        "demo-auditor")
                .json();
        assertThat(window.get("totalItems").asLong()).isEqualTo(4);
        JsonNode past = http.get(DECISIONS + "?customerId=" + customer + "&to=" + before, "demo-auditor")
                .json();
        assertThat(past.get("totalItems").asLong()).isZero();
    }

    @Test
    void badSearchParametersAreNamed() {
        Http.Response response = http.get(DECISIONS + "?from=yesterday&outcome=MAYBE&size=0", "demo-auditor");

        assertThat(response.status()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        response.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields).containsExactlyInAnyOrder("from", "outcome", "size");
    }

    @Test
    void aSearchExportsAsCsv() {
        String customer = unique("CSV");
        decide(request("EX-01", customer));
        decide(request("EX-04", customer));

        Http.Response csv = http.get(DECISIONS + "/export?customerId=" + customer, "demo-auditor");

        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        String[] lines = csv.body().split("\r\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[3]).matches("#end,rows=2,last_hash=[0-9a-f]{64}");
        assertThat(lines[0]).startsWith("decision_id,decided_at,customer_id,outcome,");
        assertThat(lines[1]).contains("," + customer + ",DECLINED,NONE,70,B,0,0,0,EUR,KO_SANCTIONS,25000,60,");
        assertThat(lines[2]).contains("," + customer + ",APPROVED,AUTO,70,B,400000,350000,60,EUR,,25000,60,");
    }

    @Test
    void onlyAuditorsReadTheLog() {
        String id = decide(request("EX-01", unique("ROLE")))
                .json()
                .get("decisionId")
                .asText();

        assertThat(http.get(DECISIONS + "/" + id, "demo-checkout").status()).isEqualTo(403);
        assertThat(http.get(DECISIONS + "/" + id, null).status()).isEqualTo(401);
        assertThat(http.get("/api/v1/audit/verify", "demo-analyst").status()).isEqualTo(403);
        assertThat(http.send("POST", DECISIONS + "/" + id + "/replay", "demo-checkout")
                        .status())
                .isEqualTo(403);
        assertThat(http.get(DECISIONS + "/" + UUID.randomUUID(), "demo-auditor").status())
                .isEqualTo(404);
        assertThat(http.get(DECISIONS + "/not-a-uuid", "demo-auditor").status()).isEqualTo(400);
    }

    @Test
    void verifyFindsAnAlteredOrDeletedRecordAtItsPlace() {
        List<String> ids = new ArrayList<>();
        String customer = unique("CHAIN");
        for (int i = 0; i < 5; i++) {
            ids.add(decide(request("EX-01", customer)).json().get("decisionId").asText());
        }
        assertThat(verify().get("valid").asBoolean()).as(verify().toString()).isTrue();
        long altered = seqOf(ids.get(2));
        Map<String, Object> original = jdbc.sql("SELECT result_json, outcome FROM decision_log WHERE seq = ?")
                .param(altered)
                .query()
                .singleRow();
        try {
            // someone with SQL access turns a decline into an approval... or, here, lowers a limit
            jdbc.sql("UPDATE decision_log SET result_json = REPLACE(result_json, '400000', '900000') WHERE seq = ?")
                    .param(altered)
                    .update();
            JsonNode report = verify();
            assertThat(report.get("valid").asBoolean()).isFalse();
            assertThat(report.at("/firstBrokenLink/seq").asLong()).isEqualTo(altered);
            assertThat(report.at("/firstBrokenLink/decisionId").asText()).isEqualTo(ids.get(2));
            assertThat(report.at("/firstBrokenLink/reason").asText()).contains("altered");
        } finally {
            jdbc.sql("UPDATE decision_log SET result_json = ? WHERE seq = ?")
                    .params(original.get("result_json"), altered)
                    .update();
        }
        assertThat(verify().get("valid").asBoolean()).isTrue();

        long deleted = seqOf(ids.get(3));
        Map<String, Object> row = jdbc.sql("SELECT * FROM decision_log WHERE seq = ?")
                .param(deleted)
                .query()
                .singleRow();
        jdbc.sql("DELETE FROM decision_log WHERE seq = ?").param(deleted).update();
        try {
            JsonNode report = verify();
            assertThat(report.get("valid").asBoolean()).isFalse();
            assertThat(report.at("/firstBrokenLink/seq").asLong()).isEqualTo(deleted);
            assertThat(report.at("/firstBrokenLink/reason").asText()).contains("missing");
        } finally {
            jdbc.sql("INSERT INTO decision_log (" + String.join(", ", row.keySet()) + ") VALUES ("
                            + String.join(
                                    ", ",
                                    row.keySet().stream().map(k -> ":" + k).toList()) + ")")
                    .params(row)
                    .update();
        }
        JsonNode restored = verify();
        assertThat(restored.get("valid").asBoolean()).isTrue();
        assertThat(restored.get("checked").asLong()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void verifyChecksAWindow() {
        Instant from = Instant.now();
        String customer = unique("WINDOW");
        for (int i = 0; i < 3; i++) {
            decide(request("EX-01", customer));
        }
        JsonNode report = http.get(
                        "/api/v1/audit/verify?from=" + from + "&to="
                                + Instant.now().plusSeconds(5),
                        "demo-auditor")
                .json();

        assertThat(report.get("valid").asBoolean()).isTrue();
        assertThat(report.get("checked").asLong()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void everyLookAtTheLogIsInTheAccessLogChained() {
        Instant start = Instant.now().minusMillis(1);
        String customer = unique("WHO");
        String id = decide(request("EX-01", customer)).json().get("decisionId").asText();

        assertThat(http.get(DECISIONS + "/" + id, "demo-auditor").status()).isEqualTo(200);
        assertThat(http.get(DECISIONS + "?customerId=" + customer, "demo-auditor")
                        .status())
                .isEqualTo(200);
        assertThat(http.get(DECISIONS + "/export?customerId=" + customer + "&format=json", "demo-auditor")
                        .status())
                .isEqualTo(200);
        assertThat(http.send("POST", DECISIONS + "/" + id + "/replay", "demo-auditor")
                        .status())
                .isEqualTo(200);
        JsonNode verified = verify();
        // the access log names a customer searched for by their subject reference, never the customer id
        String ref = java.net.URLEncoder.encode(
                jdbc.sql("SELECT customer_id FROM decision_log WHERE decision_id = ?")
                        .param(UUID.fromString(id))
                        .query(String.class)
                        .single(),
                java.nio.charset.StandardCharsets.UTF_8);

        Http.Response looked = http.get("/api/v1/audit/access-log?actor=demo-auditor&from=" + start, "demo-auditor");
        assertThat(looked.status()).as(looked.body()).isEqualTo(200);
        List<String> mine = new ArrayList<>();
        for (JsonNode entry : looked.json().get("items")) {
            if (id.equals(entry.path("decisionId").asText())
                    || entry.get("parameters").asText().contains(ref)
                    || entry.get("action").asText().equals("VERIFY")) {
                mine.add(entry.get("action").asText() + " "
                        + entry.get("resultCount").asText());
            }
            assertThat(entry.get("actor").asText()).isEqualTo("demo-auditor");
            assertThat(entry.get("parameters").asText()).doesNotContain(customer);
            assertThat(entry.get("hash").asText()).matches("[0-9a-f]{64}");
        }
        // newest first; the verification counted what it checked
        assertThat(mine)
                .startsWith(
                        "VERIFY " + verified.get("checked").asLong(), "REPLAY 1", "EXPORT null", "SEARCH 1", "READ 1");
        // the verification walks the access log's own chain too
        assertThat(verified.at("/accessLog/valid").asBoolean())
                .as(verified.toString())
                .isTrue();
        assertThat(verified.at("/accessLog/checked").asLong()).isGreaterThanOrEqualTo(4);

        // who looked at who looked is recorded as well, and the log pages by keyset
        Http.Response first = http.get("/api/v1/audit/access-log?size=1", "demo-auditor");
        assertThat(first.json().at("/items/0/action").asText()).isEqualTo("ACCESS_LOG");
        String next = first.json().get("next").asText();
        Http.Response second = http.get("/api/v1/audit/access-log?size=1&after=" + next, "demo-auditor");
        assertThat(second.json().at("/items/0/seq").asLong())
                .isEqualTo(first.json().at("/items/0/seq").asLong() - 1);
    }

    @Test
    void anAlteredAccessLogEntryBreaksVerification() {
        http.get("/api/v1/audit/verify", "demo-auditor");
        long seq = jdbc.sql("SELECT MAX(seq) FROM access_log").query(Long.class).single();
        String parameters = jdbc.sql("SELECT parameters FROM access_log WHERE seq = ?")
                .param(seq)
                .query(String.class)
                .single();
        try {
            // someone hides what they looked at
            jdbc.sql("UPDATE access_log SET parameters = 'nothing' WHERE seq = ?")
                    .param(seq)
                    .update();
            JsonNode report = verify();
            assertThat(report.get("valid").asBoolean()).isFalse();
            assertThat(report.at("/accessLog/valid").asBoolean()).isFalse();
            assertThat(report.at("/accessLog/firstInvalidSeq").asLong()).isEqualTo(seq);
        } finally {
            jdbc.sql("UPDATE access_log SET parameters = ? WHERE seq = ?")
                    .params(parameters, seq)
                    .update();
        }
        assertThat(verify().get("valid").asBoolean()).isTrue();
    }

    @Test
    void aLookThatCannotBeRecordedIsRefused() {
        String id = decide(request("EX-01", unique("UNLOGGED")))
                .json()
                .get("decisionId")
                .asText();
        jdbc.sql("ALTER TABLE access_log RENAME TO access_log_away").update();
        try {
            Http.Response refused = http.get(DECISIONS + "/" + id, "demo-auditor");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.json().get("title").asText()).isEqualTo("Access log unavailable");
            assertThat(refused.body()).doesNotContain(customerIdOf(id));
        } finally {
            jdbc.sql("ALTER TABLE access_log_away RENAME TO access_log").update();
        }
        assertThat(http.get(DECISIONS + "/" + id, "demo-auditor").status()).isEqualTo(200);
    }

    private String customerIdOf(String decisionId) {
        return jdbc.sql("SELECT customer_id FROM decision_log WHERE decision_id = ?")
                .param(UUID.fromString(decisionId))
                .query(String.class)
                .single();
    }

    @Test
    void aSearchPagesByKeysetWithNext() {
        String customer = unique("KEYSET");
        Set<String> decided = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            decided.add(
                    decide(request("EX-01", customer)).json().get("decisionId").asText());
        }
        JsonNode first = http.get(DECISIONS + "?customerId=" + customer + "&size=2", "demo-auditor")
                .json();
        assertThat(first.get("items")).hasSize(2);
        assertThat(first.get("totalItems").asLong()).isEqualTo(3);
        JsonNode second = http.get(
                        DECISIONS + "?customerId=" + customer + "&size=2&after="
                                + first.get("next").asText(),
                        "demo-auditor")
                .json();
        assertThat(second.get("items")).hasSize(1);
        assertThat(second.get("next").isNull()).isTrue();
        assertThat(second.get("totalItems").isNull()).isTrue(); // no count on a keyset page
        Set<String> seen = new HashSet<>();
        for (JsonNode page : List.of(first, second)) {
            page.get("items").forEach(item -> seen.add(item.get("decisionId").asText()));
        }
        assertThat(seen).isEqualTo(decided);
        assertThat(first.at("/items/1/seq").asLong())
                .isGreaterThan(second.at("/items/0/seq").asLong());
    }

    @Test
    void hostilePagingAndDatesAre400ProblemsNamingTheField() {
        String bad = java.util.Base64.getUrlEncoder().encodeToString("d1:yesterday,1".getBytes());
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put(DECISIONS + "?after=" + bad, "after");
        cases.put(DECISIONS + "?after=%00%ff", "after");
        cases.put(DECISIONS + "?after=" + "A".repeat(5000), "after");
        cases.put(DECISIONS + "?size=1000000", "size");
        cases.put(DECISIONS + "?page=1&after=" + Cursor.ofDecision(Instant.now(), 5), "after");
        cases.put("/api/v1/audit/access-log?after=" + Cursor.ofDecision(Instant.now(), 5), "after");
        cases.put("/api/v1/audit/access-log?size=99999999999", "size");
        cases.put("/api/v1/audit/access-log?from=last-week", "from");
        cases.put("/api/v1/audit/access-log?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z", "to");
        cases.put("/api/v1/audit/access-log?action=DROP", "action");
        cases.put(DECISIONS + "/export?format=xml", "format");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Http.Response response = http.get(c.getKey(), "demo-auditor");
            assertThat(response.status()).as(c.getKey()).isEqualTo(400);
            assertThat(response.json().at("/errors/0/field").asText())
                    .as(c.getKey())
                    .isEqualTo(c.getValue());
        }
    }

    private JsonNode verify() {
        Http.Response response = http.get("/api/v1/audit/verify", "demo-auditor");
        assertThat(response.status()).isEqualTo(200);
        return response.json();
    }

    private long seqOf(String decisionId) {
        return jdbc.sql("SELECT seq FROM decision_log WHERE decision_id = ?")
                .param(UUID.fromString(decisionId))
                .query(Long.class)
                .single();
    }

    /** Decisions logged for a customer, as an auditor finds them (the log stores the customer sealed). */
    private int loggedFor(String customer) {
        return http.get("/api/v1/credit-decisions?customerId=" + customer, "demo-auditor")
                .json()
                .get("totalItems")
                .asInt();
    }
}
