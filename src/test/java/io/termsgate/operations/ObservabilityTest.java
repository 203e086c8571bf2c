package io.termsgate.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import io.termsgate.support.RulesetCopy;
import io.termsgate.support.ServiceTest;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What operators see (the logs are in StructuredLogsIT): Prometheus metrics for decisions, engine errors, the log's batches and activations, and health with details.
 * The ruleset here throws at run time for one customer: a safe referral, counted.
 */
@ServiceTest
@AutoConfigureObservability // Spring Boot tests switch metric exporters off unless asked
@DirtiesContext
class ObservabilityTest {

    @TempDir
    static Path folder;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        RulesetCopy.of(folder).withoutScenarios().write("rules/fault.drl", """
                package termsgate.fault;
                import io.termsgate.engine.facts.Customer;
                import io.termsgate.engine.facts.KnockoutFindings;
                global KnockoutFindings findings;
                rule "Fails for one customer"
                when
                    Customer( id == "BOOM", paymentHistory.maxDaysPastDue
                            / (paymentHistory.invoicesPaid - paymentHistory.invoicesPaid) > 1 )
                then
                    findings.decline("KO_NEVER");
                end
                """);
        registry.add("termsgate.ruleset.dir", folder::toString);
    }

    private static final Pattern FOREGROUND_CALLS =
            Pattern.compile("(?m)^termsgate_jobs_foreground_calls_total(?:\\{[^}]*})? (\\S+)$");

    @LocalServerPort
    int port;

    @Test
    void metricsAndHealthTellOperatorsHowItGoes() {
        Http http = new Http(port);
        var boom = PolicyExamples.byCustomerId("EX-01").request().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) boom.get("customer")).put("id", "BOOM");
        JsonNode failed = http.postJson("/api/v1/credit-decisions", "demo-checkout", boom.toString())
                .json();
        assertThat(failed.get("outcome").asText()).isEqualTo("REFERRED");
        assertThat(failed.get("reasons").get(0).asText()).isEqualTo("ENGINE_ERROR");
        String body = PolicyExamples.byCustomerId("EX-01").request().toString();
        http.postJson("/api/v1/credit-decisions", "demo-checkout", body, "Idempotency-Key", "obs-1");
        http.postJson("/api/v1/credit-decisions", "demo-checkout", body, "Idempotency-Key", "obs-1");

        String metrics = http.get("/actuator/prometheus", "demo-operator").body();
        assertThat(metrics)
                .contains("termsgate_decisions_seconds_count{")
                .contains("outcome=\"REFERRED\"")
                .contains("route=\"CREDIT_ANALYST\"")
                .contains("ruleset=\"" + failed.get("rulesetVersion").asText() + "\"")
                .contains("termsgate_decisions_seconds_bucket{")
                .contains("termsgate_decisions_engine_errors_total{")
                .contains("termsgate_decisions_idempotent_replays_total")
                .contains("termsgate_audit_batch_size_count")
                .contains("termsgate_audit_commit_latency_seconds_count")
                .contains("termsgate_ruleset_activations_total")
                .contains("termsgate_backtest_replayed");
        assertThat(http.get("/actuator/prometheus", "demo-auditor").status()).isEqualTo(403);

        JsonNode health = http.get("/actuator/health", "demo-operator").json();
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/db/status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/ruleset/details/version").asText())
                .isEqualTo(failed.get("rulesetVersion").asText());
        assertThat(http.get("/actuator/health", null).json().has("components")).isFalse();
    }

    private long foregroundCalls(Http http) {
        String metrics = http.get("/actuator/prometheus", "demo-operator").body();
        Matcher m = FOREGROUND_CALLS.matcher(metrics);
        assertThat(m.find())
                .as(
                        "termsgate_jobs_foreground_calls_total among %s",
                        metrics.lines().filter(l -> l.contains("jobs")).toList())
                .isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    @Test
    void backgroundWorkGivesWayOnlyToAuthorisedCallsSomeoneWaitsOn() {
        // checkout's decisions and the decision services once they pass authentication and authorisation; never a
        // call without a key or with the wrong role (nobody slows batches down by knocking), never a batch client
        // polling its progress
        Http http = new Http(port);
        String request = PolicyExamples.byCustomerId("EX-01").request().toString();
        long before = foregroundCalls(http);

        assertThat(http.postJson("/api/v1/credit-decisions", null, request).status())
                .isEqualTo(401);
        assertThat(http.postJson("/api/v1/credit-decisions", "not-a-key", request)
                        .status())
                .isEqualTo(401);
        assertThat(http.postJson("/api/v1/credit-decisions", "demo-batch", request)
                        .status())
                .isEqualTo(403);
        assertThat(http.get("/api/v1/batches/0193a0a0-0000-7000-8000-000000000000", "demo-batch")
                        .status())
                .isEqualTo(404);
        assertThat(foregroundCalls(http)).isEqualTo(before);

        assertThat(http.postJson("/api/v1/credit-decisions", "demo-checkout", request)
                        .status())
                .isEqualTo(201);
        assertThat(http.postJson("/api/v1/models/dunning", "demo-client", """
                                {"Days Past Due": 5, "Amount": 700, "Risk Grade": "A", "Reminders Sent": 0,
                                 "Disputed": false}""").status())
                .isEqualTo(200);
        assertThat(foregroundCalls(http)).isEqualTo(before + 2);
    }
}
