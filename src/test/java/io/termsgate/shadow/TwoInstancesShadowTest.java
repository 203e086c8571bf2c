package io.termsgate.shadow;

import static io.termsgate.shadow.ShadowFixtures.ANALYST;
import static io.termsgate.shadow.ShadowFixtures.CHECKOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.termsgate.TermsgateApplication;
import io.termsgate.support.Http;
import io.termsgate.support.PostgresDatabase;
import io.termsgate.support.TestSigningKey;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances on one PostgreSQL feed one report: a challenger started on one is evaluated by both, each on the live
 * decisions it made, and either instance answers the same report, whose counts are exact.
 */
class TwoInstancesShadowTest {

    static final int LIVE = 60;

    private final PostgresDatabase.Database db = PostgresDatabase.newDatabase();

    /** Both instances hold the one master key, as instances of one deployment do. */
    private final String masterKey = TestSigningKey.privacyMasterKey();

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(TermsgateApplication.class)
                .profiles("test", "postgres")
                .properties("PORT=0")
                .run(
                        "--spring.datasource.url=" + db.url(),
                        "--spring.datasource.username=" + db.user(),
                        "--spring.datasource.password=" + db.password(),
                        "--termsgate.ruleset.poll-interval=200ms",
                        "--termsgate.shadow.refresh-interval=100ms",
                        "--termsgate.privacy.master-key=" + masterKey);
    }

    private static Http http(ConfigurableApplicationContext context) {
        return new Http(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    @Test
    void twoInstancesFeedOneReport() {
        try (ConfigurableApplicationContext first = start();
                ConfigurableApplicationContext second = start()) {
            Http one = http(first);
            Http two = http(second);
            String live = ShadowFixtures.liveVersion(one);
            String candidate = ShadowFixtures.gradeBCapCandidate(one, live);
            Http.Response started = one.postJson(ShadowApiTest.shadow(candidate), ANALYST, "{}");
            assertThat(started.status()).as(started.body()).isEqualTo(201);
            // the second instance follows within its refresh interval: its gauge says when
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> two.get("/actuator/prometheus", "demo-operator")
                            .body()
                            .lines()
                            .anyMatch(l -> l.startsWith("termsgate_shadow_active") && l.endsWith(" 1.0")));

            List<JsonNode> requests = ShadowFixtures.requests("TWO-", LIVE, 23);
            long expected = ShadowFixtures.concurrently(requests, i -> {
                        Http instance = i % 2 == 0 ? one : two;
                        Http.Response decided = instance.postJson(
                                "/api/v1/credit-decisions",
                                CHECKOUT,
                                requests.get(i).toString());
                        assertThat(decided.status()).as(decided.body()).isEqualTo(201);
                        return ShadowFixtures.capped(decided.json());
                    })
                    .stream()
                    .filter(capped -> capped)
                    .count();

            await().atMost(Duration.ofSeconds(90))
                    .until(() -> two.get(ShadowApiTest.shadow(candidate), ANALYST)
                                    .json()
                                    .get("total")
                                    .asLong()
                            == LIVE);
            JsonNode fromOne = one.get(ShadowApiTest.shadow(candidate), ANALYST).json();
            JsonNode fromTwo = two.get(ShadowApiTest.shadow(candidate), ANALYST).json();
            assertThat(fromOne).isEqualTo(fromTwo);
            assertThat(fromOne.get("changed").asLong()).isEqualTo(expected);
            assertThat(fromOne.get("dropped").asLong()).isZero();
            assertThat(expected).isPositive();

            // stopped on the second instance: the first stops evaluating too
            assertThat(two.send("DELETE", ShadowApiTest.shadow(candidate), ANALYST)
                            .status())
                    .isEqualTo(200);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> one.get("/actuator/prometheus", "demo-operator")
                            .body()
                            .lines()
                            .anyMatch(l -> l.startsWith("termsgate_shadow_active") && l.endsWith(" 0.0")));
            one.postJson("/api/v1/credit-decisions", CHECKOUT, requests.get(0).toString());
            assertThat(one.get(ShadowApiTest.shadow(candidate), ANALYST)
                            .json()
                            .get("total")
                            .asLong())
                    .isEqualTo(LIVE);
        }
    }
}
