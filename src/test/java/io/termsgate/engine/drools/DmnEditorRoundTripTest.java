package io.termsgate.engine.drools;

import static org.assertj.core.api.Assertions.assertThat;

import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.Evaluation;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.RulesetSource;
import io.termsgate.ruleset.RulesetFiles;
import io.termsgate.support.DefaultRuleset;
import io.termsgate.support.PolicyExamples;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The analysts' real DMN editors: credit-terms.dmn as saved by the KIE DMN editor of the 10.x tools (DMN 1.6) and by
 * the classic editor (DMN 1.2), kept as fixtures in src/test/resources/editor (see its README for how they were made).
 * Each compiles without errors and decides every worked example exactly as the original.
 */
class DmnEditorRoundTripTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "credit-terms.kie-dmn-editor.dmn",
                "credit-terms.kie-dmn-editor.edited.dmn",
                "credit-terms.classic-editor.dmn"
            })
    void aModelSavedByTheEditorDecidesExactlyAsTheOriginal(String fixture) throws IOException {
        Map<String, byte[]> files =
                new TreeMap<>(RulesetFiles.readFolder(Path.of(".")).files());
        try (InputStream in = getClass().getResourceAsStream("/editor/" + fixture)) {
            files.put("decision-tables/credit-terms.dmn", in.readAllBytes());
        }
        RulesetSource saved = RulesetSource.of(files);

        CompiledRuleset ruleset = DefaultRuleset.engine().compile(saved);

        assertThat(saved.version()).isNotEqualTo(DefaultRuleset.compiled().version());
        assertThat(ruleset.warnings()).noneMatch(RulesetProblem::isError);
        for (PolicyExamples.Example example : PolicyExamples.all()) {
            Evaluation original = DefaultRuleset.evaluate(example.application());
            Evaluation resaved = ruleset.evaluate(example.application(), DefaultRuleset.DECISION_TIME);
            assertThat(resaved.trace().errors()).as(example.name()).isEmpty();
            assertThat(resaved.outcome()).as(example.name()).isEqualTo(original.outcome());
            assertThat(resaved.approvalRoute()).as(example.name()).isEqualTo(original.approvalRoute());
            assertThat(resaved.creditLimit()).as(example.name()).isEqualTo(original.creditLimit());
            assertThat(resaved.availableCredit()).as(example.name()).isEqualTo(original.availableCredit());
            assertThat(resaved.termDays()).as(example.name()).isEqualTo(original.termDays());
            assertThat(resaved.reasons()).as(example.name()).isEqualTo(original.reasons());
            assertThat(resaved.trace().decisionTables())
                    .as(example.name())
                    .isEqualTo(original.trace().decisionTables());
        }
    }
}
