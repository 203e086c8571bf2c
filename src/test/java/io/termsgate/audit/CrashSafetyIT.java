package io.termsgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import io.termsgate.support.PostgresDatabase;
import io.termsgate.support.ServiceProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkout must never hold a decision that is not in the log: the service is killed with SIGKILL while deciding from
 * several threads, restarted on the same database, and every decision that was answered 201 must be there.
 */
class CrashSafetyIT {

    @TempDir
    Path dir;

    @Test
    void everyAnsweredDecisionSurvivesSigkillOnTheEmbeddedDatabase() throws Exception {
        String[] database = {
            "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("data/termsgate")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0"
        };
        assertNoAnsweredDecisionIsLost(database);
    }

    @Test
    void everyAnsweredDecisionSurvivesSigkillOnPostgres() throws Exception {
        PostgresDatabase.Database db = PostgresDatabase.newDatabase();
        assertNoAnsweredDecisionIsLost(
                "--spring.profiles.active=postgres",
                "--spring.datasource.url=" + db.url(),
                "--spring.datasource.username=" + db.user(),
                "--spring.datasource.password=" + db.password());
    }

    private void assertNoAnsweredDecisionIsLost(String... database) throws Exception {
        Set<String> answered = ConcurrentHashMap.newKeySet();
        String body = PolicyExamples.byCustomerId("EX-01").request().toString();
        ServiceProcess service = ServiceProcess.start(dir, database);
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        for (int i = 0; i < 8; i++) {
            clients.submit(() -> {
                Http http = service.http();
                while (running.get()) {
                    try {
                        Http.Response response = http.postJson("/api/v1/credit-decisions", "demo-checkout", body);
                        if (response.status() == 201) {
                            answered.add(response.json().get("decisionId").asText());
                        }
                    } catch (RuntimeException e) {
                        return; // the service is gone
                    }
                }
            });
        }
        Thread.sleep(3000);
        service.kill();
        running.set(false);
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(answered).as("decisions answered before the kill").hasSizeGreaterThan(50);

        try (ServiceProcess restarted = ServiceProcess.start(dir, database)) {
            Http http = restarted.http();
            List<String> missing = answered.stream()
                    .filter(id -> http.get("/api/v1/credit-decisions/" + id, "demo-auditor")
                                    .status()
                            != 200)
                    .toList();
            assertThat(missing)
                    .as("answered 201 but not in the log after SIGKILL")
                    .isEmpty();
            Http.Response verify = http.get("/api/v1/audit/verify", "demo-auditor");
            assertThat(verify.json().get("valid").asBoolean()).as(verify.body()).isTrue();
        }
    }
}
