package io.termsgate.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import io.termsgate.support.RulesetCopy;
import io.termsgate.support.ServiceTest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Watch mode, the embedded default: an analyst saves an edited file in the rule folder; if it passes validation
 * and the scenarios it goes live, recorded as done by the file system; if not, the live version stays.
 */
@ServiceTest
@DirtiesContext
class WatchModeTest {

    @TempDir
    static Path folder;

    static RulesetCopy copy;

    @DynamicPropertySource
    static void watchedFolder(DynamicPropertyRegistry registry) {
        copy = RulesetCopy.of(folder);
        registry.add("termsgate.ruleset.dir", folder::toString);
        registry.add("termsgate.ruleset.watch", () -> "true");
    }

    @LocalServerPort
    int port;

    @Test
    void aSavedEditGoesLiveAndABrokenOneDoesNot() throws Exception {
        Http http = new Http(port);
        String first = live(http);

        // a valid edit: revenue of 50,000,000 or more earns 16 points, not 15; the analyst updates the six
        // scenarios whose score moves (none changes grade)
        copy.setScorecardCell(47, "50,000,000 or more", "E", 16);
        copy.replace(
                "decision-tables/scenarios/policy-examples.csv",
                "\"excellent buyer, grade A, 90 days\",EX-02,DE,MANUFACTURING,15,80000000,92,60,0,0,50000,,25000,EUR,90,APPROVED,AUTO,100,",
                "\"excellent buyer, grade A, 90 days\",EX-02,DE,MANUFACTURING,15,80000000,92,60,0,0,50000,,25000,EUR,90,APPROVED,AUTO,101,");
        copy.replace(
                "decision-tables/scenarios/policy-examples.csv",
                "\"grade A limit capped at 1,000,000\",EX-03,DE,MANUFACTURING,30,400000000,95,100,0,0,0,,25000,EUR,60,APPROVED,AUTO,100,",
                "\"grade A limit capped at 1,000,000\",EX-03,DE,MANUFACTURING,30,400000000,95,100,0,0,0,,25000,EUR,60,APPROVED,AUTO,101,");
        copy.replace(
                "decision-tables/scenarios/policy-examples.csv",
                ",EX-14,DE,MANUFACTURING,12,90000000,,40,0,0,50000,,25000,EUR,60,REFERRED,CREDIT_MANAGER,75,",
                ",EX-14,DE,MANUFACTURING,12,90000000,,40,0,0,50000,,25000,EUR,60,REFERRED,CREDIT_MANAGER,76,");
        copy.replace(
                "decision-tables/scenarios/policy-examples.csv",
                ",EX-26,DE,HOSPITALITY,20,70000000,95,50,0,0,50000,,25000,EUR,90,APPROVED,AUTO,95,",
                ",EX-26,DE,HOSPITALITY,20,70000000,95,50,0,0,50000,,25000,EUR,90,APPROVED,AUTO,96,");
        copy.replace(
                "decision-tables/scenarios/policy-examples.csv",
                ",EX-33,DE,MANUFACTURING,30,400000000,95,100,0,0,0,,250000,EUR,60,REFERRED,CREDIT_MANAGER,100,",
                ",EX-33,DE,MANUFACTURING,30,400000000,95,100,0,0,0,,250000,EUR,60,REFERRED,CREDIT_MANAGER,101,");
        copy.replace(
                "decision-tables/scenarios/policy-examples.csv",
                ",EX-34,DE,MANUFACTURING,30,400000000,95,100,0,0,0,,249999.99,EUR,60,APPROVED,AUTO,100,",
                ",EX-34,DE,MANUFACTURING,30,400000000,95,100,0,0,0,,249999.99,EUR,60,APPROVED,AUTO,101,");
        String second = RulesetFiles.readFolder(folder).version();

        // the watcher debounces, compiles and runs the scenarios in a sandbox worker: seconds, more on a busy machine
        await(() -> live(http).equals(second), Duration.ofSeconds(90));
        JsonNode decided = http.postJson(
                        "/api/v1/credit-decisions",
                        "demo-checkout",
                        PolicyExamples.byCustomerId("EX-02").request().toString())
                .json();
        assertThat(decided.get("riskScore").asInt()).isEqualTo(101);
        assertThat(decided.get("rulesetVersion").asText()).isEqualTo(second);
        JsonNode history =
                http.get("/api/v1/rulesets/" + second, "demo-auditor").json().get("history");
        assertThat(history.get(history.size() - 1).get("event").asText()).isEqualTo("ACTIVATED");
        assertThat(history.get(history.size() - 1).get("actor").asText()).isEqualTo("file system");
        assertThat(history.get(history.size() - 1).get("fromVersion").asText()).isEqualTo(first);

        // a broken edit: logged and ignored, the live version stays
        copy.write("rules/broken.drl", "package termsgate.broken;\nrule \"half\" when then");
        Thread.sleep(3000);
        assertThat(live(http)).isEqualTo(second);
    }

    private static String live(Http http) {
        return http.get("/api/v1/rulesets/active", "demo-analyst")
                .json()
                .get("version")
                .asText();
    }

    private static void await(Supplier<Boolean> condition, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (condition.get()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not within " + timeout);
    }
}
