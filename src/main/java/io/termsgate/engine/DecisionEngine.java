package io.termsgate.engine;

import java.util.List;
import java.util.Map;

/**
 * The one door to the rules engine. Everything outside {@code engine.drools} sees only this interface, the
 * {@link CompiledRuleset} it returns and immutable values.
 */
public interface DecisionEngine {

    /**
     * Compiles the files of a ruleset into something that decides.
     *
     * @throws RulesetRejectedException with every problem found when any file does not compile or the ruleset cannot
     *         produce the decision's outputs
     */
    CompiledRuleset compile(RulesetSource source);

    /**
     * Checks the files against the policy language (and their syntax) by parsing alone: nothing is compiled or
     * run, so it is safe on files nobody has approved, and quick. {@link #compile} checks the same again.
     *
     * @return every problem found; empty when the files stay within the language
     */
    List<RulesetProblem> checkLanguage(RulesetSource source);

    /** Names and versions of the engine libraries, recorded with every decision. */
    Map<String, String> versions();
}
