package io.termsgate.decision;

import io.termsgate.creditapplication.DecisionRequestReader.Requested;
import java.util.UUID;

/**
 * Decisions asked for outside checkout's endpoint (a batch's lines): assessments, decided under the active ruleset and
 * logged like any other decision, but with no order, so they never hold credit, and never opening a referral case (no
 * order waits for a person's answer).
 */
public interface Assessments {

    /**
     * Decides and logs the assessment, or answers the decision this client logged earlier with this Idempotency-Key
     * (so a line asked twice, after a restart, is decided once).
     *
     * @throws IllegalArgumentException when the request names an order (an assessment has none)
     * @throws io.termsgate.audit.AuditLogUnavailableException when the decision cannot be logged (none was made)
     * @throws IllegalStateException when the key was used for a different request
     */
    Assessed assess(Requested requested, String client, String idempotencyKey);

    /**
     * {@link #assess} with the decision in flight: the application is decided now, on the caller's thread, and its
     * decision joins the decision log's next group commit without waiting for it, so a caller that keeps many in
     * flight has them committed together. The answer is ready once {@link Pending#join()} returns: only then is the
     * decision logged. A repeated key answers the decision logged earlier, as {@link #assess} does.
     *
     * @throws IllegalArgumentException when the request names an order, or has no Idempotency-Key
     * @throws io.termsgate.audit.AuditLogUnavailableException when the decision cannot be made and submitted
     * @throws IllegalStateException when the key was used for a different request
     */
    Pending assessLater(Requested requested, String client, String idempotencyKey);

    /** An assessment decided and on its way to the log. */
    interface Pending {

        /** Whether {@link #join()} answers at once. */
        boolean isDone();

        /**
         * Waits until the decision is committed to the log (at most the log's commit timeout) and answers it.
         *
         * @throws io.termsgate.audit.AuditLogUnavailableException when it could not be logged (it was not decided)
         * @throws IllegalStateException when the key was used for a different request
         */
        Assessed join();
    }

    /**
     * @param json the answer as checkout gets it, without the trace (the auditor's record has it): decisionId, outcome,
     *     approvalRoute, riskScore, riskGrade, creditLimit, availableCredit, termDays, currency, reasons,
     *     rulesetVersion, decidedAt
     */
    record Assessed(UUID decisionId, String json) {}
}
