package io.termsgate.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.termsgate.support.Applications;
import io.termsgate.support.ControllerSliceTest;
import io.termsgate.support.DefaultRuleset;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The auditors' API, its HTTP contract only: a decision's record, search, CSV export, replay and verification, the
 * problems for bad ids and parameters, and that only auditors get in. The decision log behind it is real.
 */
@ControllerSliceTest(AuditController.class)
class AuditControllerTest {

    static final String DECISIONS = "/api/v1/credit-decisions";
    static final String AUDITOR = "demo-auditor";

    @Autowired
    MockMvc mvc;

    @Autowired
    DecisionLog decisionLog;

    LoggedDecision logged;
    String customer;

    @BeforeEach
    void aLoggedDecision() {
        customer = "AUD-" + UUID.randomUUID().toString().substring(0, 8);
        logged = AuditSlice.decideAndLog(
                decisionLog, Applications.typical().id(customer).build(), DefaultRuleset.DECISION_TIME);
    }

    static MockHttpServletRequestBuilder as(String key, MockHttpServletRequestBuilder request) {
        return key == null ? request : request.header("X-API-Key", key);
    }

    @Test
    void aDecisionsRecordIsItsLoggedTextWithItsPlaceInTheChain() throws Exception {
        UUID id = logged.record().decisionId();

        mvc.perform(as(AUDITOR, get(DECISIONS + "/" + id)))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.decisionId").value(id.toString()))
                .andExpect(jsonPath("$.seq").value(logged.seq()))
                .andExpect(jsonPath("$.customerId").value(customer))
                .andExpect(jsonPath("$.request.customer.id").value(customer))
                .andExpect(jsonPath("$.result.outcome").value(logged.record().outcome()))
                .andExpect(jsonPath("$.hash").value(logged.hash()));
    }

    @Test
    void anUnknownDecisionIs404Problem() throws Exception {
        UUID nobody = UUID.randomUUID();

        mvc.perform(as(AUDITOR, get(DECISIONS + "/" + nobody)))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/not-found"))
                .andExpect(jsonPath("$.detail").value(containsString(nobody.toString())));
    }

    @Test
    void anIdThatIsNotAUuidIs400NamingIt() throws Exception {
        mvc.perform(as(AUDITOR, get(DECISIONS + "/not-a-uuid")))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/invalid-request"))
                .andExpect(jsonPath("$.title").value("Invalid decision id"))
                .andExpect(jsonPath("$.errors[0].field").value("decisionId"));
    }

    @Test
    void aSearchPagesTheMatchesNewestFirst() throws Exception {
        LoggedDecision later = AuditSlice.decideAndLog(
                decisionLog, Applications.typical().id(customer).build(), DefaultRuleset.DECISION_TIME.plusSeconds(60));

        mvc.perform(as(AUDITOR, get(DECISIONS).param("customerId", customer).param("size", "1")))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.totalItems").value(2))
                .andExpect(jsonPath("$.totalPages").value(2))
                .andExpect(jsonPath("$.size").value(1))
                .andExpect(jsonPath("$.items.length()").value(1))
                .andExpect(jsonPath("$.items[0].decisionId")
                        .value(later.record().decisionId().toString()));
    }

    @Test
    void everyBadSearchParameterIsNamedInOne400Problem() throws Exception {
        mvc.perform(as(
                        AUDITOR,
                        get(DECISIONS)
                                .param("customerId", "has space")
                                .param("from", "yesterday")
                                .param("outcome", "MAYBE")
                                .param("rulesetVersion", "v1")
                                .param("page", "-1")
                                .param("size", "201")))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Invalid search"))
                .andExpect(jsonPath("$.detail").value("6 fields are invalid"))
                .andExpect(jsonPath("$.errors[*].field")
                        .value(containsInAnyOrder("customerId", "from", "outcome", "rulesetVersion", "page", "size")));
    }

