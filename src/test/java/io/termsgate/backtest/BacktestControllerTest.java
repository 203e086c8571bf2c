package io.termsgate.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.termsgate.audit.AuditSlice;
import io.termsgate.audit.DecisionLog;
import io.termsgate.ruleset.ActiveRuleset;
import io.termsgate.support.Applications;
import io.termsgate.support.ControllerSliceTest;
import io.termsgate.support.DefaultRuleset;
import io.termsgate.support.PolicyExamples;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The backtest API, its HTTP contract only: 202 with the Location to follow, progress and report, the report as
 * JSON and CSV downloads, 409 while it runs, problems for bad versions, windows and ids, and the roles. The runner,
 * the decision log it replays and the live default ruleset are real.
 */
@ControllerSliceTest(BacktestController.class)
@Import(BacktestSlice.class)
class BacktestControllerTest {

    static final String ANALYST = "demo-analyst";

    @Autowired
    MockMvc mvc;

    @Autowired
    ActiveRuleset active;

    @Autowired
    DecisionLog decisionLog;

    @Autowired
    JdbcClient jdbc;

    String version;
    String backtests;

    @BeforeEach
    void aLoggedDecision() {
        version = active.current().version();
        backtests = "/api/v1/rulesets/" + version + "/backtests";
        AuditSlice.decideAndLog(decisionLog, Applications.typical().build(), DefaultRuleset.DECISION_TIME);
    }

    static MockHttpServletRequestBuilder as(String key, MockHttpServletRequestBuilder request) {
        return key == null ? request : request.header("X-API-Key", key);
    }

    String startAndFinish() throws Exception {
        MvcResult started = mvc.perform(as(ANALYST, post(backtests))).andReturn();
        String location = started.getResponse().getHeader("Location");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> mvc.perform(as(ANALYST, get(location)))
                        .andExpect(jsonPath("$.backtest.status").value("DONE")));
        return location;
    }

    @Test
    void aBacktestStartsWith202AndTheLocationToFollow() throws Exception {
        MvcResult started = mvc.perform(as(
                        ANALYST,
                        post(backtests).param("from", "2026-11-01T00:00:00Z").param("to", "2026-12-01T00:00:00Z")))
                .andExpect(status().isAccepted())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.rulesetVersion").value(version))
                .andExpect(jsonPath("$.requestedBy").value(ANALYST))
                .andReturn();

        String id = PolicyExamples.JSON
                .readTree(started.getResponse().getContentAsString())
                .get("id")
                .asText();
        assertThat(started.getResponse().getHeader("Location")).isEqualTo(backtests + "/" + id);
    }

    @Test
    void aFinishedBacktestShowsItsReportAndWhereToDownloadIt() throws Exception {
        String location = startAndFinish();

        mvc.perform(as("demo-approver", get(location)))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.report").isNotEmpty())
                .andExpect(jsonPath("$.downloads.json").value(location + "/report.json"))
                .andExpect(jsonPath("$.downloads.csv").value(location + "/report.csv"));
    }

    @Test
    void theReportDownloadsAsJsonAndAsCsv() throws Exception {
        String location = startAndFinish();
        String id = location.substring(location.lastIndexOf('/') + 1);

        mvc.perform(as("demo-auditor", get(location + "/report.json")))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(header().string("Content-Disposition", "attachment; filename=\"backtest-" + id + ".json\""));
        mvc.perform(as("demo-auditor", get(location + "/report.csv")))
                .andExpect(status().isOk())
                .andExpect(content().contentType("text/csv;charset=UTF-8"))
                .andExpect(header().string("Content-Disposition", "attachment; filename=\"backtest-" + id + ".csv\""));
    }

    @Test
    void theReportOfABacktestStillRunningIs409() throws Exception {
        // a backtest another instance is running: only its row in the database says so
        UUID running = UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        jdbc.sql("INSERT INTO backtest (id, ruleset_version, status, total, done, requested_by, requested_at, "
                        + "updated_at) VALUES (?, ?, 'RUNNING', 10, 3, 'demo-analyst', ?, ?)")
                .params(running, version, now, now)
                .update();

        mvc.perform(as(ANALYST, get(backtests + "/" + running + "/report.json")))
                .andExpect(status().isConflict())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/conflict"))
                .andExpect(jsonPath("$.title").value("Not finished"))
                .andExpect(jsonPath("$.detail").value(containsString("3 of 10")));
    }

    @Test
    void aBadVersionAndWindowAreNamedInOne400Problem() throws Exception {
        mvc.perform(as(ANALYST, post("/api/v1/rulesets/latest/backtests").param("from", "monday")))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Invalid backtest"))
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("version", "from")));
        mvc.perform(as(
                        ANALYST,
                        post(backtests).param("from", "2026-12-01T00:00:00Z").param("to", "2026-11-01T00:00:00Z")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("to"));
    }

    @Test
    void anUnknownVersionOrBacktestIs404AndAnIdThatIsNoUuid400() throws Exception {
        mvc.perform(as(ANALYST, post("/api/v1/rulesets/sha256:" + "0".repeat(64) + "/backtests")))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value("/problems/not-found"));
        mvc.perform(as(ANALYST, get(backtests + "/" + UUID.randomUUID())))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value("/problems/not-found"));
        mvc.perform(as(ANALYST, get(backtests + "/42")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.title").value("Invalid backtest id"))
                .andExpect(jsonPath("$.errors[0].field").value("id"));
    }

    @Test
    void onlyUploadersStartBacktestsAndOnlyRulesetReadersReadThem() throws Exception {
        for (String key : new String[] {"demo-checkout", "demo-approver", "demo-auditor", "demo-operator"}) {
            mvc.perform(as(key, post(backtests)))
                    .andExpect(status().isForbidden())
                    .andExpect(jsonPath("$.type").value("/problems/forbidden"));
        }
        mvc.perform(as("demo-rule-author", post(backtests))).andExpect(status().isAccepted());
        mvc.perform(as("demo-checkout", get(backtests + "/" + UUID.randomUUID())))
                .andExpect(status().isForbidden());
        mvc.perform(post(backtests)).andExpect(status().isUnauthorized());
    }
}
