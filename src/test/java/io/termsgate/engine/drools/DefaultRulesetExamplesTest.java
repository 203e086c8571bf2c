package io.termsgate.engine.drools;

import static org.assertj.core.api.Assertions.assertThat;

import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.Evaluation;
import io.termsgate.ruleset.RulesetFiles;
import io.termsgate.support.PolicyExamples;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every worked case of the policy, straight through the engine (no HTTP): the default ruleset as shipped. */
class DefaultRulesetExamplesTest {

    static CompiledRuleset ruleset;

    @BeforeAll
    static void compile() {
        ruleset = new DroolsDecisionEngine(new EngineProperties(10_000)).compile(RulesetFiles.readFolder(Path.of(".")));
    }

    static Stream<PolicyExamples.Example> examples() {
        return PolicyExamples.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void decidesExactlyAsTheWorkedExample(PolicyExamples.Example example) {
        Evaluation e = ruleset.evaluate(example.application(), Instant.parse("2026-11-22T10:00:00Z"));
        var x = example.expected();
        List<String> reasons = new ArrayList<>();
        x.get("reasons").forEach(r -> reasons.add(r.asText()));

        assertThat(e.trace().errors()).isEmpty();
        assertThat(e.outcome().name()).isEqualTo(x.get("outcome").asText());
        assertThat(e.approvalRoute().name()).isEqualTo(x.get("approvalRoute").asText());
        assertThat(e.riskScore()).isEqualTo(x.get("riskScore").asInt());
        assertThat(e.riskGrade()).isEqualTo(x.get("riskGrade").asText());
        assertThat(e.creditLimit())
                .isEqualTo(new BigDecimal(x.get("creditLimit").asText()));
        assertThat(e.availableCredit())
                .isEqualTo(new BigDecimal(x.get("availableCredit").asText()));
        assertThat(e.termDays()).isEqualTo(x.get("termDays").asInt());
        assertThat(e.reasons()).isEqualTo(reasons);
    }
}
