package io.termsgate.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.forwardedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.model;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;

import io.termsgate.creditline.CreditLineSlice;
import io.termsgate.creditline.CreditLines;
import io.termsgate.creditline.LineView;
import io.termsgate.creditline.OrderView;
import io.termsgate.security.BuyerAccess;
import io.termsgate.security.Role;
import io.termsgate.support.ControllerSliceTest;
import jakarta.servlet.DispatcherType;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.csrf.MissingCsrfTokenException;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * The buyers' portal through its own real form login and role check: a buyer signs in with name and password and
 * sees its own line and orders (the line and decisions behind it are real, EX-01's for the demo buyer), the
 * business's people are refused the portal and buyers the console, and signing out ends the session.
 */
@ControllerSliceTest(PortalPages.class)
@Import({ConsoleSlice.class, PortalSecurityConfig.class, CreditLineSlice.class})
class PortalPagesTest {

    /** Bound to EX-01 in the test profile. */
    static final String BUYER = "demo-buyer-person";

    static final String BUYER_PASSWORD = "demo-buyer-pass";
    static final String ANALYST = "demo-analyst-person";
    static final String ANALYST_PASSWORD = "demo-analyst-pass";

    @Autowired
    MockMvc mvc;

    @Autowired
    CreditLines creditLines;

    /** Signs in on the portal's form and answers the session it started. */
    MockHttpSession signIn(String name, String password, String landing) throws Exception {
        MvcResult signedIn = mvc.perform(formLogin("/portal/login").user(name).password(password))
                .andExpect(redirectedUrl(landing))
                .andExpect(authenticated().withUsername(name))
                .andReturn();
        return (MockHttpSession) signedIn.getRequest().getSession(false);
    }

    @Test
    void theSignInPageIsOpenAndNamesTheDemoBuyersOnly() throws Exception {
        mvc.perform(get("/portal/login"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("text/html"))
                .andExpect(view().name("portal/login"))
                .andExpect(content().string(containsString(BUYER)))
                .andExpect(content().string(not(containsString(ANALYST))))
                .andExpect(content().string(containsString("name=\"_csrf\"")));
    }

    @Test
    void aBuyerSignsInWithNameAndPasswordAndLandsOnThePortal() throws Exception {
        mvc.perform(formLogin("/portal/login").user(BUYER).password(BUYER_PASSWORD))
                .andExpect(redirectedUrl("/portal"))
                .andExpect(authenticated()
                        .withUsername(BUYER)
                        .withAuthentication(who -> assertThat(BuyerAccess.customerOf(who))
                                .as("bound to its customer")
                                .contains("EX-01")));
    }

    @Test
    void aWrongPasswordOrAFormWithoutItsCsrfTokenSignsNobodyIn() throws Exception {
        mvc.perform(formLogin("/portal/login").user(BUYER).password("guess"))
                .andExpect(redirectedUrl("/portal/login?failed"))
                .andExpect(unauthenticated());
        mvc.perform(post("/portal/login").param("username", BUYER).param("password", BUYER_PASSWORD))
                .andExpect(status().isForbidden())
                .andExpect(forwardedUrl("/portal/denied"))
                .andExpect(unauthenticated());
    }

    @Test
    void thePortalShowsTheSignedInBuyersOwnLineAndOrders() throws Exception {
        String orderId = "SO-" + UUID.randomUUID().toString().substring(0, 8);
        CreditLines.Decision placed = CreditLineSlice.order(creditLines, "EX-01", orderId, "1234.50");
        MockHttpSession session = signIn(BUYER, BUYER_PASSWORD, "/portal");

        MvcResult page = mvc.perform(get("/portal").session(session))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("text/html"))
                .andExpect(view().name("portal/line"))
                .andExpect(model().attribute("customerId", "EX-01"))
                .andExpect(content().string(containsString("id=\"customer-id\">EX-01<")))
                .andExpect(content().string(containsString("id=\"signed-in-as\">" + BUYER + "<")))
                .andExpect(content().string(containsString("<td>" + orderId + "</td>")))
                .andExpect(content().string(not(containsString("id=\"no-line\""))))
                .andExpect(header().string("Content-Security-Policy", ConsoleSecurityConfig.CONTENT_SECURITY_POLICY))
                .andExpect(header().string("X-Frame-Options", "DENY"))
                .andReturn();

        LineView line = (LineView) page.getModelAndView().getModel().get("line");
        assertThat(line.customerId()).isEqualTo("EX-01");
        assertThat(line.currency()).isEqualTo("EUR");
        assertThat(line.limit()).isEqualByComparingTo("400000");
        assertThat(line.openHolds())
                .extracting(h -> h.id())
                .contains(placed.hold().id());
        OrderView.Page orders =
                (OrderView.Page) page.getModelAndView().getModel().get("orders");
        assertThat(orders.items()).extracting(OrderView::orderId).contains(orderId);
    }

    @Autowired
    io.termsgate.creditline.TermsSuspensions suspensions;

    @Test
    void aBuyerWhoseTermsDunningSuspendedIsToldSoUntilTheyAreLifted() throws Exception {
        String customer = "SUSP-" + UUID.randomUUID().toString().substring(0, 8);
        var buyer = new UsernamePasswordAuthenticationToken(
                "suspended-buyer-person",
                null,
                List.of(new SimpleGrantedAuthority(Role.BUYER.authority()), BuyerAccess.customer(customer)));
        java.time.Instant at = java.time.Instant.parse("2026-12-01T10:00:00Z");
        suspensions
                .fromDunning(customer, true, UUID.randomUUID(), "demo-client", at)
                .run();

        mvc.perform(get("/portal").with(authentication(buyer)))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("id=\"terms-suspended\"")))
                .andExpect(content().string(containsString("2026-12-01 10:00:00 UTC")));

        suspensions
                .fromDunning(customer, false, UUID.randomUUID(), "demo-client", at.plusSeconds(60))
                .run();
        mvc.perform(get("/portal").with(authentication(buyer)))
                .andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.not(containsString("id=\"terms-suspended\""))));
    }

    @Test
    void aBuyerWithoutDecisionsYetIsToldItHasNoLine() throws Exception {
        String customer = "NEW-" + UUID.randomUUID().toString().substring(0, 8);
        var newBuyer = new UsernamePasswordAuthenticationToken(
                "new-buyer-person",
                null,
                List.of(new SimpleGrantedAuthority(Role.BUYER.authority()), BuyerAccess.customer(customer)));

        mvc.perform(get("/portal").with(authentication(newBuyer)))
                .andExpect(status().isOk())
                .andExpect(model().attribute("customerId", customer))
                .andExpect(content().string(containsString("id=\"no-line\"")))
                .andExpect(content().string(containsString("id=\"no-orders\"")));
    }

    @Test
    void thePortalWithoutSigningInRedirectsToThePortalsSignIn() throws Exception {
        mvc.perform(get("/portal")).andExpect(status().isFound()).andExpect(redirectedUrlPattern("**/portal/login"));
        // an API key is no way into the portal
        mvc.perform(get("/portal").header("X-API-Key", "demo-buyer"))
                .andExpect(status().isFound())
                .andExpect(redirectedUrlPattern("**/portal/login"));
    }

    @Test
    void aStaffPersonIsSentToTheConsoleAndRefusedThePortal() throws Exception {
        MockHttpSession session = signIn(ANALYST, ANALYST_PASSWORD, "/console");

        mvc.perform(get("/portal").session(session))
                .andExpect(status().isForbidden())
                .andExpect(forwardedUrl("/portal/denied"));
    }

    @Test
    void aBuyerIsRefusedTheConsole() throws Exception {
        MockHttpSession session = signIn(BUYER, BUYER_PASSWORD, "/portal");

        mvc.perform(get("/console").session(session))
                .andExpect(status().isForbidden())
                .andExpect(forwardedUrl("/console/denied"));
        mvc.perform(get("/console/decisions").session(session)).andExpect(status().isForbidden());
    }

    /** Where a refusal is forwarded: MockMvc does not follow a forward, so these requests are forwarded ones. */
    @Test
    void theDeniedPageIs403AndSaysWhyForAPersonAndForAFormWithoutItsToken() throws Exception {
        MockHttpSession session = signIn(ANALYST, ANALYST_PASSWORD, "/console");

        mvc.perform(get("/portal/denied").session(session).with(forwarded()))
                .andExpect(status().isForbidden())
                .andExpect(view().name("portal/error"))
                .andExpect(model().attribute("title", "Not allowed"))
                .andExpect(content().string(containsString("This page is for buyers")));
        mvc.perform(get("/portal/denied")
                        .with(forwarded())
                        .requestAttr(WebAttributes.ACCESS_DENIED_403, new MissingCsrfTokenException(null)))
                .andExpect(status().isForbidden())
                .andExpect(model().attribute("title", "Form expired"));
        // asked for directly, it is a portal page like the others: for buyers only
        mvc.perform(get("/portal/denied").session(session))
                .andExpect(status().isForbidden())
                .andExpect(forwardedUrl("/portal/denied"));
    }

    static RequestPostProcessor forwarded() {
        return request -> {
            request.setDispatcherType(DispatcherType.FORWARD);
            return request;
        };
    }

    @Test
    void signingOutEndsTheSessionAndNeedsTheCsrfToken() throws Exception {
        MockHttpSession session = signIn(BUYER, BUYER_PASSWORD, "/portal");

        mvc.perform(post("/portal/logout").session(session))
                .andExpect(status().isForbidden())
                .andExpect(forwardedUrl("/portal/denied"));
        mvc.perform(get("/portal").session(session)).andExpect(status().isOk());

        mvc.perform(post("/portal/logout").session(session).with(csrf()))
                .andExpect(redirectedUrl("/portal/login?signedout"))
                .andExpect(unauthenticated());
        assertThat(session.isInvalid()).isTrue();
        mvc.perform(get("/portal")).andExpect(redirectedUrlPattern("**/portal/login"));
    }
}
