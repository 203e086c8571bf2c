package io.termsgate.console;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
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

import io.termsgate.referral.ReferralSlice;
import io.termsgate.ruleset.ActiveRuleset;
import io.termsgate.support.ControllerSliceTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Signing in, the overview and the page that says no, through the console's real form login and role checks: who
 * gets in, where the others are sent, the headers every page carries.
 */
@ControllerSliceTest(ConsolePages.class)
@Import({ConsoleSlice.class, ReferralSlice.class})
class ConsolePagesTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    ActiveRuleset active;

    @Test
    void theSignInPageIsOpenAndNamesTheDemoPeople() throws Exception {
        mvc.perform(get("/console/login"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("text/html"))
                .andExpect(content().string(containsString("demo-auditor-person")));
    }

    @Test
    void aPersonSignsInWithNameAndPasswordAndLandsOnTheOverview() throws Exception {
        mvc.perform(formLogin("/console/login").user("demo-auditor-person").password("demo-auditor-pass"))
                .andExpect(redirectedUrl("/console"))
                .andExpect(authenticated().withUsername("demo-auditor-person").withRoles("AUDITOR"));
    }

    @Test
    void aWrongPasswordIsSentBackToSignIn() throws Exception {
        mvc.perform(formLogin("/console/login").user("demo-auditor-person").password("guess"))
                .andExpect(redirectedUrl("/console/login?failed"))
                .andExpect(unauthenticated());
    }

    @Test
    void withoutSigningInAPageRedirectsToSignInAndABackgroundRequestIs401() throws Exception {
        mvc.perform(get("/console")).andExpect(status().isFound()).andExpect(redirectedUrlPattern("**/console/login"));
        mvc.perform(get("/console").header("HX-Request", "true"))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("HX-Redirect", "/console/login"));
    }

    @Test
    void theOverviewShowsTheLiveVersionWithTheConsolesSecurityHeaders() throws Exception {
        mvc.perform(get("/console").with(user("demo-analyst-person").roles("ANALYST")))
                .andExpect(status().isOk())
                .andExpect(view().name("console/overview"))
                .andExpect(model().attributeExists("overview"))
                .andExpect(content().string(containsString(io.termsgate.ruleset.RulesetSlice.LOADED_BY)))
                .andExpect(header().string("Content-Security-Policy", ConsoleSecurityConfig.CONTENT_SECURITY_POLICY))
                .andExpect(header().string("X-Frame-Options", "DENY"));
    }

    @Test
    void theDeniedPageIs403() throws Exception {
        mvc.perform(get("/console/denied").with(user("demo-analyst-person").roles("ANALYST")))
                .andExpect(status().isForbidden())
                .andExpect(view().name("console/error"))
                .andExpect(model().attribute("title", "Not allowed"));
    }

    @Test
    void aFormSentWithoutItsCsrfTokenIsRefused() throws Exception {
        mvc.perform(post("/console/logout").with(user("demo-analyst-person").roles("ANALYST")))
                .andExpect(status().isForbidden())
                .andExpect(forwardedUrl("/console/denied"));
    }
}
