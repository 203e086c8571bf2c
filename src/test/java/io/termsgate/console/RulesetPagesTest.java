package io.termsgate.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.forwardedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.model;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;

import io.termsgate.engine.RulesetProblem;
import io.termsgate.ruleset.ActiveRuleset;
import io.termsgate.support.ControllerSliceTest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * The rulesets pages on the real lifecycle and store: the list, a version, its files, uploads refused on the page
 * with the API's statuses, approve and activate answers as notices, and who may press what.
 */
@ControllerSliceTest(RulesetPages.class)
@Import(ConsoleSlice.class)
class RulesetPagesTest {

    static final RequestPostProcessor ANALYST = user("demo-analyst-person").roles("ANALYST");
    static final RequestPostProcessor APPROVER = user("demo-approver-person").roles("APPROVER");

    @Autowired
    MockMvc mvc;

    @Autowired
    ActiveRuleset active;

    String live;

    @BeforeEach
    void liveVersion() {
        live = active.current().version();
    }

    @Test
    void everyConsoleRoleSeesTheVersions() throws Exception {
        for (String role : new String[] {"ANALYST", "RULE_AUTHOR", "APPROVER", "AUDITOR"}) {
            mvc.perform(get("/console/rulesets").with(user("someone").roles(role)))
                    .andExpect(status().isOk())
                    .andExpect(view().name("console/rulesets"))
                    .andExpect(model().attribute("live", live));
        }
    }

    @Test
    void aVersionPageShowsItsFilesAndAnUnknownVersionIs404() throws Exception {
        mvc.perform(get("/console/rulesets/" + live).with(ANALYST))
                .andExpect(status().isOk())
                .andExpect(view().name("console/ruleset"))
                .andExpect(content().string(containsString("rules/knockouts.drl")));
        mvc.perform(get("/console/rulesets/sha256:" + "0".repeat(64)).with(ANALYST))
                .andExpect(status().isNotFound())
                .andExpect(view().name("console/error"));
    }

    @Test
    void aFileIsADownload() throws Exception {
        mvc.perform(get("/console/rulesets/" + live + "/files/decision-tables/credit-terms.dmn")
                        .with(ANALYST))
                .andExpect(status().isOk())
                .andExpect(content().contentType("application/xml"))
                .andExpect(header().string("Content-Disposition", "attachment; filename=\"credit-terms.dmn\""));
    }

    @Test
    void anUploadWithoutAFileIs422OnThePage() throws Exception {
        mvc.perform(multipart("/console/rulesets").with(ANALYST).with(csrf()))
                .andExpect(status().isUnprocessableEntity())
                .andExpect(view().name("console/rulesets"))
                .andExpect(content().string(containsString("choose the changed files")));
    }

    @Test
    void anAnalystChangingRuleLogicIs403OnThePageNamingTheFile() throws Exception {
        MvcResult result = mvc.perform(multipart("/console/rulesets")
                        .file(new MockMultipartFile(
                                "files", "rules/knockouts.drl", "text/plain", "package x;".getBytes()))
                        .with(ANALYST)
                        .with(csrf()))
                .andExpect(status().isForbidden())
                .andExpect(view().name("console/rulesets"))
                .andReturn();

        @SuppressWarnings("unchecked")
        List<RulesetProblem> problems =
                (List<RulesetProblem>) result.getModelAndView().getModel().get("problems");
        assertThat(problems).extracting(RulesetProblem::file).containsExactly("rules/knockouts.drl");
    }

    @Test
    void aRefusedApprovalIsSaidOnTheVersionsPage() throws Exception {
        mvc.perform(post("/console/rulesets/" + live + "/approve")
                        .with(APPROVER)
                        .with(csrf()))
                .andExpect(redirectedUrl("/console/rulesets/" + live))
                .andExpect(flash().attribute("problem", containsString("not a candidate")));
    }

    @Test
    void activatingTheLiveVersionSaysItDecides() throws Exception {
        mvc.perform(post("/console/rulesets/" + live + "/activate")
                        .with(APPROVER)
                        .with(csrf()))
                .andExpect(redirectedUrl("/console/rulesets/" + live))
                .andExpect(flash().attribute("notice", containsString("this version decides now")));
    }

    @Test
    void onlyUploadersUploadAndOnlyApproversApprove() throws Exception {
        mvc.perform(multipart("/console/rulesets")
                        .with(user("demo-auditor-person").roles("AUDITOR"))
                        .with(csrf()))
                .andExpect(status().isForbidden())
                .andExpect(forwardedUrl("/console/denied"));
        mvc.perform(post("/console/rulesets/" + live + "/approve").with(ANALYST).with(csrf()))
                .andExpect(status().isForbidden())
                .andExpect(forwardedUrl("/console/denied"));
        mvc.perform(post("/console/rulesets/" + live + "/activate").with(APPROVER))
                .andExpect(status().isForbidden())
                .andExpect(forwardedUrl("/console/denied"));
    }
}
