package io.termsgate.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.termsgate.audit.CanonicalRequest;
import io.termsgate.audit.Decided;
import io.termsgate.audit.DecisionLog;
import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.Evaluation;
import io.termsgate.ruleset.CompiledRulesetCache;
import io.termsgate.ruleset.RulesetLifecycle;
import io.termsgate.support.Applications;
import io.termsgate.support.ControllerSliceTest;
import io.termsgate.support.DefaultRuleset;
import io.termsgate.support.PolicyExamples;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A backtest's changed decisions are written to the database a page of the log at a time and only the first few stay
 * in its report: here pages of 7 decisions and a report that lists 5, over 23 decisions the live ruleset would decide
 * differently (their logged limit is one more than the policy gives) and 4 it would decide alike. The counts are exact,
 * every changed decision is in the database once, the API pages through all of them, the CSV streams all of them,
 * customer ids reach auditors only, and an erasure reaches the stored rows.
 */
@ControllerSliceTest(BacktestController.class)
@Import(BacktestStreamingTest.SmallPages.class)
class BacktestStreamingTest {

    static final int CHANGED = 23;
    static final int ALIKE = 4;

    @TestConfiguration(proxyBeanMethods = false)
    static class SmallPages {

        @Bean
        JdbcBacktestChanges backtestChanges(JdbcClient jdbc, JdbcTemplate template, TransactionTemplate transactions) {
            return new JdbcBacktestChanges(jdbc, template, transactions);
        }

        @Bean
        BacktestRunner backtestRunner(
                DecisionLog decisionLog,
                CompiledRulesetCache rulesets,
                RulesetLifecycle lifecycle,
                JdbcClient jdbc,
                Clock clock,
                MeterRegistry meters,
                JdbcBacktestChanges changes) {
            return BacktestSlice.runner(
                    decisionLog, rulesets, lifecycle, jdbc, clock, meters, changes, 1, new BacktestProperties(7, 5));
        }
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    DecisionLog decisionLog;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JdbcBacktestChanges changes;

    /** Logs a decision of the default ruleset for a customer, its limit raised by {@code raise} from the policy's. */
    void logged(String customer, BigDecimal raise) {
        CompiledRuleset ruleset = DefaultRuleset.compiled();
        CreditApplication application = Applications.typical().id(customer).build();
        Evaluation policy = ruleset.evaluate(application, DefaultRuleset.DECISION_TIME);
        Evaluation logged = new Evaluation(
                policy.outcome(),
                policy.approvalRoute(),
                policy.riskScore(),
                policy.riskGrade(),
                policy.creditLimit().add(raise),
                policy.availableCredit(),
                policy.termDays(),
                policy.reasons(),
                policy.trace());
        decisionLog.record(new Decided(
                UUID.randomUUID(),
                DefaultRuleset.DECISION_TIME,
                "demo-checkout",
                null,
                CanonicalRequest.of(application),
                application,
                null,
                ruleset.version(),
                DefaultRuleset.engine().versions(),
                logged,
                100));
    }

