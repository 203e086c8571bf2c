package io.termsgate.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import io.termsgate.support.PostgresDatabase;
import io.termsgate.support.ServiceProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out: two service processes on one PostgreSQL database. Both decide into one hash chain that verifies, a
 * version activated through one instance is live on the other within a few seconds, and a buyer's credit limit holds
 * across both: forty orders placed at once through the two never over-commit it.
 */
class TwoInstancesIT {

    @TempDir
    Path dir;

    @Test
    void twoInstancesShareOneChainAndSwitchVersionsTogether() throws Exception {
        PostgresDatabase.Database db = PostgresDatabase.newDatabase();
        String[] args = {
            "--spring.profiles.active=postgres",
            "--spring.datasource.url=" + db.url(),
            "--spring.datasource.username=" + db.user(),
            "--spring.datasource.password=" + db.password(),
            "--termsgate.ruleset.watch=false"
        };
        try (ServiceProcess a = ServiceProcess.start(dir.resolve("a"), args);
                ServiceProcess b = ServiceProcess.start(dir.resolve("b"), args)) {
            Http httpA = a.http();
            Http httpB = b.http();
            String body = PolicyExamples.byCustomerId("EX-01").request().toString();

            // both decide at once, into one log
            ExecutorService clients = Executors.newFixedThreadPool(8);
            List<Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Http http = i % 2 == 0 ? httpA : httpB;
                answers.add(clients.submit(() -> {
                    int ok = 0;
                    for (int n = 0; n < 50; n++) {
                        ok += http.postJson("/api/v1/credit-decisions", "demo-checkout", body)
                                                .status()
                                        == 201
                                ? 1
                                : 0;
                    }
                    return ok;
                }));
            }
            int decided = 0;
            for (Future<Integer> answer : answers) {
                decided += answer.get();
            }
            clients.shutdown();
            assertThat(clients.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(decided).isEqualTo(400);
            var verify = httpB.get("/api/v1/audit/verify", "demo-auditor").json();
            assertThat(verify.get("valid").asBoolean()).as(verify.toString()).isTrue();
            assertThat(verify.get("checked").asLong()).isEqualTo(400);

            // an activation made through A reaches B
            String old = httpA.get("/api/v1/rulesets/active", "demo-analyst")
                    .json()
                    .get("version")
                    .asText();
            String next = httpA.postMultipart(
                            "/api/v1/rulesets",
                            "demo-rule-author",
                            Map.of("base", old),
                            new Http.Part(
                                    "file",
                                    "rules/notes.drl",
                                    "package termsgate.notes;\n".getBytes(StandardCharsets.UTF_8)))
                    .json()
                    .at("/version")
                    .asText();
            assertThat(httpB.send("POST", "/api/v1/rulesets/" + next + "/approve", "demo-approver")
                            .status())
                    .isEqualTo(200);
            assertThat(httpA.send("POST", "/api/v1/rulesets/" + next + "/activate", "demo-approver")
                            .status())
                    .isEqualTo(200);
            Instant activated = Instant.now();
            while (!httpB.postJson("/api/v1/credit-decisions", "demo-checkout", body)
                    .json()
                    .get("rulesetVersion")
                    .asText()
                    .equals(next)) {
                assertThat(Duration.between(activated, Instant.now())).isLessThan(Duration.ofSeconds(10));
                Thread.sleep(100);
            }

            // forty orders of 15,000 at once, half through each instance, for a buyer whose policy limit is 400,000
            // and balance 0: exactly 26 fit (390,000); the line's row lock serialises them across the two processes
            String buyer = "TWO-INSTANCES";
            ExecutorService checkout = Executors.newFixedThreadPool(20);
            List<Future<String>> outcomes = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Http http = i % 2 == 0 ? httpA : httpB;
                String order = body.replace("\"id\":\"EX-01\"", "\"id\":\"" + buyer + "\"")
                        .replace("\"outstandingBalance\":50000,", "")
                        .replace("\"order\":{", "\"order\":{\"id\":\"SO-" + i + "\",")
                        .replaceAll("\"amount\":[0-9.]+", "\"amount\":15000");
                outcomes.add(checkout.submit(() -> http.postJson("/api/v1/credit-decisions", "demo-checkout", order)
                        .json()
                        .get("outcome")
                        .asText()));
            }
            int approved = 0;
            for (Future<String> outcome : outcomes) {
                approved += outcome.get().equals("APPROVED") ? 1 : 0;
            }
            checkout.shutdown();
            assertThat(approved).isEqualTo(26);
            var line =
                    httpB.get("/api/v1/credit-lines/" + buyer, "demo-checkout").json();
            assertThat(line.get("held").decimalValue()).isEqualByComparingTo("390000");
            assertThat(line.get("available").decimalValue()).isEqualByComparingTo("10000");
            assertThat(httpA.get("/api/v1/audit/ledger/verify", "demo-auditor")
                            .json()
                            .get("valid")
                            .asBoolean())
                    .isTrue();
        }
    }
}
