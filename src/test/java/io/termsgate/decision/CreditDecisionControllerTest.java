package io.termsgate.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.termsgate.audit.DecisionLog;
import io.termsgate.creditline.CreditLines;
import io.termsgate.creditline.CreditLinesForTests;
import io.termsgate.engine.DecisionEngine;
import io.termsgate.referral.ReferralsForTests;
import io.termsgate.ruleset.ActiveRuleset;
import io.termsgate.support.ControllerSliceTest;
import io.termsgate.support.DatabaseCable;
import io.termsgate.support.PolicyExamples;
import java.time.Clock;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Checkout's endpoint, its HTTP contract only: statuses, Location, Idempotency-Key, problems for bad input, and who
 * may call it. The decision service, the live default ruleset and the decision log behind it are real.
 */
@ControllerSliceTest(CreditDecisionController.class)
class CreditDecisionControllerTest {

    static final String PATH = "/api/v1/credit-decisions";
    static final String CHECKOUT = "demo-checkout";

    @TestConfiguration(proxyBeanMethods = false)
    static class Service {
        @Bean
        CreditDecisionService creditDecisionService(
                ActiveRuleset rulesets,
                DecisionLog log,
                DataSource dataSource,
                Clock clock,
                DecisionEngine engine,
                MeterRegistry meters) {
            CreditLines creditLines = CreditLinesForTests.on(dataSource, log, clock);
            return new CreditDecisionService(
                    rulesets,
                    log,
                    creditLines,
                    ReferralsForTests.on(dataSource, log, creditLines, rulesets, clock),
                    new DecisionIds(),
                    clock,
                    engine,
                    new DecisionMetrics(meters),
                    io.termsgate.shadow.ShadowEvaluations.NONE);
        }
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    DecisionLog decisionLog;

    @Autowired
    DatabaseCable database;

    static String request(String customerId) {
        return PolicyExamples.byCustomerId(customerId).request().toString();
    }

    static MockHttpServletRequestBuilder decide(String key, String body) {
        MockHttpServletRequestBuilder post =
                post(PATH).contentType(MediaType.APPLICATION_JSON).content(body);
        return key == null ? post : post.header("X-API-Key", key);
    }

    JsonNode json(MvcResult result) throws Exception {
        return PolicyExamples.JSON.readTree(result.getResponse().getContentAsString());
    }

