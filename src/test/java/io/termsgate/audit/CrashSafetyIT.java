package io.termsgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import io.termsgate.support.PostgresDatabase;
import io.termsgate.support.ServiceProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkout must never hold a decision that is not in the log: the service is killed with SIGKILL while deciding from
 * several threads, restarted on the same database, and every decision that was answered 201 must be there. Half the
 * threads place orders (decisions with an order id, which hold credit): after the restart no hold is without its
 * logged decision, no logged approval of an order is without its hold, and the hold ledger verifies.
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
        Set<String> orderingCustomers = ConcurrentHashMap.newKeySet();
        String body = PolicyExamples.byCustomerId("EX-01").request().toString();
        ServiceProcess service = ServiceProcess.start(dir, database);
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        for (int i = 0; i < 8; i++) {
            String customer = "CRASH-" + i;
            boolean orders = i % 2 == 1;
            if (orders) {
                orderingCustomers.add(customer);
            }
            clients.submit(() -> {
                Http http = service.http();
                int n = 0;
                while (running.get()) {
                    try {
                        String request = orders
                                ? order(body, customer, "SO-" + n++)
                                : body; // an assessment: no order id, nothing held
                        Http.Response response = http.postJson("/api/v1/credit-decisions", "demo-checkout", request);
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
            List<String> missing = notLogged(http, answered);
            assertThat(missing)
                    .as("answered 201 but not in the log after SIGKILL")
                    .isEmpty();
            Http.Response verify = http.get("/api/v1/audit/verify", "demo-auditor");
            assertThat(verify.json().get("valid").asBoolean()).as(verify.body()).isTrue();

            for (String customer : orderingCustomers) {
                JsonNode line = http.get("/api/v1/credit-lines/" + customer, "demo-auditor")
                        .json();
                Set<String> holds = new HashSet<>();
                for (JsonNode hold : line.get("holds")) {
                    holds.add(hold.get("id").asText());
                    assertThat(http.get(
                                            "/api/v1/credit-decisions/"
                                                    + hold.get("decisionId").asText(),
                                            "demo-auditor")
                                    .status())
                            .as("hold %s has its logged decision", hold.get("id"))
                            .isEqualTo(200);
                }
                for (int page = 0; ; page++) {
                    JsonNode approved = http.get(
                                    "/api/v1/credit-decisions?size=200&outcome=APPROVED&customerId=" + customer
                                            + "&page=" + page,
                                    "demo-auditor")
                            .json();
                    for (JsonNode decision : approved.get("items")) {
                        JsonNode record = http.get(
                                        "/api/v1/credit-decisions/"
                                                + decision.get("decisionId").asText(),
                                        "demo-auditor")
                                .json();
                        assertThat(holds)
                                .as("the approved order %s holds its credit", record.get("orderId"))
                                .contains(record.at("/creditLine/hold/id").asText());
                    }
                    if (page + 1 >= approved.get("totalPages").asLong()) {
                        break;
                    }
                }
            }
            Http.Response ledger = http.get("/api/v1/audit/ledger/verify", "demo-auditor");
            assertThat(ledger.json().get("valid").asBoolean()).as(ledger.body()).isTrue();
        }
    }

    /**
     * The decision ids the restarted service does not answer for, asked by eight clients at once (one at a time, the
     * thousands answered in three seconds take longer to look up than they took to decide).
     */
    private static List<String> notLogged(Http http, Set<String> ids) throws Exception {
        ExecutorService auditors = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> lookups = new ArrayList<>();
            for (String id : ids) {
                lookups.add(auditors.submit(() -> http.get("/api/v1/credit-decisions/" + id, "demo-auditor")
                                        .status()
                                == 200
                        ? null
                        : id));
            }
            List<String> missing = new ArrayList<>();
            for (Future<String> lookup : lookups) {
                String id = lookup.get();
                if (id != null) {
                    missing.add(id);
                }
            }
            return missing;
        } finally {
            auditors.shutdownNow();
        }
    }

    /** EX-01's request for another buyer, as an order of 5,000 that holds credit (at most 70 fit: 400,000 less its 50,000 balance). */
    private static String order(String body, String customer, String orderId) {
        return body.replace("\"id\":\"EX-01\"", "\"id\":\"" + customer + "\"")
                .replace("\"order\":{", "\"order\":{\"id\":\"" + orderId + "\",")
                .replaceAll("\"amount\":[0-9.]+", "\"amount\":5000");
    }
}
