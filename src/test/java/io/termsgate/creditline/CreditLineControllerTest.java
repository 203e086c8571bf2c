package io.termsgate.creditline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.termsgate.support.ControllerSliceTest;
import io.termsgate.support.DatabaseCable;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * A buyer's credit line over HTTP, its contract only: the line and its orders, capture and release of a hold, the
 * ledger's check, the problems for bad input and closed holds, and who may read or change which line. The holds are
 * placed by real decisions under the default ruleset (EX-01's application: a policy limit of 400,000); the lines,
 * the ledger and the decision log behind the controller are real.
 */
@ControllerSliceTest(CreditLineController.class)
@Import(CreditLineSlice.class)
class CreditLineControllerTest {

    static final String LINES = "/api/v1/credit-lines/";
    static final String CHECKOUT = "demo-checkout";
    static final String AUDITOR = "demo-auditor";
    /** Bound to EX-01 in the test profile. */
    static final String BUYER = "demo-buyer";

    static final String NOT_A_CUSTOMER_ID = "x".repeat(65);

    @Autowired
    MockMvc mvc;

    @Autowired
    CreditLines creditLines;

    @Autowired
    DatabaseCable database;

    /** Each test's own buyer, so tests share one database without seeing each other. */
    String customer;

    @BeforeEach
    void aBuyerOfItsOwn() {
        customer = "CL-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static MockHttpServletRequestBuilder as(String key, MockHttpServletRequestBuilder request) {
        return key == null ? request : request.header("X-API-Key", key);
    }

    /** An approved order of {@code amount} for this test's buyer: the id of the hold it placed. */
    UUID hold(String orderId, String amount) {
        CreditLines.Decision decision = CreditLineSlice.order(creditLines, customer, orderId, amount);
        assertThat(decision.hold()).as("an approved order holds its amount").isNotNull();
        return decision.hold().id();
    }

    MockHttpServletRequestBuilder capture(UUID hold, String body) {
        return capture(customer, hold.toString(), body);
    }

    static MockHttpServletRequestBuilder capture(String customerId, String hold, String body) {
        MockHttpServletRequestBuilder post = as(CHECKOUT, post(LINES + customerId + "/holds/" + hold + "/capture"));
        return body == null
                ? post
                : post.contentType(MediaType.APPLICATION_JSON).content(body);
    }

    MockHttpServletRequestBuilder release(UUID hold) {
        return as(CHECKOUT, post(LINES + customer + "/holds/" + hold + "/release"));
    }

    @Test
    void aLineIsItsLimitBalanceHeldAvailableAndHolds() throws Exception {
        CreditLines.Decision decision = CreditLineSlice.order(creditLines, customer, "SO-1", "240000");
        UUID hold = decision.hold().id();

        mvc.perform(as(CHECKOUT, get(LINES + customer)))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.customerId").value(customer))
                .andExpect(jsonPath("$.currency").value("EUR"))
                .andExpect(jsonPath("$.limit").value(400000))
                .andExpect(jsonPath("$.balance").value(0))
                .andExpect(jsonPath("$.held").value(240000))
                .andExpect(jsonPath("$.available").value(160000))
                .andExpect(jsonPath("$.holds.length()").value(1))
                .andExpect(jsonPath("$.holds[0].id").value(hold.toString()))
                .andExpect(jsonPath("$.holds[0].orderId").value("SO-1"))
                .andExpect(jsonPath("$.holds[0].amount").value(240000))
                .andExpect(jsonPath("$.holds[0].status").value("OPEN"))
                .andExpect(jsonPath("$.holds[0].capturedAmount").isEmpty())
                .andExpect(jsonPath("$.holds[0].expiresAt").isString())
                .andExpect(jsonPath("$.holds[0].decisionId")
                        .value(decision.logged().record().decisionId().toString()))
                .andExpect(jsonPath("$.snapshot").isEmpty());
    }

    @Test
    void aCustomerWithNoDecisionHoldOrReceivablesIs404Problem() throws Exception {
        mvc.perform(as(CHECKOUT, get(LINES + customer)))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/not-found"))
                .andExpect(jsonPath("$.title").value("Credit line not found"))
                .andExpect(jsonPath("$.detail").value(containsString(customer)));
    }

    @Test
    void aCustomerIdOutsideItsCharactersIs400NamingIt() throws Exception {
        for (String bad : new String[] {NOT_A_CUSTOMER_ID, "a b", "ü"}) {
            mvc.perform(as(CHECKOUT, get(LINES + "{customerId}", bad)))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.type").value("/problems/invalid-request"))
                    .andExpect(jsonPath("$.title").value("Invalid customer id"))
                    .andExpect(jsonPath("$.errors[0].field").value("customerId"));
        }
    }

    @Test
    void theOrdersAreTheBuyersDecisionsNewestFirstWithTheirHoldsAndNoScoring() throws Exception {
        UUID first = hold("SO-1", "100000");
        UUID second = hold("SO-2", "50000");
        mvc.perform(release(first)).andExpect(status().isOk());

        mvc.perform(as(CHECKOUT, get(LINES + customer + "/orders").param("size", "1")))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.totalItems").value(2))
                .andExpect(jsonPath("$.totalPages").value(2))
                .andExpect(jsonPath("$.page").value(0))
                .andExpect(jsonPath("$.size").value(1))
                .andExpect(jsonPath("$.items.length()").value(1))
                .andExpect(jsonPath("$.items[0].orderId").value("SO-2"))
                .andExpect(jsonPath("$.items[0].amount").value(50000))
                .andExpect(jsonPath("$.items[0].currency").value("EUR"))
                .andExpect(jsonPath("$.items[0].outcome").value("APPROVED"))
                .andExpect(jsonPath("$.items[0].creditLimit").value(400000))
                .andExpect(jsonPath("$.items[0].hold.id").value(second.toString()))
                .andExpect(jsonPath("$.items[0].hold.status").value("OPEN"))
                .andExpect(jsonPath("$.items[0].score").doesNotExist())
                .andExpect(jsonPath("$.items[0].reasons").doesNotExist())
                .andExpect(jsonPath("$.items[0].trace").doesNotExist());
        mvc.perform(as(
                        CHECKOUT,
                        get(LINES + customer + "/orders").param("page", "1").param("size", "1")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].orderId").value("SO-1"))
                .andExpect(jsonPath("$.items[0].hold.status").value("RELEASED"));
    }

    @Test
    void everyBadOrdersParameterIsNamedInOne400Problem() throws Exception {
        mvc.perform(as(
                        CHECKOUT,
                        get(LINES + NOT_A_CUSTOMER_ID + "/orders")
                                .param("page", "-1")
                                .param("size", "101")))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Invalid orders request"))
                .andExpect(jsonPath("$.detail").value("3 fields are invalid"))
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("customerId", "page", "size")));
        mvc.perform(as(CHECKOUT, get(LINES + customer + "/orders").param("size", "ten")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("size"));
    }

    @Test
    void aCaptureTakesTheWholeHoldOnceAndThenIs409WithTheHoldsStatus() throws Exception {
        UUID hold = hold("SO-1", "100000");

        mvc.perform(capture(hold, null))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.id").value(hold.toString()))
                .andExpect(jsonPath("$.orderId").value("SO-1"))
                .andExpect(jsonPath("$.status").value("CAPTURED"))
                .andExpect(jsonPath("$.amount").value(100000))
                .andExpect(jsonPath("$.capturedAmount").value(100000))
                .andExpect(jsonPath("$.closedAt").isString());

        mvc.perform(capture(hold, null))
                .andExpect(status().isConflict())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/conflict"))
                .andExpect(jsonPath("$.title").value("Hold is closed"))
                .andExpect(jsonPath("$.holdStatus").value("CAPTURED"));
        mvc.perform(release(hold))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.holdStatus").value("CAPTURED"));
    }

    @Test
    void aPartialCaptureReleasesTheRestOfTheHold() throws Exception {
        UUID hold = hold("SO-1", "100000");

        mvc.perform(capture(hold, "{\"amount\": 60000.50, \"currency\": \"EUR\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("CAPTURED"))
                .andExpect(jsonPath("$.amount").value(100000))
                .andExpect(jsonPath("$.capturedAmount").value(60000.50));

        mvc.perform(as(CHECKOUT, get(LINES + customer)))
                .andExpect(jsonPath("$.held").value(0))
                .andExpect(jsonPath("$.balance").value(60000.50))
                .andExpect(jsonPath("$.available").value(339999.50));
    }

    @Test
    void aReleaseFreesTheHoldOnceAndThenIs409() throws Exception {
        UUID hold = hold("SO-1", "100000");

        mvc.perform(release(hold))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.status").value("RELEASED"))
                .andExpect(jsonPath("$.capturedAmount").isEmpty());
        mvc.perform(as(CHECKOUT, get(LINES + customer)))
                .andExpect(jsonPath("$.held").value(0));

        mvc.perform(release(hold))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.holdStatus").value("RELEASED"));
        mvc.perform(capture(hold, null))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.holdStatus").value("RELEASED"));
    }

    @Test
    void aHoldTheBuyerDoesNotHaveIs404Problem() throws Exception {
        UUID hold = hold("SO-1", "100000");
        UUID unknown = UUID.randomUUID();

        mvc.perform(capture(unknown, null))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/not-found"))
                .andExpect(jsonPath("$.title").value("Hold not found"))
                .andExpect(jsonPath("$.detail").value(containsString(unknown.toString())));
        mvc.perform(release(unknown)).andExpect(status().isNotFound());
        // another buyer's hold is not found either, and the hold is left open
        mvc.perform(capture("CL-other", hold.toString(), null))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.title").value("Hold not found"));
        assertThat(creditLines.hold(customer, hold).orElseThrow().status()).isEqualTo(HoldStatus.OPEN);
    }

    @Test
    void aBadCustomerIdHoldIdAndIdempotencyKeyAreNamedInOne400Problem() throws Exception {
        mvc.perform(capture(NOT_A_CUSTOMER_ID, "not-a-uuid", null).header("Idempotency-Key", "has space"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/invalid-request"))
                .andExpect(jsonPath("$.title").value("Invalid hold request"))
                .andExpect(jsonPath("$.detail").value("3 fields are invalid"))
                .andExpect(jsonPath("$.errors[*].field")
                        .value(containsInAnyOrder("customerId", "holdId", "Idempotency-Key")));
        // a UUID in a form UUID.fromString forgives is not the hold's id either
        mvc.perform(as(CHECKOUT, post(LINES + customer + "/holds/1-1-1-1-1/release")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("holdId"));
        mvc.perform(release(UUID.randomUUID()).header("Idempotency-Key", "x".repeat(256)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("Idempotency-Key"));
    }

    @Test
    void aBadCaptureBodyIs400NamingTheFieldAndCapturesNothing() throws Exception {
        UUID hold = hold("SO-1", "100000");
        String[][] cases = {
            {"{\"amount\": 0}", "amount"},
            {"{\"amount\": -1}", "amount"},
            {"{\"amount\": 1.005}", "amount"},
            {"{\"amount\": 1e400}", "amount"},
            {"{\"amount\": \"12\"}", "amount"},
            {"{\"currency\": \"eur\"}", "currency"},
            {"{\"amount\": 10, \"discount\": 5}", "discount"},
            {"[1, 2]", ""},
            {"12", ""},
        };
        for (String[] c : cases) {
            mvc.perform(capture(hold, c[0]))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.type").value("/problems/invalid-request"))
                    .andExpect(jsonPath("$.title").value("Invalid capture"))
                    .andExpect(jsonPath("$.errors[0].field").value(c[1]));
        }
        mvc.perform(capture(hold, "{\"amount\": 0, \"currency\": 978, \"note\": \"x\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("3 fields are invalid"))
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("amount", "currency", "note")));
        mvc.perform(capture(hold, "{\"amount\": "))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("/problems/malformed-json"));

        assertThat(creditLines.hold(customer, hold).orElseThrow().status()).isEqualTo(HoldStatus.OPEN);
    }

    @Test
    void aCaptureInAnotherCurrencyOrAboveTheHoldIs422AndCapturesNothing() throws Exception {
        UUID hold = hold("SO-1", "100000");

        mvc.perform(capture(hold, "{\"currency\": \"USD\"}"))
                .andExpect(status().isUnprocessableEntity())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/currency-mismatch"))
                .andExpect(jsonPath("$.title").value("Currency is not the credit line's"))
                .andExpect(jsonPath("$.lineCurrency").value("EUR"));
        mvc.perform(capture(hold, "{\"amount\": 100000.01}"))
                .andExpect(status().isUnprocessableEntity())
                .andExpect(jsonPath("$.type").value("/problems/invalid-request"))
                .andExpect(jsonPath("$.title").value("Capture exceeds the hold"))
                .andExpect(jsonPath("$.holdAmount").value(100000));

        assertThat(creditLines.hold(customer, hold).orElseThrow().status()).isEqualTo(HoldStatus.OPEN);
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyAnswersTheSameAndTheKeyCannotServeAnotherTransition() throws Exception {
        UUID hold = hold("SO-1", "100000");

        String first = mvc.perform(capture(hold, "{\"amount\": 40000}").header("Idempotency-Key", "inv-1"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String retry = mvc.perform(capture(hold, "{\"amount\": 40000}").header("Idempotency-Key", "inv-1"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();

        assertThat(retry).isEqualTo(first);
        assertThat(creditLines.history(hold))
                .extracting(LedgerEntry::event)
                .containsExactly("PLACED", "CAPTURED", "RELEASED");
        mvc.perform(release(hold).header("Idempotency-Key", "inv-1"))
                .andExpect(status().isUnprocessableEntity())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/idempotency-key-reused"))
                .andExpect(jsonPath("$.title").value("Idempotency-Key reused"));
        // without the key, the retry is what it is: a second capture of a closed hold
        mvc.perform(capture(hold, "{\"amount\": 40000}")).andExpect(status().isConflict());
    }

    @Test
    void checkoutAndAuditorsReadAnyLineAndItsOrders() throws Exception {
        hold("SO-1", "100000");

        for (String key : new String[] {CHECKOUT, AUDITOR}) {
            mvc.perform(as(key, get(LINES + customer)))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.customerId").value(customer));
            mvc.perform(as(key, get(LINES + customer + "/orders")))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.totalItems").value(1));
        }
        for (String key : new String[] {"demo-analyst", "demo-approver", "demo-operator", "demo-erp"}) {
            mvc.perform(as(key, get(LINES + customer)))
                    .andExpect(status().isForbidden())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.type").value("/problems/forbidden"));
            mvc.perform(as(key, get(LINES + customer + "/orders"))).andExpect(status().isForbidden());
        }
    }

    @Test
    void theBuyerKeyReadsItsOwnLineAndOrdersAndNoOtherCustomers() throws Exception {
        CreditLineSlice.order(creditLines, "EX-01", "SO-" + customer, "1000");
        hold("SO-1", "100000");

        mvc.perform(as(BUYER, get(LINES + "EX-01")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.customerId").value("EX-01"))
                .andExpect(jsonPath("$.currency").value("EUR"));
        mvc.perform(as(BUYER, get(LINES + "EX-01/orders").param("size", "100")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.totalItems").value(greaterThanOrEqualTo(1)))
                .andExpect(jsonPath("$.items[*].orderId").value(hasItem("SO-" + customer)));

        // another customer, existing or not, is refused before anything is read
        for (String other : new String[] {customer, "EX-02", "ex-01"}) {
            mvc.perform(as(BUYER, get(LINES + other)))
                    .andExpect(status().isForbidden())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.type").value("/problems/forbidden"))
                    .andExpect(jsonPath("$.detail").value(containsString(BUYER)));
            mvc.perform(as(BUYER, get(LINES + other + "/orders"))).andExpect(status().isForbidden());
        }
    }

    @Test
    void onlyCheckoutCapturesOrReleasesEvenTheBuyersOwnHold() throws Exception {
        UUID own = CreditLineSlice.order(creditLines, "EX-01", "SO-" + customer, "1000")
                .hold()
                .id();
        UUID hold = hold("SO-1", "100000");

        for (String key : new String[] {BUYER, AUDITOR, "demo-analyst", "demo-approver", "demo-operator", "demo-erp"}) {
            mvc.perform(as(key, post(LINES + "EX-01/holds/" + own + "/capture")))
                    .andExpect(status().isForbidden())
                    .andExpect(jsonPath("$.type").value("/problems/forbidden"));
            mvc.perform(as(key, post(LINES + "EX-01/holds/" + own + "/release")))
                    .andExpect(status().isForbidden());
            mvc.perform(as(key, post(LINES + customer + "/holds/" + hold + "/capture")))
                    .andExpect(status().isForbidden());
        }
        assertThat(creditLines.hold("EX-01", own).orElseThrow().status()).isEqualTo(HoldStatus.OPEN);
        assertThat(creditLines.hold(customer, hold).orElseThrow().status()).isEqualTo(HoldStatus.OPEN);
    }

    @Test
    void withoutAKeyEveryEndpointIs401() throws Exception {
        UUID hold = hold("SO-1", "100000");

        for (MockHttpServletRequestBuilder request : new MockHttpServletRequestBuilder[] {
            get(LINES + customer),
            get(LINES + customer + "/orders"),
            post(LINES + customer + "/holds/" + hold + "/capture"),
            post(LINES + customer + "/holds/" + hold + "/release"),
            get("/api/v1/audit/ledger/verify")
        }) {
            mvc.perform(request)
                    .andExpect(status().isUnauthorized())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.type").value("/problems/unauthenticated"));
        }
        assertThat(creditLines.hold(customer, hold).orElseThrow().status()).isEqualTo(HoldStatus.OPEN);
    }

    @Test
    void theLedgerVerifiesForAuditorsOnly() throws Exception {
        UUID hold = hold("SO-1", "100000");
        mvc.perform(capture(hold, "{\"amount\": 1}")).andExpect(status().isOk());

        mvc.perform(as(AUDITOR, get("/api/v1/audit/ledger/verify")))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.valid").value(true))
                .andExpect(jsonPath("$.checked").value(greaterThanOrEqualTo(3)))
                .andExpect(jsonPath("$.firstInvalidSeq").isEmpty())
                .andExpect(jsonPath("$.problem").isEmpty());
        for (String key : new String[] {CHECKOUT, BUYER, "demo-analyst", "demo-operator", "demo-erp"}) {
            mvc.perform(as(key, get("/api/v1/audit/ledger/verify")))
                    .andExpect(status().isForbidden())
                    .andExpect(jsonPath("$.type").value("/problems/forbidden"));
        }
    }

    @Test
    void whileTheDatabaseIsUnreachableEveryEndpointIs503WithRetryAfter() throws Exception {
        UUID hold = hold("SO-1", "100000");

        database.cut();
        try {
            for (MockHttpServletRequestBuilder request : new MockHttpServletRequestBuilder[] {
                as(CHECKOUT, get(LINES + customer)),
                as(CHECKOUT, get(LINES + customer + "/orders")),
                capture(hold, null),
                release(hold),
                as(AUDITOR, get("/api/v1/audit/ledger/verify"))
            }) {
                mvc.perform(request)
                        .andExpect(status().isServiceUnavailable())
                        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                        .andExpect(header().string("Retry-After", "1"))
                        .andExpect(jsonPath("$.type").value("/problems/service-unavailable"));
            }
        } finally {
            database.restore();
        }

        mvc.perform(capture(hold, null))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("CAPTURED"));
    }
}
