package io.termsgate.ruleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.ModelResult;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.RulesetRejectedException;
import io.termsgate.support.DefaultRuleset;
import io.termsgate.support.RulesetCopy;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every DMN model is validated, compiled and scenario-tested with its ruleset: the shipped dunning scenarios pass, a
 * failing or unreadable one rejects the ruleset with its file and row, a broken model or two models of one name
 * reject it with file and element, and a model may import another of the same ruleset.
 */
class ModelScenariosTest {

    static final String DUNNING_SCENARIOS = "decision-tables/scenarios/dunning.csv";

    @Test
    void theShippedDunningScenariosAllPass() {
        ScenarioRunner.Report report = ScenarioRunner.run(
                RulesetFiles.readFolder(Path.of(".")), DefaultRuleset.compiled(), DefaultRuleset.DECISION_TIME);
        assertThat(report.asProblems()).isEmpty();
        assertThat(report.results().stream().filter(r -> r.file().equals(DUNNING_SCENARIOS)))
                .hasSize(23)
                .allMatch(ScenarioRunner.Result::passed);
        assertThat(DefaultRuleset.compiled().warnings())
                .as("no gaps, masked rules or missing types in the dunning model")
                .noneMatch(w -> w.file().endsWith("dunning.dmn")
                        && w.severity() == io.termsgate.engine.RulesetProblem.Severity.WARNING
                        && !w.message().contains("Hit Policy Recommender")
                        && !w.message().contains("First Normal Form"));
    }

    @Test
    void aFailingOrUnreadableModelScenarioRejectsTheRulesetWithItsRow(@TempDir Path dir) throws IOException {
        RulesetCopy copy = RulesetCopy.of(dir)
                .replace(
                        DUNNING_SCENARIOS,
                        "60,7000,B,3,false,SUSPEND_TERMS,30,true",
                        "60,7000,B,3,false,COLLECTIONS,30,true")
                .write(
                        "decision-tables/collections-queue.dmn",
                        Files.readString(Path.of("src/test/resources/models/collections-queue.dmn")));
        Files.writeString(
                copy.file(DUNNING_SCENARIOS),
                "\"a grade that does not exist\",10,100,F,0,false,REMINDER,,\n",
                java.nio.file.StandardOpenOption.APPEND);
        var source = RulesetFiles.readFolder(dir);
        CompiledRuleset ruleset = DefaultRuleset.engine().compile(source);
        ScenarioRunner.Report report = ScenarioRunner.run(source, ruleset, DefaultRuleset.DECISION_TIME);

        assertThat(report.allPassed()).isFalse();
        assertThat(report.asProblems())
                .extracting(RulesetProblem::toString)
                .containsExactlyInAnyOrder(
                        "ERROR decision-tables/scenarios/dunning.csv at row 25, column D (Risk Grade): scenario 'a grade"
                                + " that does not exist': is not a value of type 'tRiskGrade' (allowed: \"A\", \"B\","
                                + " \"C\", \"D\", \"E\")",
                        "ERROR decision-tables/scenarios/dunning.csv at row 13: scenario 'grade B, final notice sent,"
                                + " day 60: suspend terms' failed: Next Action expected COLLECTIONS but was"
                                + " SUSPEND_TERMS");

        // the importing model: the imported model's inputs go in under the import's name
        Map<String, Object> dunning = new LinkedHashMap<>();
        dunning.put("Days Past Due", new BigDecimal("95"));
        dunning.put("Amount", new BigDecimal("12000"));
        dunning.put("Risk Grade", "B");
        dunning.put("Reminders Sent", new BigDecimal("3"));
        dunning.put("Disputed", false);
        ModelResult queue = ruleset.evaluateModel("collections-queue", null, Map.of("dunning", dunning))
                .orElseThrow();
        assertThat(queue.hasErrors()).as(queue.toString()).isFalse();
        assertThat(queue.context()).containsEntry("Queue", "agency");
        dunning.put("Risk Grade", "Z");
        assertThat(ruleset.evaluateModel("collections-queue", null, Map.of("dunning", dunning))
                        .orElseThrow()
                        .inputProblems())
                .extracting(ModelResult.InputProblem::input)
                .containsExactly("dunning.Risk Grade");
    }

    @Test
    void aBrokenModelRejectsTheRulesetNamingFileAndElement(@TempDir Path dir) {
        RulesetCopy.of(dir)
                .replace(
                        "decision-tables/dunning.dmn",
                        "<text>1 - Days Past Due</text>",
                        "<text>1 - Days Past Doo</text>");
        assertThatThrownBy(() -> DefaultRuleset.engine().compile(RulesetFiles.readFolder(dir)))
                .isInstanceOfSatisfying(
                        RulesetRejectedException.class,
                        e -> assertThat(e.problems()).anySatisfy(p -> {
                            assertThat(p.file()).isEqualTo("decision-tables/dunning.dmn");
                            assertThat(p.location()).contains("decision 'Dunning Step'");
                        }));
    }

    @Test
    void twoModelsOfOneNameRejectTheRuleset(@TempDir Path dir) throws IOException {
        RulesetCopy.of(dir)
                .write(
                        "decision-tables/dunning-copy.dmn",
                        Files.readString(Path.of("decision-tables/dunning.dmn"))
                                .replace("https://termsgate.io/dmn/dunning", "https://termsgate.io/dmn/dunning-copy"));
        assertThatThrownBy(() -> DefaultRuleset.engine().compile(RulesetFiles.readFolder(dir)))
                .isInstanceOfSatisfying(
                        RulesetRejectedException.class,
                        e -> assertThat(e.problems())
                                .extracting(RulesetProblem::message)
                                .anyMatch(m -> m.contains("another DMN model of this ruleset has the name 'dunning'")));
    }
}
