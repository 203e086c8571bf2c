package io.termsgate.console;

import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.forwardedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.model;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;

import io.termsgate.audit.AuditSlice;
import io.termsgate.audit.DecisionLog;
import io.termsgate.ruleset.ActiveRuleset;
import io.termsgate.support.Applications;
import io.termsgate.support.ControllerSliceTest;
import io.termsgate.support.DefaultRuleset;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/** Backtests from the console on the real runner: start, follow, read, refused windows and ids, and the roles. */
@ControllerSliceTest(BacktestPages.class)
@Import(ConsoleSlice.class)
class BacktestPagesTest {

    static final RequestPostProcessor ANALYST = user("demo-analyst-person").roles("ANALYST");

    @Autowired
    MockMvc mvc;

    @Autowired
    ActiveRuleset active;

    @Autowired
    DecisionLog decisionLog;

    String version;

    @BeforeEach
    void aLoggedDecision() {
        version = active.current().version();
        AuditSlice.decideAndLog(decisionLog, Applications.typical().build(), DefaultRuleset.DECISION_TIME);
    }

    @Test
    void aStartedBacktestIsFollowedToItsReport() throws Exception {
        String location = mvc.perform(post("/console/rulesets/" + version + "/backtests")
                        .with(ANALYST)
                        .with(csrf()))
                .andExpect(redirectedUrlPattern("/console/rulesets/" + version + "/backtests/*"))
                .andReturn()
                .getResponse()
                .getRedirectedUrl();

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> mvc.perform(get(location + "/progress").with(ANALYST))
                        .andExpect(status().isOk())
                        .andExpect(view().name("console/backtest :: progress"))
                        .andExpect(header().string("HX-Refresh", "true")));
        mvc.perform(get(location).with(user("demo-approver-person").roles("APPROVER")))
                .andExpect(status().isOk())
                .andExpect(view().name("console/backtest"))
                .andExpect(model().attributeExists("report"));
    }

    @Test
    void aWindowThatIsNoWindowIsSaidOnTheVersionsPage() throws Exception {
        mvc.perform(post("/console/rulesets/" + version + "/backtests")
                        .param("from", "2026-12-01T00:00:00")
                        .param("to", "2026-11-01T00:00:00")
                        .with(ANALYST)
                        .with(csrf()))
                .andExpect(redirectedUrl("/console/rulesets/" + version + "#backtest"))
                .andExpect(flash().attribute("problem", "The window must end after it starts."));
    }

    @Test
    void anUnknownVersionOrBacktestIs404() throws Exception {
        mvc.perform(post("/console/rulesets/sha256:" + "0".repeat(64) + "/backtests")
                        .with(ANALYST)
                        .with(csrf()))
                .andExpect(status().isNotFound())
                .andExpect(view().name("console/error"));
        mvc.perform(get("/console/rulesets/" + version + "/backtests/" + UUID.randomUUID())
                        .with(ANALYST))
                .andExpect(status().isNotFound());
        mvc.perform(get("/console/rulesets/" + version + "/backtests/42").with(ANALYST))
                .andExpect(status().isNotFound());
    }

    @Test
    void onlyUploadersStartBacktests() throws Exception {
        for (String role : new String[] {"APPROVER", "AUDITOR"}) {
            mvc.perform(post("/console/rulesets/" + version + "/backtests")
                            .with(user("someone").roles(role))
                            .with(csrf()))
                    .andExpect(status().isForbidden())
                    .andExpect(forwardedUrl("/console/denied"));
        }
    }
}
