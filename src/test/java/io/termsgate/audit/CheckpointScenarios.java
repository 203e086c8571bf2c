package io.termsgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The signed checkpoints catch what the chain alone cannot: records cut off with the head moved back, a record
 * rewritten with every later hash and the head recomputed, a checkpoint line altered or deleted. The API's verify and
 * the offline verifier (on a real export) agree on each. Each subclass has its own context, database and checkpoint
 * directory (a checkpoint every 5 records, none written behind the tests' backs); the tampering steps run in order
 * and each but the last puts things back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class CheckpointScenarios {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CheckpointWriter writer;

    Http http;

    @BeforeAll
    void twelveDecisionsAndThreeCheckpoints() {
        http = new Http(port);
        for (int i = 1; i <= 12; i++) {
            var request = PolicyExamples.byCustomerId("EX-01").request().deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) request.get("customer")).put("id", "CP-" + i);
            assertThat(http.postJson("/api/v1/credit-decisions", "demo-checkout", request.toString())
                            .status())
                    .isEqualTo(201);
            if (i % 5 == 0) {
                assertThat(writer.tick()).as("due after 5 records").isPresent();
            } else {
                assertThat(writer.tick()).as("not due yet").isEmpty();
            }
        }
        assertThat(writer.checkpointNow()).isPresent(); // checkpoints at 5, 10 and 12
    }

    @Test
    @Order(1)
    void anUntouchedLogIsValidThroughEveryCheckpoint() {
        JsonNode report = verify();
        assertThat(report.get("valid").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.get("checkpointsChecked").asInt()).isEqualTo(3);
        assertThat(report.get("checkpointProblem").isNull()).isTrue();
        assertThat(offline().valid()).as(offline().toString()).isTrue();
        assertThat(offline().checkpointsChecked()).isEqualTo(3);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_checkpoint")
                        .query(Long.class)
                        .single())
                .isEqualTo(3);
        assertThat(http.get("/api/v1/audit/public-key", "demo-auditor").body())
                .startsWith("-----BEGIN PUBLIC KEY-----");
    }

    @Test
    @Order(2)
    void anAlteredCheckpointLineIsInvalid() throws IOException {
        Path file = onlyFile();
        String original = Files.readString(file);
        String line10 = original.lines()
                .filter(l -> l.startsWith("{\"seq\":10,"))
                .findFirst()
                .orElseThrow();
        try {
            // the checkpoint moved to a rewritten chain's hash: its signature no longer holds
            String hash = line10.substring(line10.indexOf("\"hash\":\"") + 8).substring(0, 64);
            String other = (hash.charAt(0) == '0' ? "1" : "0") + hash.substring(1);
            Files.writeString(file, original.replace(line10, line10.replace(hash, other)));
            assertInvalid(10, "signature");
        } finally {
            Files.writeString(file, original);
        }
        assertThat(verify().get("valid").asBoolean()).isTrue();
    }

    @Test
    @Order(3)
    void aDeletedCheckpointLineIsInvalid() throws IOException {
        Path file = onlyFile();
        String original = Files.readString(file);
        try {
            List<String> lines = new ArrayList<>(original.lines().toList());
            lines.remove(2); // the latest: what someone who cut the log would remove
            Files.writeString(file, String.join("\n", lines) + "\n");
            JsonNode report = verify();
            assertThat(report.get("valid").asBoolean()).isFalse();
            assertThat(report.at("/checkpointProblem/seq").asLong()).isEqualTo(12);
            assertThat(report.at("/checkpointProblem/file").asText())
                    .isEqualTo(file.getFileName().toString());
            assertThat(report.at("/checkpointProblem/reason").asText()).contains("deleted");
        } finally {
            Files.writeString(file, original);
        }
        assertThat(verify().get("valid").asBoolean()).isTrue();
    }

    @Test
    @Order(4)
    void aRecordRewrittenWithEveryLaterHashRecomputedIsInvalid() {
        List<LoggedDecision> originals = jdbc.sql("SELECT * FROM decision_log WHERE seq >= 7 ORDER BY seq")
                .query(JdbcDecisionLog.ROW)
                .list();
        String previous = jdbc.sql("SELECT hash FROM decision_log WHERE seq = 6")
                .query(String.class)
                .single();
        try {
            for (LoggedDecision d : originals) {
                DecisionRecord r = d.record();
                DecisionRecord rewritten = d.seq() != 7
                        ? r
                        : new DecisionRecord(
                                r.decisionId(),
                                r.decidedAt(),
                                r.client(),
                                r.idempotencyKey(),
                                r.requestSha256(),
                                r.customerId(),
                                r.outcome(),
                                r.approvalRoute(),
                                r.rulesetVersion(),
                                r.engineVersionsJson(),
                                r.requestJson(),
                                r.resultJson(),
                                r.traceJson(),
                                r.evaluationMicros() + 1,
                                r.orderId(),
                                r.creditLineJson());
                String hash = LoggedDecision.chainHash(previous, d.seq(), rewritten);
                write(d.seq(), rewritten.evaluationMicros(), previous, hash);
                previous = hash;
            }
            jdbc.sql("UPDATE decision_log_head SET hash = ? WHERE chain = 'decisions'")
                    .param(previous)
                    .update();
            JsonNode report = verify();
            assertThat(report.get("firstBrokenLink").isNull())
                    .as("the chain alone holds")
                    .isTrue();
            assertInvalid(10, "rewritten");
        } finally {
            for (LoggedDecision d : originals) {
                write(d.seq(), d.record().evaluationMicros(), d.previousHash(), d.hash());
            }
            jdbc.sql("UPDATE decision_log_head SET hash = ? WHERE chain = 'decisions'")
                    .param(originals.get(originals.size() - 1).hash())
                    .update();
        }
        assertThat(verify().get("valid").asBoolean()).isTrue();
        assertThat(offline().valid()).isTrue();
    }

    @Test
    @Order(5)
    void theOldestRecordsGoneWithoutARetentionAreDeletedNotArchived() {
        List<Map<String, Object>> rows = jdbc.sql("SELECT * FROM decision_log WHERE seq <= 7 ORDER BY seq")
                .query()
                .listOfRows();
        try {
            // even up to a signed checkpoint (5): with no retention configured nothing may leave (ArchivedLogTest
            // shows an archive after its retention)
            jdbc.sql("DELETE FROM decision_log WHERE seq <= 5").update();
            JsonNode report = verify();
            assertThat(report.get("valid").asBoolean()).as(report.toString()).isFalse();
            assertThat(report.at("/firstBrokenLink/reason").asText())
                    .contains("record 5 is missing")
                    .contains("no retention is configured");
            assertThat(report.get("archivedThroughSeq").isNull()).isTrue();
        } finally {
            jdbc.sql("DELETE FROM decision_log WHERE seq <= 7").update();
            for (Map<String, Object> row : rows) {
                jdbc.sql("INSERT INTO decision_log (" + String.join(", ", row.keySet()) + ") VALUES ("
                                + String.join(
                                        ", ",
                                        row.keySet().stream().map(k -> ":" + k).toList()) + ")")
                        .params(row)
                        .update();
            }
        }
        JsonNode restored = verify();
        assertThat(restored.get("valid").asBoolean()).as(restored.toString()).isTrue();
        assertThat(restored.get("archivedThroughSeq").isNull()).isTrue();
    }

    @Test
    @Order(6)
    void recordsCutOffWithTheHeadMovedBackAreInvalid() {
        // the last one put back in place last: this test leaves the log cut
        String hash11 = jdbc.sql("SELECT hash FROM decision_log WHERE seq = 11")
                .query(String.class)
                .single();
        jdbc.sql("DELETE FROM decision_log WHERE seq = 12").update();
        jdbc.sql("UPDATE decision_log_head SET seq = 11, hash = ? WHERE chain = 'decisions'")
                .param(hash11)
                .update();
        JsonNode report = verify();
        assertThat(report.get("firstBrokenLink").isNull())
                .as("the chain alone holds")
                .isTrue();
        assertInvalid(12, "cut off");
    }

    private void write(long seq, long micros, String previousHash, String hash) {
        jdbc.sql("UPDATE decision_log SET evaluation_micros = ?, previous_hash = ?, hash = ? WHERE seq = ?")
                .params(micros, previousHash, hash, seq)
                .update();
    }

    /** Both the API and the offline verifier say invalid, naming the checkpoint. */
    private void assertInvalid(long seq, String reason) {
        JsonNode report = verify();
        assertThat(report.get("valid").asBoolean()).as(report.toString()).isFalse();
        assertThat(report.at("/checkpointProblem/seq").asLong())
                .as(report.toString())
                .isEqualTo(seq);
        assertThat(report.at("/checkpointProblem/file").asText())
                .isEqualTo(onlyFile().getFileName().toString());
        assertThat(report.at("/checkpointProblem/reason").asText()).contains(reason);
        VerifyLog.Result offline = offline();
        assertThat(offline.valid()).as(offline.toString()).isFalse();
        assertThat(offline.problem().seq()).isEqualTo(seq);
        assertThat(offline.problem().file()).isEqualTo(onlyFile().getFileName().toString());
        assertThat(offline.problem().reason()).contains(reason);
    }

    private JsonNode verify() {
        Http.Response response = http.get("/api/v1/audit/verify", "demo-auditor");
        assertThat(response.status()).isEqualTo(200);
        return response.json();
    }

    /** What an auditor finds with the public key, the checkpoint files and the export alone. */
    private VerifyLog.Result offline() {
        String pem = http.get("/api/v1/audit/public-key", "demo-auditor").body();
        String csv =
                new String(http.getBytes("/api/v1/credit-decisions/export", "demo-auditor"), StandardCharsets.UTF_8);
        return VerifyLog.verify(VerifyLog.publicKey(pem), writer.dir(), csv);
    }

    private Path onlyFile() {
        try (var files = Files.list(writer.dir())) {
            List<Path> all = files.toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