    @Test
    void aDecisionIs201WithItsLocationAndTheExpectedResult() throws Exception {
        PolicyExamples.Example example = PolicyExamples.byCustomerId("EX-01");

        MvcResult result = mvc.perform(decide(CHECKOUT, example.request().toString()))
                .andExpect(status().isCreated())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andReturn();

        JsonNode body = json(result);
        String id = body.get("decisionId").asText();
        assertThat(result.getResponse().getHeader("Location")).isEqualTo(PATH + "/" + id);
        assertThat(body.get("outcome")).isEqualTo(example.expected().get("outcome"));
        assertThat(body.get("approvalRoute")).isEqualTo(example.expected().get("approvalRoute"));
        assertThat(decisionLog.find(UUID.fromString(id)))
                .as("answered only once logged")
                .isPresent();
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyIs200WithTheOriginalDecision() throws Exception {
        String key = UUID.randomUUID().toString();
        MvcResult first = mvc.perform(decide(CHECKOUT, request("EX-02")).header("Idempotency-Key", key))
                .andExpect(status().isCreated())
                .andReturn();

        MvcResult retry = mvc.perform(decide(CHECKOUT, request("EX-02")).header("Idempotency-Key", key))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andReturn();

        assertThat(retry.getResponse().getContentAsString())
                .isEqualTo(first.getResponse().getContentAsString());
        assertThat(retry.getResponse().getHeader("Location"))
                .isEqualTo(first.getResponse().getHeader("Location"));
    }

    @Test
    void theSameIdempotencyKeyForAnotherRequestIs422NamingTheOriginal() throws Exception {
        String key = UUID.randomUUID().toString();
        String original = json(mvc.perform(decide(CHECKOUT, request("EX-01")).header("Idempotency-Key", key))
                        .andExpect(status().isCreated())
                        .andReturn())
                .get("decisionId")
                .asText();

        mvc.perform(decide(CHECKOUT, request("EX-03")).header("Idempotency-Key", key))
                .andExpect(status().isUnprocessableEntity())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/idempotency-key-reused"))
                .andExpect(jsonPath("$.title").value("Idempotency-Key reused"))
                .andExpect(jsonPath("$.status").value(422))
                .andExpect(jsonPath("$.originalDecisionId").value(original));
    }

    @Test
    void anIdempotencyKeyThatIsNotVisibleAsciiIs400NamingTheHeader() throws Exception {
        for (String key : new String[] {"has space", "x".repeat(256), "ü"}) {
            mvc.perform(decide(CHECKOUT, request("EX-01")).header("Idempotency-Key", key))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.type").value("/problems/invalid-request"))
                    .andExpect(jsonPath("$.title").value("Invalid decision request"))
                    .andExpect(jsonPath("$.errors[0].field").value("Idempotency-Key"));
        }
    }

    @Test
    void everyBadFieldIsNamedInOne400Problem() throws Exception {
        ObjectNode request = PolicyExamples.byCustomerId("EX-01").request().deepCopy();
        ((ObjectNode) request.get("customer")).put("country", "XX");
        ((ObjectNode) request.get("order")).put("requestedTermDays", -5);

        mvc.perform(decide(CHECKOUT, request.toString()))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/invalid-request"))
                .andExpect(jsonPath("$.detail").value("2 fields are invalid"))
                .andExpect(jsonPath("$.errors[*].field")
                        .value(org.hamcrest.Matchers.containsInAnyOrder(
                                "customer.country", "order.requestedTermDays")));
    }

    @Test
    void aBodyThatIsNotJsonIs400MalformedJsonWithWhereItBroke() throws Exception {
        mvc.perform(decide(CHECKOUT, "{\"customer\": {"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/malformed-json"))
                .andExpect(jsonPath("$.title").value("Malformed JSON"))
                .andExpect(jsonPath("$.detail").value(containsString("line 1")));
    }

    @Test
    void anEmptyBodyIs400SayingAnObjectIsRequired() throws Exception {
        mvc.perform(decide(CHECKOUT, ""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("/problems/malformed-json"))
                .andExpect(jsonPath("$.detail").value("The request body is empty; a JSON object is required"));
    }

    @Test
    void aBodyThatIsNotDeclaredJsonIs415() throws Exception {
        mvc.perform(post(PATH)
                        .header("X-API-Key", CHECKOUT)
                        .contentType(MediaType.TEXT_PLAIN)
                        .content(request("EX-01")))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/unsupported-media-type"));
    }

    @Test
    void askingForAnythingButJsonIs406() throws Exception {
        mvc.perform(decide(CHECKOUT, request("EX-01")).accept("text/csv"))
                .andExpect(status().isNotAcceptable())
                .andExpect(jsonPath("$.type").value("/problems/not-acceptable"));
    }

    @Test
    void aBodyOverTheJsonCapIs413BeforeAnythingReadsIt() throws Exception {
        byte[] huge = new byte[64 * 1024 + 1];
        java.util.Arrays.fill(huge, (byte) ' ');

        mvc.perform(post(PATH)
                        .header("X-API-Key", CHECKOUT)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(huge))
                .andExpect(status().isPayloadTooLarge())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/payload-too-large"));
    }

    @Test
    void withoutAKeyTheAnswerIs401ProblemNamingTheHeader() throws Exception {
        mvc.perform(decide(null, request("EX-01")))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(header().string("WWW-Authenticate", startsWith("ApiKey")))
                .andExpect(jsonPath("$.type").value("/problems/unauthenticated"))
                .andExpect(jsonPath("$.detail").value(containsString("X-API-Key")));
    }

    @Test
    void anUnknownKeyIs401() throws Exception {
        mvc.perform(decide("not-a-key", request("EX-01")))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.title").value("Authentication required"));
    }

    @Test
    void onlyTheCheckoutRoleMayDecide() throws Exception {
        for (String key : new String[] {"demo-auditor", "demo-analyst", "demo-approver", "demo-operator"}) {
            mvc.perform(decide(key, request("EX-01")))
                    .andExpect(status().isForbidden())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.type").value("/problems/forbidden"))
                    .andExpect(jsonPath("$.detail").value(containsString(key)));
        }
    }

    @Test
    void whenTheLogCannotTakeTheDecisionTheAnswerIs503WithRetryAfterAndNoDecision() throws Exception {
        String key = UUID.randomUUID().toString();
        database.cut();
        try {
            mvc.perform(decide(CHECKOUT, request("EX-01")).header("Idempotency-Key", key))
                    .andExpect(status().isServiceUnavailable())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(header().string("Retry-After", "1"))
                    .andExpect(jsonPath("$.type").value("/problems/service-unavailable"))
                    .andExpect(jsonPath("$.title").value("Decision log unavailable"))
                    .andExpect(jsonPath("$.detail").value(containsString("with the same Idempotency-Key")));
        } finally {
            database.restore();
        }

        mvc.perform(decide(CHECKOUT, request("EX-01")).header("Idempotency-Key", key))
                .andExpect(status().isCreated());
    }
}
