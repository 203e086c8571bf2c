package io.termsgate.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import io.termsgate.support.RulesetCopy;
import io.termsgate.support.ServiceTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service decides with the rule files of termsgate.ruleset.dir, read when it starts: an analyst's edited copy
 * there changes the answers, with no build.
 */
@ServiceTest
class RulesetFolderTest {

    @TempDir
    static Path folder;

    @DynamicPropertySource
    static void editedRuleset(DynamicPropertyRegistry registry) {
        // grade B cap lowered from 400,000 to 300,000 in the DMN, as an analyst would in the editor (without the
        // shipped scenarios, which expect the old cap and would rightly stop this version going live)
        RulesetCopy.of(folder)
                .withoutScenarios()
                .replace(
                        "decision-tables/credit-terms.dmn",
                        "<outputEntry id=\"_LimitCap_dt_r2_o1\"><text>400000</text>",
                        "<outputEntry id=\"_LimitCap_dt_r2_o1\"><text>300000</text>");
        registry.add("termsgate.ruleset.dir", folder::toString);
    }

    @LocalServerPort
    int port;

    @Test
    void decisionsFollowTheFilesInTheConfiguredFolder() {
        Http.Response response = new Http(port)
                .postJson(
                        "/api/v1/credit-decisions",
                        "demo-checkout",
                        PolicyExamples.byCustomerId("EX-01").request().toString());

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.json().get("creditLimit").asText()).isEqualTo("300000");
        assertThat(response.json().get("rulesetVersion").asText())
                .isEqualTo(RulesetFiles.readFolder(folder).version())
                .isNotEqualTo(RulesetFiles.readFolder(Path.of(".")).version());
    }

    @Test
    void theDefaultRulesetIsPackagedForWhenNoFolderIsThere() {
        assertThat(RulesetFiles.readPackagedDefault().version())
                .isEqualTo(RulesetFiles.readFolder(Path.of(".")).version());
    }
}
