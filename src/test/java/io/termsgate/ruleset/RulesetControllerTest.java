package io.termsgate.ruleset;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.termsgate.engine.RulesetSource;
import io.termsgate.support.ControllerSliceTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The analysts' API, its HTTP contract only: listing versions, a version and its files, the diff, approve and
 * activate answers, uploads refused before anything is compiled (wrong type, missing base, files not the uploader's,
 * rule code outside the policy language), and the roles. The lifecycle and store behind it are real; uploads that
 * pass go through the sandbox worker and stay with the full-service tests (RulesetUploadTest).
 */
@ControllerSliceTest(RulesetController.class)
class RulesetControllerTest {

    static final String RULESETS = "/api/v1/rulesets";
    static final String DRL = "rules/knockouts.drl";

    @Autowired
    MockMvc mvc;

    @Autowired
    ActiveRuleset active;

    @Autowired
    RulesetStore store;

    static MockHttpServletRequestBuilder as(String key, MockHttpServletRequestBuilder request) {
        return key == null ? request : request.header("X-API-Key", key);
    }

    String live() {
        return active.current().version();
    }

    /** The default ruleset with its DRL changed by {@code drlSuffix}, stored as a candidate of {@code uploader}. */
    String candidate(String uploader, String drlSuffix) {
        Map<String, byte[]> files =
                new TreeMap<>(RulesetFiles.readFolder(Path.of(".")).files());
        files.put(
                DRL, (new String(files.get(DRL), StandardCharsets.UTF_8) + drlSuffix).getBytes(StandardCharsets.UTF_8));
        RulesetSource source = RulesetSource.of(files);
        store.store(
                source,
                new RulesetStore.Provenance(uploader, "test", live(), null, null, null),
                HistoryEntry.Event.UPLOADED,
                Instant.now());
        return source.version();
    }

    @Test
    void theVersionsListShowsTheLiveOne() throws Exception {
        mvc.perform(as("demo-analyst", get(RULESETS)))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$[?(@.live == true)].version").value(hasItem(live())))
                .andExpect(jsonPath("$[?(@.live == true)].status").value(hasItem("ACTIVE")));
    }

