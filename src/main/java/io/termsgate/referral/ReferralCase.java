package io.termsgate.referral;

import io.termsgate.engine.ApprovalRoute;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A REFERRED decision waiting for (or given) a person's answer. The decision it answers is never changed: the case
 * holds what people did with it.
 *
 * @param route the level the case is at now (escalation raises it); {@code originalRoute} is the decision's
 * @param policyCreditLimit the policy's credit limit in the referred decision (what an approval grants by default)
 * @param rulesetVersion the ruleset that referred it
 * @param firstApprovedBy four eyes: the first of two approvers, while the second is awaited; null otherwise
 * @param firstApprover the person behind the first approval (a second approval must be another person's)
 * @param finalOutcome APPROVED or DECLINED once final (EXPIRED cases are DECLINED)
 * @param decidedBy who gave the final answer (two names joined by " + " with four eyes; "system" on expiry)
 * @param holdId the hold placed on the buyer's line when approved with an order id
 * @param authorityVersion the ruleset version whose delegated-authority table allowed the approval
 */
public record ReferralCase(
        UUID id,
        UUID decisionId,
        String customerId,
        String orderId,
        BigDecimal amount,
        String currency,
        ApprovalRoute originalRoute,
        ApprovalRoute route,
        List<String> reasons,
        String riskGrade,
        BigDecimal policyCreditLimit,
        int policyTermDays,
        String rulesetVersion,
        ReferralStatus status,
        Instant createdAt,
        Instant dueAt,
        Instant expiresAt,
        int escalations,
        String firstApprovedBy,
        String firstApprover,
        Instant firstApprovedAt,
        BigDecimal firstCreditLimit,
        Integer firstTermDays,
        String finalOutcome,
        String decidedBy,
        Instant decidedAt,
        BigDecimal creditLimit,
        Integer termDays,
        List<String> finalReasons,
        String note,
        UUID holdId,
        String authorityVersion) {

    public ReferralCase {
        reasons = List.copyOf(reasons);
        finalReasons = finalReasons == null ? null : List.copyOf(finalReasons);
    }

    /** Past its deadline at {@code at} and still open. */
    public boolean overdueAt(Instant at) {
        return status == ReferralStatus.OPEN && !dueAt.isAfter(at);
    }
}
