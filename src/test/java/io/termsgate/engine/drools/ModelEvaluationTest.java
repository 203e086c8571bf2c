package io.termsgate.engine.drools;

import static org.assertj.core.api.Assertions.assertThat;

import io.termsgate.engine.RulesetSource;
import io.termsgate.ruleset.RulesetFiles;
import io.termsgate.ruleset.ScenarioRunner;
import io.termsgate.support.DefaultRuleset;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ModelEvaluationTest {

    @Test
    void dunning() {
        var ruleset = DefaultRuleset.compiled();
        RulesetSource source = RulesetFiles.readFolder(Path.of("."));
        var report = ScenarioRunner.run(source, ruleset, DefaultRuleset.DECISION_TIME);
        report.results().stream().filter(r -> !r.passed()).forEach(System.out::println);
        System.out.println(report.problems());
        System.out.println(ruleset.warnings());
        System.out.println(report.total() + " " + report.passed());
        assertThat(report.allPassed()).isTrue();
    }
}
