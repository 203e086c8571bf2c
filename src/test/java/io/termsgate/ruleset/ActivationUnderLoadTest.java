package io.termsgate.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import io.termsgate.support.ServiceTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Activation swaps one reference: while 16 threads decide without pause, a new version goes live and no request
 * fails, and every decision carries either the old or the new version, never something else.
 */
@ServiceTest
@DirtiesContext
class ActivationUnderLoadTest {

    @LocalServerPort
    int port;

    @Test
    void noDecisionFailsOrMixesVersionsWhileANewVersionGoesLive() throws Exception {
        Http http = new Http(port);
        String old = http.get("/api/v1/rulesets/active", "demo-analyst")
                .json()
                .get("version")
                .asText();
        // a harmless candidate: one more DRL file with no rules
        Http.Response upload = http.postMultipart(
                "/api/v1/rulesets",
                "demo-rule-author",
                Map.of("base", old),
                new Http.Part(
                        "file",
                        "rules/notes.drl",
                        "package termsgate.notes;\n// nothing yet\n".getBytes(StandardCharsets.UTF_8)));
        String next = upload.json().at("/version").asText();
        assertThat(http.send("POST", "/api/v1/rulesets/" + next + "/approve", "demo-approver")
                        .status())
                .isEqualTo(200);

        String body = PolicyExamples.byCustomerId("EX-01").request().toString();
        Set<String> versions = ConcurrentHashMap.newKeySet();
        AtomicInteger decided = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger afterSwitch = new AtomicInteger();
        AtomicBoolean switched = new AtomicBoolean();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(16);
        for (int i = 0; i < 16; i++) {
            clients.submit(() -> {
                Http client = new Http(port);
                while (running.get()) {
                    Http.Response response = client.postJson("/api/v1/credit-decisions", "demo-checkout", body);
                    if (response.status() != 201) {
                        failed.incrementAndGet();
                        continue;
                    }
                    decided.incrementAndGet();
                    String version = response.json().get("rulesetVersion").asText();
                    versions.add(version);
                    if (switched.get() && version.equals(next)) {
                        afterSwitch.incrementAndGet();
                    }
                }
            });
        }
        Thread.sleep(1500);
        Http.Response activation = http.send("POST", "/api/v1/rulesets/" + next + "/activate", "demo-approver");
        switched.set(true);
        Thread.sleep(1500);
        running.set(false);
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(activation.status()).as(activation.body()).isEqualTo(200);
        assertThat(failed.get()).isZero();
        assertThat(decided.get()).isGreaterThan(100);
        assertThat(versions).isSubsetOf(List.of(old, next)).contains(old, next);
        assertThat(afterSwitch.get()).isPositive();
    }
}
