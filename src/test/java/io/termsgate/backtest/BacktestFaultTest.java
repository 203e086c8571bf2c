package io.termsgate.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
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
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A backtest whose pipeline meets a real fault halfway, on the slice's own H2 database: a write of changed decisions
 * the database refuses (a check constraint that one decision of the second page breaks), and a page of the log that
 * does not read (a sealed request altered in the log). Four pages of 7 decisions, each page with one decided as the
 * policy decides it and 6 changed. The backtest fails with the reason of what failed; progress and the stored changed
 * decisions are exactly those of the pages stored before the fault, nothing of the page that failed; the analyst sees
 * the reason without a stack trace, the log keeps the trace; and the runner's pool runs the next backtest to the end.
 */
@ControllerSliceTest(BacktestController.class)
@Import(BacktestFaultTest.PipelinedPages.class)
class BacktestFaultTest {

    static final int PAGE = 7;
    static final int PAGES = 4;
    static final int DECISIONS = PAGE * PAGES;
    static final int CHANGED_PER_PAGE = PAGE - 1;
    static final String ANALYST = "demo-analyst";

    /** The real runner on pages of 7 and two threads, so pages replay, are written and are read at the same time. */
    @TestConfiguration(proxyBeanMethods = false)
    static class PipelinedPages {

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
                    decisionLog, rulesets, lifecycle, jdbc, clock, meters, changes, 2, new BacktestProperties(PAGE, 5));
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

    String backtests;
    ListAppender<ILoggingEvent> runnerLog;
    Runnable repair = () -> {};

    @BeforeEach
    void listenToTheRunner() {
        backtests = "/api/v1/rulesets/" + DefaultRuleset.compiled().version() + "/backtests";
        runnerLog = new ListAppender<>();
        runnerLog.start();
        ((Logger) LoggerFactory.getLogger(BacktestRunner.class)).addAppender(runnerLog);
    }

    /** The fault a test made is mended even when it fails, so the next test meets a sound database. */
    @AfterEach
    void mendTheFault() {
        ((Logger) LoggerFactory.getLogger(BacktestRunner.class)).detachAppender(runnerLog);
        repair.run();
    }

    @Test
    void aWriteTheDatabaseRefusesMidPipelineFailsTheBacktestAfterThePagesStoredBeforeIt() throws Exception {
        Instant at = DefaultRuleset.DECISION_TIME;
        List<UUID> logged = decisions("WRITE", at);
        // the fifth decision of the second page breaks the check; the others of its page would pass it alone
        jdbc.sql("ALTER TABLE backtest_changed ADD CONSTRAINT refuses_write_11 CHECK (customer_id <> 'WRITE-11')")
                .update();
        repair = () -> jdbc.sql("ALTER TABLE backtest_changed DROP CONSTRAINT IF EXISTS refuses_write_11")
                .update();

        String location = start(at);
        JsonNode backtest = finished(location);

        // page 2 was written while page 3 replayed: the backtest stops there, with only page 1 counted and stored
        assertThat(backtest.get("status").asText()).isEqualTo("FAILED");
        assertThat(backtest.get("total").asLong()).isEqualTo(DECISIONS);
        assertThat(backtest.get("done").asLong()).isEqualTo(PAGE);
        assertThat(backtest.get("progress").asDouble()).isEqualTo((double) PAGE / DECISIONS);
        assertThat(backtest.get("changed").isNull()).isTrue();
        assertThat(backtest.get("finishedAt").isNull()).isFalse();
        // page 1's rows were stored, page 2's refused; a failed backtest's rows are never read, and they name
        // customers: none is kept
        assertThat(storedDecisions(location)).isEmpty();
        // the database's message holds the SQL and, on PostgreSQL, the refused row with its customer id: the analyst
        // reads what failed and a reference, the operator finds the database's reason under it in the log
        String error = backtest.get("error").asText();
        assertThat(error)
                .startsWith("a read or write of the database failed (reference ")
                .doesNotContainIgnoringCase("refuses_write_11")
                .doesNotContain("WRITE-11", "INSERT", "backtest_changed");
        assertTheCallerSeesNoTrace(location, backtest);
        assertTheLogKeepsTheTrace(location, SQLException.class, "refuses_write_11");

        repair.run();
        assertTheNextBacktestRunsToTheEnd(at, logged);
    }

