package io.termsgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.termsgate.referral.SettableClock;
import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import io.termsgate.support.ServiceTest;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * Retention and archiving: the start of the log may leave the database only after its retention, only up to a signed
 * checkpoint, and verification then starts from that checkpoint instead of reporting deleted records. The service's
 * clock is the test's, so "a day later" needs no waiting.
 */
@ServiceTest
@Import(SettableClock.InService.class)
@DirtiesContext
@TestPropertySource(
        properties = {
            "termsgate.audit.retention=P1D",
            "termsgate.audit.checkpoints.every=5",
            "termsgate.audit.checkpoints.interval=1h",
            "termsgate.audit.checkpoints.poll-interval=1h"
        })
class ArchivedLogTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CheckpointWriter writer;

    @Autowired
    SettableClock clock;

    void decide(int n) {
        Http http = new Http(port);
        for (int i = 0; i < n; i++) {
            ObjectNode request = PolicyExamples.byCustomerId("EX-01").request().deepCopy();
            ((ObjectNode) request.get("customer")).put("id", "ARCH-" + i);
            assertThat(http.postJson("/api/v1/credit-decisions", "demo-checkout", request.toString())
                            .status())
                    .isEqualTo(201);
        }
    }

    JsonNode get(String path) {
        Http.Response response = new Http(port).get(path, "demo-auditor");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    @Test
    void theStartOfTheLogLeavesOnlyAfterItsRetentionAndVerifyStartsFromItsCheckpoint() {
        decide(10);
        assertThat(writer.checkpointNow()).isPresent(); // a signed checkpoint at seq 10
        decide(3);
        long head = get("/api/v1/audit/verify").get("lastSeq").asLong();

        // within the retention (the checkpoint was written after the service's clock minus a day): nothing may go
        JsonNode retention = get("/api/v1/audit/retention");
        assertThat(retention.get("retention").asText()).isEqualTo("P1D");
        assertThat(retention.get("archivedThroughSeq").asLong()).isZero();
        assertThat(retention.get("archivableThroughSeq").isNull())
                .as(retention.toString())
                .isTrue();
        jdbc.sql("DELETE FROM decision_log WHERE seq <= 10").update();
        JsonNode early = get("/api/v1/audit/verify");
        assertThat(early.get("valid").asBoolean()).isFalse();
        assertThat(early.at("/firstBrokenLink/reason").asText())
                .contains("record 10 is missing")
                .contains("before their retention (P1D) ended");

        // two days on, the records up to the checkpoint may go: verify starts from it
        clock.set(Instant.now().plus(Duration.ofDays(2)));
        JsonNode archivable = get("/api/v1/audit/retention");
        assertThat(archivable.get("archivedThroughSeq").asLong()).isEqualTo(10);
        JsonNode archived = get("/api/v1/audit/verify");
        assertThat(archived.get("valid").asBoolean()).as(archived.toString()).isTrue();
        assertThat(archived.get("archivedThroughSeq").asLong()).isEqualTo(10);
        assertThat(archived.get("checked").asLong()).isEqualTo(head - 10);
        assertThat(archived.get("checkpointProblem").isNull()).isTrue();

        // records deleted beyond the checkpoint are deleted, not archived
        jdbc.sql("DELETE FROM decision_log WHERE seq = 11").update();
        JsonNode cut = get("/api/v1/audit/verify");
        assertThat(cut.get("valid").asBoolean()).isFalse();
        assertThat(cut.at("/firstBrokenLink/reason").asText())
                .contains("record 11 is missing")
                .contains("must end at a signed checkpoint");
    }
}
