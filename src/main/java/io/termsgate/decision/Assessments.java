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
     * @param json the answer as checkout gets it, without the trace (the auditor's record has it): decisionId, outcome,
     *     approvalRoute, riskScore, riskGrade, creditLimit, availableCredit, termDays, currency, reasons,
     *     rulesetVersion, decidedAt
     */
    record Assessed(UUID decisionId, String json) {}
}
