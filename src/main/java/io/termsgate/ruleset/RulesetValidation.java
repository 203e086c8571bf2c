package io.termsgate.ruleset;

import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.DecisionEngine;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.RulesetRejectedException;
import io.termsgate.engine.RulesetSource;
import io.termsgate.ruleset.sandbox.CandidateSandbox;
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
class RulesetValidation {

    private final DecisionEngine engine;
    private final CandidateSandbox sandbox;

    public RulesetValidation(DecisionEngine engine, CandidateSandbox sandbox) {
        this.engine = engine;
        this.sandbox = sandbox;
    }

    /** What a candidate's validation found: its warnings and its scenario results. */
    public record Checked(List<RulesetProblem> warnings, ScenarioRunner.Report scenarios) {}

    /**
     * Validates files nobody has approved yet (an upload, a changed rule folder): compiled and scenario-tested in the
     * sandbox, a worker process with no database, keys or network, never in the service's JVM.
     *
     * @throws RulesetRejectedException with every problem found, failing scenarios included
     */
    public Checked validateCandidate(RulesetSource source, Instant now) {
        KeptCandidate candidate = validateCandidateKeeping(source, now);
        candidate.worker().close();
        return candidate.checked();
    }

    /** What a candidate's validation found, and the sandbox worker that validated it, kept to evaluate it. */
    public record KeptCandidate(Checked checked, CandidateSandbox.Kept worker) {}

    /**
     * {@link #validateCandidate}, and the worker that validated the candidate kept to evaluate it: the caller closes it
     * or hands it to someone who will.
     *
     * @throws RulesetRejectedException with every problem found, failing scenarios included
     */
    public KeptCandidate validateCandidateKeeping(RulesetSource source, Instant now) {
        // the policy language first, here: parsing runs nothing, and a refusal needs no sandbox
        List<RulesetProblem> refused = engine.checkLanguage(source);
        if (refused.stream().anyMatch(RulesetProblem::isError)) {
            throw new RulesetRejectedException(refused);
        }
        CandidateSandbox.Kept kept = sandbox.validateKeeping(source, now);
        boolean handedOver = false;
        try {
            KeptCandidate candidate = new KeptCandidate(
                    accept(source, kept.checked().warnings(), kept.checked().scenarios()), kept);
            handedOver = true;
            return candidate;
        } finally {
            if (!handedOver) {
                kept.close(); // failing scenarios, or anything thrown on the way
            }
        }
    }

    /** Compiles files that passed validation (the policy language is checked again on the way). */
    public CompiledRuleset compile(RulesetSource source) {
        return engine.compile(source);
    }

    /** A ruleset that passed: compiled, with its warnings and its scenario results. */
    public record Validated(CompiledRuleset ruleset, List<RulesetProblem> warnings, ScenarioRunner.Report scenarios) {}

    /**
     * @throws RulesetRejectedException with every problem found, failing scenarios included
     */
    public Validated validate(RulesetSource source, Instant now) {
        CompiledRuleset ruleset = engine.compile(source);
        Checked checked = accept(source, ruleset.warnings(), ScenarioRunner.run(source, ruleset, now));
        return new Validated(ruleset, checked.warnings(), checked.scenarios());
    }

    private static Checked accept(
            RulesetSource source, List<RulesetProblem> compileWarnings, ScenarioRunner.Report scenarios) {
        List<RulesetProblem> warnings = new ArrayList<>(compileWarnings);
        if (!scenarios.allPassed()) {
            List<RulesetProblem> problems = new ArrayList<>(scenarios.asProblems());
            problems.addAll(warnings);
            throw new RulesetRejectedException(problems);
        }
        warnings.addAll(scenarios.problems());
        if (!ScenarioRunner.hasScenarios(source)) {
            warnings.add(RulesetProblem.warning(
                    "decision-tables/scenarios/",
                    "",
                    "no scenarios: nothing checks " + "this ruleset's answers before it goes live"));
        }
        return new Checked(warnings, scenarios);
    }
}