    @Test
    void aLogPageThatDoesNotReadMidPipelineFailsTheBacktestAfterThePagesStoredBeforeIt() throws Exception {
        Instant at = DefaultRuleset.DECISION_TIME.plus(Duration.ofHours(1));
        List<UUID> logged = decisions("READ", at);
        // the third decision of the third page altered in the log: its sealed request no longer opens
        UUID altered = logged.get(2 * PAGE + 2);
        String sealed = jdbc.sql("SELECT request_json FROM decision_log WHERE decision_id = ?")
                .param(altered)
                .query(String.class)
                .single();
        int middle = sealed.length() / 2;
        String tampered =
                sealed.substring(0, middle) + (sealed.charAt(middle) == 'A' ? 'B' : 'A') + sealed.substring(middle + 1);
        jdbc.sql("UPDATE decision_log SET request_json = ? WHERE decision_id = ?")
                .params(tampered, altered)
                .update();
        repair = () -> jdbc.sql("UPDATE decision_log SET request_json = ? WHERE decision_id = ?")
                .params(sealed, altered)
                .update();

        String location = start(at);
        JsonNode backtest = finished(location);

        // page 3 was read while page 1 was written and page 2 replayed: page 2 replayed but is never stored or counted
        assertThat(backtest.get("status").asText()).isEqualTo("FAILED");
        assertThat(backtest.get("done").asLong()).isEqualTo(PAGE);
        assertThat(backtest.get("progress").asDouble()).isEqualTo((double) PAGE / DECISIONS);
        assertThat(storedDecisions(location)).isEmpty();
        // the log's own reason, not the pool's wrapper nor a copy of it naming a Java class
        String error = backtest.get("error").asText();
        assertThat(error)
                .startsWith("a decision in the log could not be read (personal data that does not open: altered")
                .contains("(reference ")
                .doesNotContain("personal data of", "java.", "Exception");
        assertTheCallerSeesNoTrace(location, backtest);
        assertTheLogKeepsTheTrace(location, IllegalStateException.class, "does not open");

        repair.run();
        assertTheNextBacktestRunsToTheEnd(at, logged);
    }

    /**
     * Logs four pages of decisions at {@code at} for customers {@code prefix-0} to {@code prefix-27}: the fourth of each
     * page as the policy decides it, the others with a limit one more than the policy gives (changed on replay).
     */
    List<UUID> decisions(String prefix, Instant at) {
        CompiledRuleset ruleset = DefaultRuleset.compiled();
        List<UUID> logged = new ArrayList<>();
        for (int i = 0; i < DECISIONS; i++) {
            CreditApplication application =
                    Applications.typical().id(prefix + "-" + i).build();
            Evaluation policy = ruleset.evaluate(application, at);
            BigDecimal raise = i % PAGE == 3 ? BigDecimal.ZERO : BigDecimal.ONE;
            UUID id = UUID.randomUUID();
            decisionLog.record(new Decided(
                    id,
                    at,
                    "demo-checkout",
                    null,
                    CanonicalRequest.of(application),
                    application,
                    null,
                    ruleset.version(),
                    DefaultRuleset.engine().versions(),
                    new Evaluation(
                            policy.outcome(),
                            policy.approvalRoute(),
                            policy.riskScore(),
                            policy.riskGrade(),
                            policy.creditLimit().add(raise),
                            policy.availableCredit(),
                            policy.termDays(),
                            policy.reasons(),
                            policy.trace()),
                    100));
            logged.add(id);
        }
        return logged;
    }

    /** The decisions of page {@code page} (from 1) the candidate decides differently. */
    static Set<UUID> changedOfPage(List<UUID> logged, int page) {
        Set<UUID> changed = new HashSet<>();
        for (int i = (page - 1) * PAGE; i < page * PAGE; i++) {
            if (i % PAGE != 3) {
                changed.add(logged.get(i));
            }
        }
        assertThat(changed).hasSize(CHANGED_PER_PAGE);
        return changed;
    }

    /** Starts a backtest of the decisions made in the minute from {@code at} (no other test's) and follows it. */
    String start(Instant at) throws Exception {
        return mvc.perform(post(backtests)
                        .param("from", at.toString())
                        .param("to", at.plus(Duration.ofMinutes(1)).toString())
                        .header("X-API-Key", ANALYST))
                .andExpect(status().isAccepted())
                .andReturn()
                .getResponse()
                .getHeader("Location");
    }

