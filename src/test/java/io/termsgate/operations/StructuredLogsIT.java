package io.termsgate.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import io.termsgate.support.RulesetCopy;
import io.termsgate.support.ServiceProcess;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's own process logs one JSON object per line (as under prod): a line about a decision carries its
 * decisionId and rulesetVersion, and no line carries the request's content.
 */
class StructuredLogsIT {

    @TempDir
    Path dir;

    @Test
    void anEngineErrorIsOneJsonLineWithTheDecisionIdAndVersionAndNoRequestData() throws Exception {
        Path ruleset = dir.resolve("ruleset");
        RulesetCopy.of(java.nio.file.Files.createDirectories(ruleset))
                .withoutScenarios()
                .write("rules/fault.drl", """
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
        ObjectNode request = PolicyExamples.byCustomerId("EX-01").request().deepCopy();
        ((ObjectNode) request.get("customer")).put("id", "BOOM");
        JsonNode decided;
        String output;
        try (ServiceProcess service = ServiceProcess.start(
                dir.resolve("work"),
                "--termsgate.ruleset.dir=" + ruleset,
                "--logging.structured.format.console=ecs",
                "--logging.level.io.termsgate=INFO",
                "--spring.datasource.url=jdbc:h2:mem:logs")) {
            Http http = service.http();
            decided = http.postJson("/api/v1/credit-decisions", "demo-checkout", request.toString())
                    .json();
            Thread.sleep(500);
            output = service.output();
        }
        assertThat(decided.get("reasons").get(0).asText()).isEqualTo("ENGINE_ERROR");
        List<JsonNode> lines = output.lines()
                .filter(l -> l.startsWith("{"))
                .map(StructuredLogsIT::parse)
                .toList();
        assertThat(lines).isNotEmpty();
        JsonNode error = lines.stream()
                .filter(l -> l.path("message").asText().contains("Engine error"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no engine error line in:\n" + output));
        assertThat(error.at("/log/level").asText()).isEqualTo("ERROR");
        assertThat(error.get("decisionId").asText())
                .isEqualTo(decided.get("decisionId").asText());
        assertThat(error.get("rulesetVersion").asText())
                .isEqualTo(decided.get("rulesetVersion").asText());
        assertThat(output)
                .doesNotContain("annualRevenue")
                .doesNotContain("20000000")
                .doesNotContain("\"BOOM\"");
    }

    private static JsonNode parse(String line) {
        try {
            return PolicyExamples.JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