    @Test
    void changedDecisionsAreStreamedToTheDatabaseAndPagedWithExactCounts() throws Exception {
        for (int i = 0; i < CHANGED + ALIKE; i++) {
            logged("STREAM-" + (i % 9), i % 7 == 3 ? BigDecimal.ZERO : BigDecimal.ONE);
        }
        // 27 decisions; those with i % 7 == 3 (i = 3, 10, 17, 24) are logged as the policy decides them
        String version = DefaultRuleset.compiled().version();
        String backtests = "/api/v1/rulesets/" + version + "/backtests";
        String location = mvc.perform(post(backtests).header("X-API-Key", "demo-analyst"))
                .andReturn()
                .getResponse()
                .getHeader("Location");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> mvc.perform(get(location).header("X-API-Key", "demo-analyst"))
                        .andExpect(jsonPath("$.backtest.status").value("DONE")));
        UUID id = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));

        JsonNode report = json(mvc.perform(get(location).header("X-API-Key", "demo-auditor"))
                        .andReturn())
                .get("report");
        assertThat(report.get("total").asLong()).isEqualTo(CHANGED + ALIKE);
        assertThat(report.get("changed").asLong()).isEqualTo(CHANGED);
        assertThat(report.get("creditLimit").get("decreased").asLong()).isEqualTo(CHANGED);
        // the report lists the first five by seq; the database holds every one, once
        assertThat(report.get("changedDecisions")).hasSize(5);
        assertThat(changes.count(id)).isEqualTo(CHANGED);
        List<Long> listed = new ArrayList<>();
        report.get("changedDecisions").forEach(d -> listed.add(d.get("seq").asLong()));
        List<Long> stored = new ArrayList<>();
        changes.forEach(id, d -> stored.add(d.seq()));
        assertThat(stored).isSorted().doesNotHaveDuplicates().hasSize(CHANGED);
        assertThat(listed).isEqualTo(stored.subList(0, 5));

        // pages of 10 through the API: 10, 10, 3, then none; customer ids for the auditor only
        List<Long> paged = new ArrayList<>();
        for (int page = 0; page < 4; page++) {
            JsonNode body = json(mvc.perform(get(location + "/changed")
                            .param("page", String.valueOf(page))
                            .param("size", "10")
                            .header("X-API-Key", "demo-auditor"))
                    .andExpect(status().isOk())
                    .andReturn());
            assertThat(body.get("changed").asLong()).isEqualTo(CHANGED);
            assertThat(body.get("changedDecisions")).hasSize(new int[] {10, 10, 3, 0}[page]);
            body.get("changedDecisions").forEach(d -> {
                paged.add(d.get("seq").asLong());
                assertThat(d.get("customerId").asText()).startsWith("STREAM-");
            });
        }
        assertThat(paged).isEqualTo(stored);
        JsonNode analysts = json(mvc.perform(get(location + "/changed").header("X-API-Key", "demo-analyst"))
                .andReturn());
        assertThat(analysts.get("changedDecisions")).hasSize(CHANGED);
        analysts.get("changedDecisions")
                .forEach(d -> assertThat(d.get("customerId").isNull()).isTrue());
        mvc.perform(get(location + "/changed").param("size", "1001").header("X-API-Key", "demo-analyst"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("size"));
        mvc.perform(get(location + "/changed")
                        .param("page", "-1")
                        .param("size", "ten")
                        .header("X-API-Key", "demo-analyst"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("page", "size")));
        mvc.perform(get(location + "/changed").param("page", "99999999999").header("X-API-Key", "demo-analyst"))
                .andExpect(status().isBadRequest());
        mvc.perform(get(location + "/changed").header("X-API-Key", "demo-checkout"))
                .andExpect(status().isForbidden());

        // the CSV streams every changed decision, not only the listed ones
        String csv = csv(location, "demo-auditor");
        assertThat(csv.split("\r\n")).hasSize(1 + CHANGED);
        assertThat(csv).contains("STREAM-0");
        assertThat(csv(location, "demo-approver")).doesNotContain("STREAM-");

        // an erasure takes the customer's id out of the stored rows and the report
        new BacktestErasure(jdbc, changes).erase("STREAM-0", "~none");
        List<String> customers = new ArrayList<>();
        changes.forEach(id, d -> customers.add(d.customerId()));
        assertThat(customers).doesNotContain("STREAM-0").contains("STREAM-1");
        assertThat(csv(location, "demo-auditor")).doesNotContain("STREAM-0,");
    }

    private String csv(String location, String key) throws Exception {
        MvcResult started = mvc.perform(get(location + "/report.csv").header("X-API-Key", key))
                .andReturn();
        return mvc.perform(asyncDispatch(started))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
    }

    private static JsonNode json(MvcResult result) throws Exception {
        return PolicyExamples.JSON.readTree(result.getResponse().getContentAsString());
    }
}
