package io.termsgate.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.forwardedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.model;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;

import io.termsgate.audit.AuditFormats;
import io.termsgate.audit.AuditSlice;
import io.termsgate.audit.ChainReport;
import io.termsgate.audit.DecisionLog;
import io.termsgate.audit.LoggedDecision;
import io.termsgate.audit.Replays;
import io.termsgate.support.Applications;
import io.termsgate.support.ControllerSliceTest;
import io.termsgate.support.DefaultRuleset;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/** The auditors' pages on a real decision log: search, a decision, replay, export, verification, and who gets in. */
@ControllerSliceTest(DecisionPages.class)
@Import(ConsoleSlice.class)
class DecisionPagesTest {

    static final RequestPostProcessor AUDITOR = user("demo-auditor-person").roles("AUDITOR");

    @Autowired
    MockMvc mvc;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Autowired
    DecisionLog decisionLog;

    LoggedDecision logged;
    String customer;

    @BeforeEach
    void aLoggedDecision() {
        customer = "CON-" + UUID.randomUUID().toString().substring(0, 8);
        logged = AuditSlice.decideAndLog(
                decisionLog, Applications.typical().id(customer).build(), DefaultRuleset.DECISION_TIME);
    }

    @Test
    void aSearchListsTheMatchingDecisions() throws Exception {
        mvc.perform(get("/console/decisions").param("customerId", customer).with(AUDITOR))
                .andExpect(status().isOk())
                .andExpect(view().name("console/decisions"))
                .andExpect(model().attribute("total", 1L))
                .andExpect(content()
                        .string(containsString(logged.record().decisionId().toString())));
    }

    @Test
    void aBadSearchIsShownOnThePageFieldByField() throws Exception {
        mvc.perform(get("/console/decisions")
                        .param("customerId", "has space")
                        .param("outcome", "MAYBE")
                        .with(AUDITOR))
                .andExpect(status().isOk())
                .andExpect(model().attribute("errors", org.hamcrest.Matchers.aMapWithSize(2)))
                .andExpect(model().attributeDoesNotExist("rows"))
                .andExpect(content().string(containsString("A customer id is 1 to 64 characters")));
    }

    @Test
    void aDecisionPageShowsItAndAnUnknownOrMalformedIdIs404() throws Exception {
        mvc.perform(get("/console/decisions/" + logged.record().decisionId()).with(AUDITOR))
                .andExpect(status().isOk())
                .andExpect(view().name("console/decision"))
                .andExpect(content().string(containsString(customer)));
        mvc.perform(get("/console/decisions/" + UUID.randomUUID()).with(AUDITOR))
                .andExpect(status().isNotFound())
                .andExpect(view().name("console/error"));
        mvc.perform(get("/console/decisions/not-a-uuid").with(AUDITOR))
                .andExpect(status().isNotFound())
                .andExpect(model().attribute("detail", containsString("not-a-uuid")));
    }

    @Test
    void aReplayFromThePageButtonAnswersItsResultAlone() throws Exception {
        MvcResult result = mvc.perform(
                        post("/console/decisions/" + logged.record().decisionId() + "/replay")
                                .header("HX-Request", "true")
                                .with(AUDITOR)
                                .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(view().name("console/decision :: replay"))
                .andReturn();

        Replays.Replay replay =
                (Replays.Replay) result.getModelAndView().getModel().get("replay");
        assertThat(replay.identical()).isTrue();
    }

    @Test
    void anExportIsTheCsvOfTheSearch() throws Exception {
        MvcResult started = mvc.perform(get("/console/decisions/export")
                        .param("customerId", customer)
                        .with(AUDITOR))
                .andExpect(request().asyncStarted())
                .andReturn();

        mvc.perform(asyncDispatch(started))
                .andExpect(status().isOk())
                .andExpect(content().contentType("text/csv;charset=UTF-8"))
                .andExpect(header().string("Content-Disposition", containsString("credit-decisions.csv")))
                .andExpect(content().string(containsString(AuditFormats.CSV_HEADER)));
        // who looked: the console person, recorded before the download began; the customer by their reference
        assertThat(jdbc.sql("SELECT COUNT(*) FROM access_log WHERE actor = 'demo-auditor-person' AND action = 'EXPORT'"
                                + " AND parameters = ?")
                        .param("customerId="
                                + java.net.URLEncoder.encode(
                                        jdbc.sql("SELECT MAX(customer_id) FROM decision_log WHERE decision_id = ?")
                                                .param(logged.record().decisionId())
                                                .query(String.class)
                                                .single(),
                                        java.nio.charset.StandardCharsets.UTF_8))
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void theChainIsVerifiedInPlaceAndABadWindowIsSaid() throws Exception {
        MvcResult result = mvc.perform(get("/console/audit/verify")
                        .header("HX-Request", "true")
                        .with(AUDITOR))
                .andExpect(status().isOk())
                .andExpect(view().name("console/decisions :: verification"))
                .andReturn();
        assertThat(((ChainReport) result.getModelAndView().getModel().get("verification")).valid())
                .isTrue();
        mvc.perform(get("/console/audit/verify")
                        .param("from", "monday")
                        .header("HX-Request", "true")
                        .with(AUDITOR))
                .andExpect(status().isOk())
                .andExpect(model().attributeExists("verifyError"));
    }

    @Test
    void onlyAuditorsSeeDecisionsAndAReplayNeedsItsCsrfToken() throws Exception {
        for (String role : new String[] {"ANALYST", "RULE_AUTHOR", "APPROVER"}) {
            mvc.perform(get("/console/decisions").with(user("someone").roles(role)))
                    .andExpect(status().isForbidden())
                    .andExpect(forwardedUrl("/console/denied"));
        }
        mvc.perform(post("/console/decisions/" + logged.record().decisionId() + "/replay")
                        .with(AUDITOR))
                .andExpect(status().isForbidden())
                .andExpect(forwardedUrl("/console/denied"));
    }
}
