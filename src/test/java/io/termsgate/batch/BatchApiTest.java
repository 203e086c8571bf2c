package io.termsgate.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import io.termsgate.support.ServiceTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Batch decisions over real HTTP: the policy's 41 worked examples among bad lines come out exactly, each line's
 * decision is in the log marked with its batch and replays identically, a retried upload is the same batch, and
 * hostile uploads are refused or answered line by line.
 */
@ServiceTest
class BatchApiTest {

    static final String BATCHES = "/api/v1/batches";
    static final String BATCH = "demo-batch";
    static final String AUDITOR = "demo-auditor";

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    /** Each worked example as a request of a buyer of its own (no other test's holds on its line), by line. */
    static List<JsonNode> examples(String prefix) {
        List<JsonNode> requests = new ArrayList<>();
        for (PolicyExamples.Example example : PolicyExamples.all()) {
            ObjectNode request = example.request().deepCopy();
            ((ObjectNode) request.get("customer")).put("id", prefix + example.customerId());
            requests.add(request);
        }
        return requests;
    }

    private JsonNode done(Http.Response accepted) {
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String location = accepted.header("Location");
        assertThat(location).isEqualTo(BATCHES + "/" + accepted.json().get("id").asText());
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() ->
                        http.get(location, BATCH).json().get("status").asText().equals("DONE"));
        return http.get(location, BATCH).json();
    }

    static List<JsonNode> lines(String body) {
        List<JsonNode> lines = new ArrayList<>();
        body.lines().forEach(line -> {
            try {
                lines.add(PolicyExamples.JSON.readTree(line));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return lines;
    }

    @Test
    void theWorkedExamplesAmongBadLinesComeOutExactlyInOrderAndEachBadLineGetsItsProblem() {
        List<JsonNode> examples = examples("BA-");
        List<PolicyExamples.Example> expected = PolicyExamples.all();
        StringBuilder file = new StringBuilder();
        // line numbers of the file: the examples on 1..10, then the bad lines, a blank line, the rest of the examples
        for (int i = 0; i < 10; i++) {
            file.append(examples.get(i)).append('\n');
        }
        file.append("{\"customer\": {\"id\": \"X\"\n"); // 11: no JSON
        ObjectNode badScore = examples.get(0).deepCopy();
        ((ObjectNode) badScore.get("customer")).put("creditScore", 170);
        file.append(badScore).append('\n'); // 12: a field out of range
        ObjectNode order = examples.get(0).deepCopy();
        ((ObjectNode) order.get("order")).put("id", "SO-1");
        file.append(order).append('\n'); // 13: an order: a batch holds no credit
        file.append("{\"note\":\"").append("x".repeat(20_000)).append("\"}\n"); // 14: a line too long to read
        file.append("[1,2]\r\n"); // 15: no object
        file.append("   \n"); // 16: blank, skipped
        for (int i = 10; i < examples.size(); i++) {
            file.append(examples.get(i)).append('\n'); // 17..47
        }

        JsonNode batch = done(http.post(BATCHES, BATCH, "application/x-ndjson", file.toString()));
        assertThat(batch.get("lines").asLong()).isEqualTo(46);
        assertThat(batch.get("badLines").asLong()).isEqualTo(5);
        assertThat(batch.get("done").asLong()).isEqualTo(46);
        String id = batch.get("id").asText();

        Http.Response results = http.get(BATCHES + "/" + id + "/results", BATCH);
        assertThat(results.status()).as(results.body()).isEqualTo(200);
        assertThat(results.header("Content-Type")).startsWith("application/x-ndjson");
        List<JsonNode> lines = lines(results.body());
        assertThat(lines)
                .extracting(l -> l.get("line").asLong())
                .containsExactly(
                        1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 17L, 18L, 19L, 20L, 21L, 22L,
                        23L, 24L, 25L, 26L, 27L, 28L, 29L, 30L, 31L, 32L, 33L, 34L, 35L, 36L, 37L, 38L, 39L, 40L, 41L,
                        42L, 43L, 44L, 45L, 46L, 47L);
        int example = 0;
        for (JsonNode line : lines) {
            long number = line.get("line").asLong();
            if (number >= 11 && number <= 15) {
                assertThat(line.has("decisionId")).isFalse();
                assertThat(line.at("/problem/type").asText()).isEqualTo("/problems/invalid-request");
                assertThat(line.at("/problem/status").asInt()).isEqualTo(400);
                continue;
            }
            PolicyExamples.Example want = expected.get(example++);
            assertThat(line.get("decisionId").asText()).as(want.toString()).hasSize(36);
            assertThat(line.has("trace")).isFalse();
            want.expected().fields().forEachRemaining(field -> {
                JsonNode actual = line.get(field.getKey());
                if (field.getValue().isNumber()) {
                    assertThat(actual.asText())
                            .as(want + " " + field.getKey())
                            .isEqualTo(new BigDecimal(field.getValue().asText())
                                    .stripTrailingZeros()
                                    .toPlainString());
                } else {
                    assertThat(actual).as(want + " " + field.getKey()).isEqualTo(field.getValue());
                }
            });
        }
        assertThat(example).isEqualTo(41);
        assertThat(lines.get(10).at("/problem/errors/0/message").asText()).contains("JSON");
        assertThat(lines.get(11).at("/problem/errors/0/field").asText()).isEqualTo("customer.creditScore");
        assertThat(lines.get(12).at("/problem/errors/0/field").asText()).isEqualTo("order.id");
        assertThat(lines.get(13).at("/problem/errors/0/message").asText()).contains("longer than 16384 bytes");
        assertThat(lines.get(14).at("/problem/errors/0/message").asText()).contains("JSON object");

        // each decision is in the log like any other, marked with its batch and line, and replays identically
        JsonNode first = lines.get(0);
        JsonNode record = http.get(
                        "/api/v1/credit-decisions/" + first.get("decisionId").asText(), AUDITOR)
                .json();
        assertThat(record.get("client").asText()).isEqualTo(BATCH);
        assertThat(record.get("idempotencyKey").asText()).isEqualTo("batch:" + id + ":1");
        assertThat(record.at("/result/outcome")).isEqualTo(first.get("outcome"));
        JsonNode replay = http.send(
                        "POST",
                        "/api/v1/credit-decisions/" + first.get("decisionId").asText() + "/replay",
                        AUDITOR)
                .json();
        assertThat(replay.get("identical").asBoolean()).as(replay.toString()).isTrue();
        // a referred line is an assessment: no referral case waits for a person
        PolicyExamples.Example referred = expected.stream()
                .filter(e -> e.expected().path("outcome").asText().equals("REFERRED"))
                .findFirst()
                .orElseThrow();
        Http.Response cases =
                http.get("/api/v1/referrals?customerId=BA-" + referred.customerId(), "demo-credit-analyst");
        assertThat(cases.status()).as(cases.body()).isEqualTo(200);
        assertThat(cases.json().get("total").asLong()).isZero();
    }

    @Test
    void aCsvBatchAnswersCsvWhenAskedAndJsonLinesOtherwise() {
        List<JsonNode> examples = examples("BC-");
        String header = "customer.id,customer.country,customer.industry,customer.yearsInBusiness,"
                + "customer.annualRevenue,customer.creditScore,customer.paymentHistory.invoicesPaid,"
                + "customer.paymentHistory.avgDaysBeyondTerms,customer.paymentHistory.maxDaysPastDue,"
                + "customer.outstandingBalance,customer.flags,order.amount,order.currency,order.requestedTermDays";
        StringBuilder file = new StringBuilder(header).append("\r\n");
        for (int i = 0; i < 3; i++) {
            JsonNode r = examples.get(i);
            JsonNode c = r.get("customer");
            file.append(String.join(
                            ",",
                            c.get("id").asText(),
                            c.get("country").asText(),
                            c.get("industry").asText(),
                            c.get("yearsInBusiness").asText(),
                            c.get("annualRevenue").asText(),
                            c.get("creditScore").asText(),
                            c.at("/paymentHistory/invoicesPaid").asText(),
                            c.at("/paymentHistory/avgDaysBeyondTerms").asText(),
                            c.at("/paymentHistory/maxDaysPastDue").asText(),
                            c.get("outstandingBalance").asText(),
                            "none",
                            r.at("/order/amount").asText(),
                            r.at("/order/currency").asText(),
                            r.at("/order/requestedTermDays").asText()))
                    .append("\r\n");
        }
        file.append("BC-X,DE,MANUFACTURING,7,-5,70,24,4,12,50000,none,25000,EUR,60\r\n"); // line 5: a bad revenue

        JsonNode batch = done(http.post(BATCHES, BATCH, "text/csv", file.toString()));
        String results = BATCHES + "/" + batch.get("id").asText() + "/results";

        Http.Response csv = http.get(results, BATCH, "Accept", "text/csv");
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        List<String> rows = csv.body().lines().toList();
        assertThat(rows.get(0))
                .isEqualTo("line,decisionId,outcome,approvalRoute,riskScore,riskGrade,creditLimit,availableCredit,"
                        + "termDays,currency,reasons,rulesetVersion,decidedAt,problem");
        assertThat(rows).hasSize(5);
        JsonNode want = PolicyExamples.all().get(0).expected();
        assertThat(rows.get(1))
                .startsWith("2,")
                .contains("," + want.get("outcome").asText() + ","
                        + want.get("approvalRoute").asText() + ","
                        + want.get("riskScore").asText() + ",");
        assertThat(rows.get(4)).startsWith("5,,").contains("customer.annualRevenue must be an amount");

        List<JsonNode> lines = lines(http.get(results, BATCH).body());
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0).get("outcome")).isEqualTo(want.get("outcome"));
    }

    @Test
    void aRetriedUploadWithItsIdempotencyKeyIsTheSameBatchAndAnotherFileWithItIsRefused() {
        String file = examples("BI-").get(0) + "\n";
        String key = "batch-" + UUID.randomUUID();
        Http.Response first = http.post(BATCHES, BATCH, "application/x-ndjson", file, "Idempotency-Key", key);
        JsonNode batch = done(first);

        Http.Response again = http.post(BATCHES, BATCH, "application/x-ndjson", file, "Idempotency-Key", key);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().get("id")).isEqualTo(batch.get("id"));
        assertThat(again.header("Location"))
                .isEqualTo(BATCHES + "/" + batch.get("id").asText());

        Http.Response other = http.post(BATCHES, BATCH, "application/x-ndjson", file + file, "Idempotency-Key", key);
        assertThat(other.status()).as(other.body()).isEqualTo(422);
        assertThat(other.json().get("type").asText()).isEqualTo("/problems/idempotency-key-reused");
        assertThat(other.json().get("originalBatchId")).isEqualTo(batch.get("id"));
        // one line, one decision in the log
        assertThat(http.get("/api/v1/credit-decisions?customerId=BI-EX-01", AUDITOR)
                        .json()
                        .get("totalItems")
                        .asLong())
                .isEqualTo(1);
    }

    @Test
    void hostileRequestsAreProblemsNeverErrors() {
        Http.Response json =
                http.postJson(BATCHES, BATCH, examples("BH-").get(0).toString());
        assertThat(json.status()).isEqualTo(415);
        assertThat(json.header("Content-Type")).startsWith("application/problem+json");

        Http.Response latin1 = http.post(BATCHES, BATCH, "text/csv;charset=ISO-8859-1", "customer.id\r\nX\r\n");
        assertThat(latin1.status()).isEqualTo(415);

        Http.Response badKey =
                http.post(BATCHES, BATCH, "application/x-ndjson", "{}\n", "Idempotency-Key", "x".repeat(300));
        assertThat(badKey.status()).isEqualTo(400);

        Http.Response unknown = http.get(BATCHES + "/" + UUID.randomUUID(), BATCH);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
        assertThat(http.get(BATCHES + "/" + UUID.randomUUID() + "/results", BATCH)
                        .status())
                .isEqualTo(404);
        Http.Response notAnId = http.get(BATCHES + "/not-an-id", BATCH);
        assertThat(notAnId.status()).isEqualTo(400);
        assertThat(notAnId.json().at("/errors/0/field").asText()).isEqualTo("batchId");

        // a file that cannot be read to its end (a header naming no field of a request) is refused whole
        Http.Response badHeader = http.post(BATCHES, BATCH, "text/csv", "customer.id,customer.shoeSize\r\nX,44\r\n");
        assertThat(badHeader.status()).as(badHeader.body()).isEqualTo(422);
        assertThat(badHeader.json().get("type").asText()).isEqualTo("/problems/batch-rejected");
        assertThat(badHeader.json().at("/errors/0/field").asText()).isEqualTo("customer.shoeSize");
        Http.Response longCell =
                http.post(BATCHES, BATCH, "text/csv", "customer.id\r\nX\r\n" + "Y".repeat(5_000) + "\r\nZ\r\n");
        assertThat(longCell.status()).as(longCell.body()).isEqualTo(422);
        assertThat(longCell.json().get("line").asLong()).isEqualTo(3);

        JsonNode batch = done(http.post(BATCHES, BATCH, "text/csv", "customer.id\r\nX\r\n"));
        List<JsonNode> lines = lines(http.get(BATCHES + "/" + batch.get("id").asText() + "/results", BATCH)
                .body());
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).get("line").asLong()).isEqualTo(2);
        assertThat(lines.get(0).at("/problem/type").asText()).isEqualTo("/problems/invalid-request");

        // another client's batch is as unknown as none
        Http.Response theirs = http.get(BATCHES + "/" + batch.get("id").asText(), "test-second-batch");
        assertThat(theirs.status()).isEqualTo(404);

        // an empty file is a batch of nothing, done at once
        JsonNode empty = done(http.post(BATCHES, BATCH, "application/x-ndjson", ""));
        assertThat(empty.get("lines").asLong()).isZero();
    }
}
