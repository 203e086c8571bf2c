package io.termsgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import io.termsgate.support.PostgresDatabase;
import io.termsgate.support.ServiceTest;
import io.termsgate.support.TcpProxy;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The database goes away mid-service: deciding answers a 503 problem within a bounded wait (never a decision that
 * is not logged, never a hang), health turns DOWN, and everything recovers by itself when the database is back.
 */
// its own database: closed after the class, so the machine's PostgreSQL is not left holding its pool
@org.springframework.test.annotation.DirtiesContext
@ServiceTest
@ActiveProfiles({"test", "postgres"})
class DatabaseOutageTest {

    static TcpProxy cable;

    @DynamicPropertySource
    static void postgresBehindACable(DynamicPropertyRegistry registry) throws IOException {
        PostgresDatabase.Database db = PostgresDatabase.newDatabase();
        cable = new TcpProxy(db.host(), db.port());
        registry.add("spring.datasource.url", () -> db.urlVia(cable.port()));
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", db::password);
        registry.add("termsgate.audit.commit-timeout", () -> "2s");
    }

    @AfterAll
    static void unplug() throws IOException {
        cable.close();
    }

    @LocalServerPort
    int port;

    @Test
    void deciding503sQuicklyWhileTheDatabaseIsGoneAndRecoversByItself() throws Exception {
        Http http = new Http(port);
        String body = PolicyExamples.byCustomerId("EX-01").request().toString();
        assertThat(http.postJson("/api/v1/credit-decisions", "demo-checkout", body)
                        .status())
                .isEqualTo(201);

        cable.cut();
        Instant asked = Instant.now();
        Http.Response refused =
                http.postJson("/api/v1/credit-decisions", "demo-checkout", body, "Idempotency-Key", "outage-1");
        Duration waited = Duration.between(asked, Instant.now());

        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.json().get("type").asText()).isEqualTo("/problems/service-unavailable");
        // the wait is bounded by the commit timeout (2 s here), not by TCP or pool timeouts
        assertThat(waited).isLessThan(Duration.ofSeconds(8));
        assertThat(http.get("/actuator/health", null).status()).isEqualTo(503);

        cable.restore();
        Http.Response recovered = null;
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            recovered = http.postJson("/api/v1/credit-decisions", "demo-checkout", body, "Idempotency-Key", "outage-1");
            if (recovered.status() != 503) {
                break;
            }
            Thread.sleep(250);
        }
        assertThat(recovered.status()).as(recovered.body()).isIn(200, 201);
        assertThat(http.get("/actuator/health", null).status()).isEqualTo(200);
        String id = recovered.json().get("decisionId").asText();
        assertThat(http.get("/api/v1/credit-decisions/" + id, "demo-auditor").status())
                .isEqualTo(200);
        assertThat(http.get("/api/v1/audit/verify", "demo-auditor")
                        .json()
                        .get("valid")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void underLoadNoDecisionAnswered201IsMissingFromTheLog() throws Exception {
        String body = PolicyExamples.byCustomerId("EX-01").request().toString();
        java.util.Set<String> answered = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger other = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(8);
        for (int i = 0; i < 8; i++) {
            clients.submit(() -> {
                Http client = new Http(port);
                while (running.get()) {
                    Http.Response response = client.postJson("/api/v1/credit-decisions", "demo-checkout", body);
                    if (response.status() == 201) {
                        answered.add(response.json().get("decisionId").asText());
                    } else if (response.status() == 503) {
                        refused.incrementAndGet();
                    } else {
                        other.incrementAndGet();
                    }
                }
            });
        }
        Thread.sleep(1500);
        cable.cut();
        Thread.sleep(3000);
        cable.restore();
        Thread.sleep(3000);
        running.set(false);
        clients.shutdown();
        assertThat(clients.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS))
                .isTrue();

        Http http = new Http(port);
        assertThat(refused.get()).as("503s while the database was gone").isPositive();
        assertThat(other.get()).as("anything but 201 or 503").isZero();
        assertThat(answered).hasSizeGreaterThan(20);
        java.util.List<String> missing = answered.stream()
                .filter(id -> http.get("/api/v1/credit-decisions/" + id, "demo-auditor")
                                .status()
                        != 200)
                .toList();
        assertThat(missing).as("answered 201 but not in the log").isEmpty();
        assertThat(http.get("/api/v1/audit/verify", "demo-auditor")
                        .json()
                        .get("valid")
                        .asBoolean())
                .isTrue();
    }
}