    /** The backtest as the API shows it once it no longer runs; a report only when it is done. */
    JsonNode finished(String location) {
        JsonNode body = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> json(mvc.perform(get(location).header("X-API-Key", ANALYST))
                                .andExpect(status().isOk())
                                .andReturn()),
                        b -> !b.get("backtest").get("status").asText().equals("RUNNING"));
        JsonNode backtest = body.get("backtest");
        assertThat(body.get("report").isNull())
                .isEqualTo(!backtest.get("status").asText().equals("DONE"));
        return backtest;
    }

    Set<UUID> storedDecisions(String location) {
        return new HashSet<>(jdbc.sql("SELECT decision_id FROM backtest_changed WHERE backtest_id = ?")
                .param(id(location))
                .query(UUID.class)
                .list());
    }

    /**
     * The analyst reads the reason as the status's {@code error}, a line without a trace; the report's answers are
     * problems that say only that the backtest failed and how far it came.
     */
    void assertTheCallerSeesNoTrace(String location, JsonNode backtest) throws Exception {
        String error = backtest.get("error").asText();
        assertThat(error).doesNotContain("\tat ", "io.termsgate", "ExecutionException");
        for (String report : List.of("/report.json", "/report.csv", "/changed")) {
            MvcResult answer = mvc.perform(get(location + report).header("X-API-Key", ANALYST))
                    .andExpect(status().isConflict())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andReturn();
            JsonNode problem = json(answer);
            assertThat(problem.get("title").asText()).isEqualTo("Not finished");
            assertThat(problem.get("detail").asText()).contains("is FAILED (" + PAGE + " of " + DECISIONS + ")");
            assertThat(answer.getResponse().getContentAsString())
                    .doesNotContain("\\tat ", "Exception", "io.termsgate", error);
        }
    }

    /** Operators find the whole trace in the log: the backtest's failure, the fault of type {@code cause} under it. */
    void assertTheLogKeepsTheTrace(String location, Class<? extends Throwable> cause, String reason) {
        String error = finished(location).get("error").asText();
        String reference = error.substring(error.indexOf("(reference ") + 11, error.indexOf(" in the service log)"));
        List<ILoggingEvent> failed = runnerLog.list.stream()
                .filter(e -> e.getLevel() == Level.ERROR)
                .filter(e -> e.getFormattedMessage()
                        .equals("Backtest " + id(location) + " failed [reference " + reference + "]"))
                .toList();
        assertThat(failed)
                .as("the reference the analyst reads names the log entry")
                .hasSize(1);
        List<IThrowableProxy> chain = new ArrayList<>();
        for (IThrowableProxy t = failed.get(0).getThrowableProxy(); t != null; t = t.getCause()) {
            chain.add(t);
        }
        assertThat(chain).anySatisfy(t -> {
            assertThat(cause).isAssignableFrom(Class.forName(t.getClassName()));
            assertThat(t.getMessage()).contains(reason);
            assertThat(t.getStackTraceElementProxyArray()).isNotEmpty();
        });
    }

    /** The pool the failed backtest left runs the next one over the same decisions to the end. */
    void assertTheNextBacktestRunsToTheEnd(Instant at, List<UUID> logged) throws Exception {
        String location = start(at);
        JsonNode backtest = finished(location);
        assertThat(backtest.get("status").asText()).isEqualTo("DONE");
        assertThat(backtest.get("done").asLong()).isEqualTo(DECISIONS);
        assertThat(backtest.get("total").asLong()).isEqualTo(DECISIONS);
        assertThat(backtest.get("changed").asLong()).isEqualTo((long) PAGES * CHANGED_PER_PAGE);
        assertThat(changes.count(id(location))).isEqualTo((long) PAGES * CHANGED_PER_PAGE);
        Set<UUID> changed = new HashSet<>();
        for (int page = 1; page <= PAGES; page++) {
            changed.addAll(changedOfPage(logged, page));
        }
        assertThat(storedDecisions(location)).isEqualTo(changed);
    }

    static UUID id(String location) {
        return UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
    }

    private static JsonNode json(MvcResult result) throws Exception {
        return PolicyExamples.JSON.readTree(result.getResponse().getContentAsString());
    }
}
