package io.termsgate.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.termsgate.TermsgateApplication;
import io.termsgate.support.Http;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A batch survives its instance: the service is stopped while it decides a batch (its context closed, which interrupts
 * the worker mid-chunk), the crash window between a decision's commit to the log and its line's result is opened on
 * purpose, and a new instance on the same database finishes the batch: every line has exactly one decision in the
 * log, the one its result names, and the log's chain verifies.
 */
class BatchRestartTest {

    private final String database = "jdbc:h2:mem:batch-restart-" + UUID.randomUUID()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";

    /** Both instances hold the one master key, as instances of one deployment do: each reads the other's data keys. */
    private final String masterKey = io.termsgate.support.TestSigningKey.privacyMasterKey();

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(TermsgateApplication.class)
                .profiles("test")
                .properties("PORT=0")
                .run(
                        "--spring.datasource.url=" + database,
                        // small chunks, so the stop falls inside the batch; a lease long enough never to run out here
                        "--termsgate.batch.chunk-lines=4",
                        "--termsgate.batch.lease=1m",
                        "--termsgate.jobs.threads=2",
                        "--termsgate.privacy.master-key=" + masterKey);
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Test
    void aBatchStoppedMidWayResumesInANewInstanceAndNoLineIsDecidedTwice() throws SQLException {
        List<JsonNode> examples = BatchApiTest.examples("BR-");
        StringBuilder file = new StringBuilder();
        examples.forEach(e -> file.append(e).append('\n'));
        String id;
        try (ConfigurableApplicationContext first = start()) {
            Http http = new Http(port(first));
            Http.Response accepted =
                    http.post(BatchApiTest.BATCHES, BatchApiTest.BATCH, "application/x-ndjson", file.toString());
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
            id = accepted.json().get("id").asText();
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> http.get(BatchApiTest.BATCHES + "/" + id, BatchApiTest.BATCH)
                                    .json()
                                    .get("done")
                                    .asLong()
                            >= 6);
        } // stopped: the worker is interrupted wherever it is; its claims stay behind

        try (Connection db = DriverManager.getConnection(database, "termsgate", "");
                Statement sql = db.createStatement()) {
            // the crash window: the last three decided lines lose their results, as if the instance died after the
            // log's commit and before the line's update
            sql.executeUpdate("UPDATE batch_line SET result_json = NULL, decision_id = NULL WHERE batch_id = '" + id
                    + "' AND line IN (SELECT line FROM batch_line WHERE batch_id = '" + id + "' AND decision_id IS "
                    + "NOT NULL ORDER BY line DESC LIMIT 3)");
            sql.executeUpdate("UPDATE batch_chunk SET done = FALSE WHERE batch_id = '" + id + "' AND EXISTS (SELECT 1 "
                    + "FROM batch_line l WHERE l.batch_id = batch_chunk.batch_id AND l.line BETWEEN "
                    + "batch_chunk.first_line AND batch_chunk.last_line AND l.result_json IS NULL)");
            sql.executeUpdate("UPDATE batch SET status = 'RUNNING', finished_at = NULL WHERE id = '" + id + "'");
            // the dead instance's claims run out
            sql.executeUpdate("UPDATE batch_chunk SET claimed_until = TIMESTAMP WITH TIME ZONE "
                    + "'2000-01-01 00:00:00+00' WHERE batch_id = '" + id + "' AND claimed_by IS NOT NULL");
            try (ResultSet left = sql.executeQuery(
                    "SELECT COUNT(*) FROM batch_line WHERE batch_id = '" + id + "' AND result_json IS NULL")) {
                left.next();
                assertThat(left.getLong(1))
                        .as("lines left for the new instance")
                        .isGreaterThanOrEqualTo(3);
            }
        }

        try (ConfigurableApplicationContext second = start()) {
            Http http = new Http(port(second));
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> http.get(BatchApiTest.BATCHES + "/" + id, BatchApiTest.BATCH)
                            .json()
                            .get("status")
                            .asText()
                            .equals("DONE"));
            List<JsonNode> results =
                    BatchApiTest.lines(http.get(BatchApiTest.BATCHES + "/" + id + "/results", BatchApiTest.BATCH)
                            .body());
            assertThat(results).hasSize(41);
            assertThat(results).extracting(r -> r.get("line").asInt()).isSorted();

            Map<String, Integer> decisionsPerLine = new HashMap<>();
            Map<String, String> decisionOfLine = new HashMap<>();
            try (Connection db = DriverManager.getConnection(database, "termsgate", "");
                    Statement sql = db.createStatement();
                    ResultSet logged = sql.executeQuery("SELECT idempotency_key, decision_id FROM decision_log "
                            + "WHERE client = 'demo-batch' AND idempotency_key LIKE 'batch:" + id + ":%'")) {
                while (logged.next()) {
                    String line = logged.getString(1).substring(("batch:" + id + ":").length());
                    decisionsPerLine.merge(line, 1, Integer::sum);
                    decisionOfLine.put(line, logged.getString(2));
                }
            }
            assertThat(decisionsPerLine).hasSize(41);
            assertThat(decisionsPerLine.values()).allMatch(n -> n == 1);
            for (JsonNode result : results) {
                assertThat(result.get("decisionId").asText())
                        .as("line " + result.get("line"))
                        .isEqualTo(decisionOfLine.get(result.get("line").asText()));
            }
            JsonNode chain =
                    http.get("/api/v1/audit/verify", BatchApiTest.AUDITOR).json();
            assertThat(chain.get("valid").asBoolean()).as(chain.toString()).isTrue();
        }
    }
}
