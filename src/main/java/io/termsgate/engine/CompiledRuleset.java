package io.termsgate.engine;

import java.time.Instant;
import java.util.List;

/**
 * A ruleset compiled once and shared read-only by every thread; each {@link #evaluate} runs a fresh, independent
 * evaluation. Never throws for a failing rule: an engine failure comes back as a safe referral
 * ({@link Evaluation#engineError()}).
 */
public interface CompiledRuleset {

    String version();

    /** Warnings found while compiling (decision table analysis and the like); errors would have rejected it. */
    List<RulesetProblem> warnings();

    /**
     * Decides one application. A pure function of the application, this ruleset and {@code decisionTime}: the same
     * three always give the same evaluation, which is what makes replay exact.
     */
    Evaluation evaluate(CreditApplication application, Instant decisionTime);

    default AuthorityAnswer authority(AuthorityQuestion question) {
        return new AuthorityAnswer(false, 0, 0, "not yet");
    }
}