    @Test
    void theActiveVersionSaysWhoMadeItLive() throws Exception {
        mvc.perform(as("demo-auditor", get(RULESETS + "/active")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.version").value(live()))
                .andExpect(jsonPath("$.activatedBy").value(RulesetSlice.LOADED_BY));
    }

    @Test
    void aVersionListsItsFilesWithWhereToDownloadThem() throws Exception {
        mvc.perform(as("demo-approver", get(RULESETS + "/" + live())))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.version").value(live()))
                .andExpect(jsonPath("$.live").value(true))
                .andExpect(jsonPath("$.files[*].download").value(hasItem(RULESETS + "/" + live() + "/files/" + DRL)));
    }

    @Test
    void anUnknownVersionIs404AndSomethingElseThanAVersion400() throws Exception {
        mvc.perform(as("demo-analyst", get(RULESETS + "/sha256:" + "0".repeat(64))))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/not-found"));
        mvc.perform(as("demo-analyst", get(RULESETS + "/latest")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.title").value("Invalid ruleset version"))
                .andExpect(jsonPath("$.errors[0].field").value("version"));
    }

    @Test
    void aFileIsADownloadOfItsKind() throws Exception {
        mvc.perform(as("demo-analyst", get(RULESETS + "/" + live() + "/files/" + DRL)))
                .andExpect(status().isOk())
                .andExpect(content().contentType("text/plain;charset=UTF-8"))
                .andExpect(header().string("Content-Disposition", "attachment; filename=\"knockouts.drl\""));
        mvc.perform(as("demo-analyst", get(RULESETS + "/" + live() + "/files/decision-tables/risk-scorecard.xlsx")))
                .andExpect(status().isOk())
                .andExpect(content().contentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    }

    @Test
    void aPathThatIsNoRulesetFileIs400AndAMissingFile404() throws Exception {
        mvc.perform(as("demo-analyst", get(RULESETS + "/" + live() + "/files/etc/passwd")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("path"));
        mvc.perform(as("demo-analyst", get(RULESETS + "/" + live() + "/files/rules/missing.drl")))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value(containsString("rules/missing.drl")));
    }

    @Test
    void aVersionDiffedWithItselfChangesNothing() throws Exception {
        mvc.perform(as("demo-auditor", get(RULESETS + "/" + live() + "/diff/" + live())))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON));
    }

    @Test
    void anotherApproverApprovesACandidate() throws Exception {
        String version = candidate("demo-rule-author", "\n// approved by someone else\n");

        mvc.perform(as("demo-approver", post(RULESETS + "/" + version + "/approve")))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.status").value("APPROVED"))
                .andExpect(jsonPath("$.approvedBy").value("demo-approver-person"));
    }

    @Test
    void theUploaderMayNotApproveTheirOwnCandidate() throws Exception {
        String version = candidate("lead-rule-author-person", "\n// four eyes\n");

        mvc.perform(as("test-lead-rule-author", post(RULESETS + "/" + version + "/approve")))
                .andExpect(status().isForbidden())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/forbidden"))
                .andExpect(jsonPath("$.detail").value(containsString("Four eyes")));
    }

    @Test
    void approvingWhatIsNotACandidateAndActivatingWhatIsNotApprovedAre409() throws Exception {
        mvc.perform(as("demo-approver", post(RULESETS + "/" + live() + "/approve")))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value("/problems/conflict"))
                .andExpect(jsonPath("$.detail").value(containsString("not a candidate")));
        String version = candidate("demo-rule-author", "\n// not approved yet\n");
        mvc.perform(as("demo-approver", post(RULESETS + "/" + version + "/activate")))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(containsString("not approved")));
    }

    @Test
    void activatingTheLiveVersionAgainChangesNothing() throws Exception {
        mvc.perform(as("demo-approver", post(RULESETS + "/" + live() + "/activate")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.version").value(live()))
                .andExpect(jsonPath("$.previousVersion").value(live()))
                .andExpect(jsonPath("$.rollback").value(false));
    }

    @Test
    void anUploadThatIsNeitherZipNorMultipartIs415() throws Exception {
        mvc.perform(as(
                        "demo-analyst",
                        post(RULESETS).contentType(MediaType.APPLICATION_JSON).content("{}")))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/unsupported-media-type"));
    }

    @Test
    void changedFilesWithoutABaseAre400AndOnAnUnknownBase404() throws Exception {
        MockMultipartFile drl = new MockMultipartFile("file", DRL, "text/plain", "package x;".getBytes());

        mvc.perform(as("demo-rule-author", multipart(RULESETS).file(drl)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.title").value("Invalid upload"))
                .andExpect(jsonPath("$.errors[0].field").value("base"));
        mvc.perform(as("demo-rule-author", multipart(RULESETS).file(drl).param("base", "sha256:" + "0".repeat(64))))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value("/problems/not-found"));
    }

    @Test
    void anAnalystChangingRuleLogicIs403NamingTheFile() throws Exception {
        MockMultipartFile drl = new MockMultipartFile("file", DRL, "text/plain", "package x;".getBytes());

        mvc.perform(as("demo-analyst", multipart(RULESETS).file(drl).param("base", live())))
                .andExpect(status().isForbidden())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/forbidden"))
                .andExpect(jsonPath("$.problems[0].file").value(DRL));
    }

    @Test
    void ruleCodeOutsideThePolicyLanguageIs422WithEveryProblem() throws Exception {
        byte[] drl = (new String(RulesetFiles.readFolder(Path.of(".")).file(DRL), StandardCharsets.UTF_8)
                        + "\nfunction int sneaky() { return 1; }\n")
                .getBytes(StandardCharsets.UTF_8);

        mvc.perform(as(
                        "demo-rule-author",
                        multipart(RULESETS)
                                .file(new MockMultipartFile("file", DRL, "text/plain", drl))
                                .param("base", live())))
                .andExpect(status().isUnprocessableEntity())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/ruleset-rejected"))
                .andExpect(jsonPath("$.title").value("Ruleset rejected"))
                .andExpect(jsonPath("$.problems[0].file").value(DRL))
                .andExpect(jsonPath("$.problems[0].message").value(containsString("function sneaky")));
    }

    @Test
    void eachStepNeedsItsRole() throws Exception {
        mvc.perform(as("demo-checkout", get(RULESETS))).andExpect(status().isForbidden());
        mvc.perform(as("demo-operator", get(RULESETS + "/active"))).andExpect(status().isForbidden());
        mvc.perform(as("demo-auditor", multipart(RULESETS).param("base", live())))
                .andExpect(status().isForbidden());
        mvc.perform(as("demo-analyst", post(RULESETS + "/" + live() + "/approve")))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail").value(containsString("demo-analyst")));
        mvc.perform(as("demo-rule-author", post(RULESETS + "/" + live() + "/activate")))
                .andExpect(status().isForbidden());
        mvc.perform(get(RULESETS))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.type").value("/problems/unauthenticated"));
    }
}
