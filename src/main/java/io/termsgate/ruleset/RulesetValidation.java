package io.termsgate.ruleset;

import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.DecisionEngine;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.RulesetRejectedException;
import io.termsgate.engine.RulesetSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Everything a ruleset must pass before it may decide: every file compiles (DRL with its lines, spreadsheets with
 * their sheets and rows, DMN with its decisions and rules, DMN decision table analysis), the ruleset produces the
 * whole decision contract, and the analysts' scenarios all come out as expected. All problems are reported at once.
 */
@Component
public class RulesetValidation {

    private final DecisionEngine engine;

    public RulesetValidation(DecisionEngine engine) {
        this.engine = engine;
    }

    /** A ruleset that passed: compiled, with its warnings and its scenario results. */
    public record Validated(CompiledRuleset ruleset, List<RulesetProblem> warnings, Scenarios.Report scenarios) {
    }

    /**
     * @throws RulesetRejectedException with every problem found, failing scenarios included
     */
    public Validated validate(RulesetSource source, Instant now) {
        CompiledRuleset ruleset = engine.compile(source);
        List<RulesetProblem> warnings = new ArrayList<>(ruleset.warnings());
        Scenarios.Report scenarios = Scenarios.run(source, ruleset, now);
        if (!scenarios.allPassed()) {
            List<RulesetProblem> problems = new ArrayList<>(scenarios.asProblems());
            problems.addAll(warnings);
            throw new RulesetRejectedException(problems);
        }
        warnings.addAll(scenarios.problems());
        if (!Scenarios.hasScenarios(source)) {
            warnings.add(RulesetProblem.warning("decision-tables/scenarios/", "", "no scenarios: nothing checks "
                    + "this ruleset's answers before it goes live"));
        }
        return new Validated(ruleset, warnings, scenarios);
    }
}
