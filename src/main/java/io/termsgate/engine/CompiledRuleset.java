package io.termsgate.engine;

import java.time.Instant;
import java.util.List;

/**
 * A ruleset compiled once and shared read-only by every thread; each {@link #evaluate} runs a fresh, independent
 * evaluation. Never throws for a failing rule: an engine failure comes back as a safe referral
 * ({@link Evaluation#engineError()}), and a failing delegated-authority table as a refusal
 * ({@link AuthorityAnswer#failed}).
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

    /**
     * Asks the ruleset's delegated-authority table (decision-tables/authority.dmn) whether one approver level may
     * approve a referred case with the terms it would grant, how many approvers it takes and when the case is due.
     * A pure function of the question and this ruleset. Never throws: a failure of the table is a refusal with its
     * {@link AuthorityAnswer#error error} set, never an approval.
     */
    AuthorityAnswer authority(AuthorityQuestion question);
}