    @Test
    void aWindowThatEndsBeforeItStartsIs400OnTo() throws Exception {
        mvc.perform(as(
                        AUDITOR,
                        get(DECISIONS).param("from", "2026-11-02T00:00:00Z").param("to", "2026-11-01T00:00:00Z")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("to"))
                .andExpect(jsonPath("$.errors[0].message").value("must be after from"));
    }

    @Test
    void anExportIsACsvDownloadOfTheSearch() throws Exception {
        MvcResult started = mvc.perform(as(AUDITOR, get(DECISIONS + "/export").param("customerId", customer)))
                .andExpect(request().asyncStarted())
                .andReturn();

        MvcResult done = mvc.perform(asyncDispatch(started))
                .andExpect(status().isOk())
                .andExpect(content().contentType("text/csv;charset=UTF-8"))
                .andExpect(header().string("Content-Disposition", "attachment; filename=\"credit-decisions.csv\""))
                .andReturn();
        String csv = done.getResponse().getContentAsString();
        assertThat(csv).startsWith(DecisionExport.HEADER);
        assertThat(csv.lines()).hasSize(3);
        assertThat(csv).contains(logged.record().decisionId().toString());
        // it ends with its count and last hash: a file cut short shows
        assertThat(csv).endsWith("#end,rows=1,last_hash=" + logged.hash() + "\r\n");
        // no async timeout cuts a long export (the container's default is 30 s): <= 0 is none
        assertThat(started.getRequest().getAsyncContext().getTimeout()).isLessThanOrEqualTo(0);
    }

    @Test
    void anExportAsJsonEndsWithItsCountAndLastHash() throws Exception {
        MvcResult started = mvc.perform(as(
                        AUDITOR,
                        get(DECISIONS + "/export").param("customerId", customer).param("format", "json")))
                .andExpect(request().asyncStarted())
                .andReturn();

        mvc.perform(asyncDispatch(started))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(header().string("Content-Disposition", "attachment; filename=\"credit-decisions.json\""))
                .andExpect(jsonPath("$.records.length()").value(1))
                .andExpect(jsonPath("$.records[0].decisionId")
                        .value(logged.record().decisionId().toString()))
                .andExpect(jsonPath("$.records[0].canonical")
                        .value(LoggedDecision.canonical(logged.seq(), logged.record())))
                .andExpect(jsonPath("$.rows").value(1))
                .andExpect(jsonPath("$.lastHash").value(logged.hash()));
    }

    @Test
    void aBadExportSearchIs400BeforeAnythingIsStreamed() throws Exception {
        mvc.perform(as(AUDITOR, get(DECISIONS + "/export").param("outcome", "MAYBE")))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("outcome"));
    }

    @Test
    void aReplayUnderItsOwnVersionIsIdentical() throws Exception {
        UUID id = logged.record().decisionId();

        mvc.perform(as(AUDITOR, post(DECISIONS + "/" + id + "/replay")))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.decisionId").value(id.toString()))
                .andExpect(jsonPath("$.identical").value(true))
                .andExpect(jsonPath("$.traceIdentical").value(true))
                .andExpect(jsonPath("$.replayedRulesetVersion")
                        .value(DefaultRuleset.compiled().version()));
    }

    @Test
    void aReplayUnderAVersionThatIsNotOneIs400AndUnderAnUnknownOne404() throws Exception {
        String replay = DECISIONS + "/" + logged.record().decisionId() + "/replay";

        mvc.perform(as(AUDITOR, post(replay).param("rulesetVersion", "latest")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("rulesetVersion"));
        mvc.perform(as(AUDITOR, post(replay).param("rulesetVersion", "sha256:" + "0".repeat(64))))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value("/problems/not-found"))
                .andExpect(jsonPath("$.detail").value(containsString("No stored ruleset version")));
    }

    @Test
    void theChainVerifiesOverAWindow() throws Exception {
        Instant from = DefaultRuleset.DECISION_TIME.minusSeconds(1);

        mvc.perform(as(
                        AUDITOR,
                        get("/api/v1/audit/verify")
                                .param("from", from.toString())
                                .param("to", from.plusSeconds(3600).toString())))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.valid").value(true));
    }

    @Test
    void aVerificationWindowThatIsNotInstantsIs400() throws Exception {
        mvc.perform(as(AUDITOR, get("/api/v1/audit/verify").param("from", "monday")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.title").value("Invalid verification window"))
                .andExpect(jsonPath("$.errors[0].field").value("from"));
    }

    @Test
    void onlyAuditorsMayReadReplayOrVerify() throws Exception {
        String id = logged.record().decisionId().toString();
        for (String key : new String[] {"demo-checkout", "demo-analyst", "demo-approver", "demo-operator"}) {
            mvc.perform(as(key, get(DECISIONS + "/" + id)))
                    .andExpect(status().isForbidden())
                    .andExpect(jsonPath("$.type").value("/problems/forbidden"));
            mvc.perform(as(key, get(DECISIONS).param("customerId", customer))).andExpect(status().isForbidden());
            mvc.perform(as(key, post(DECISIONS + "/" + id + "/replay"))).andExpect(status().isForbidden());
            mvc.perform(as(key, get("/api/v1/audit/verify"))).andExpect(status().isForbidden());
        }
        mvc.perform(get(DECISIONS + "/" + id))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.type").value("/problems/unauthenticated"));
    }
}
