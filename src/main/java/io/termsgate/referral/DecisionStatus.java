package io.termsgate.referral;

import io.swagger.v3.oas.annotations.media.Schema;
import io.termsgate.creditline.HoldView;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A decision's final state as checkout polls it (and as the webhook tells it): the policy's own answer when it
 * approved or declined, a person's once a referral is decided, or not final while the referral is open.
 *
 * @param outcome APPROVED or DECLINED once final; REFERRED while a person's answer is awaited
 * @param decidedBy {@code policy} for the policy's own answer, the approver(s), or {@code system} for an expired
 *     referral; null while not final
 * @param creditLimit the credit granted; null while not final
 * @param hold the order's hold on the buyer's line as it is now, when the final answer placed one
 * @param reasons the final answer's reasons (a decline's, REF_EXPIRED) or the policy's
 * @param referralId the referral case, when the decision was referred
 * @param referralStatus OPEN, APPROVED, DECLINED or EXPIRED, when referred
 * @param route the level the referral is at now, while open
 * @param dueAt the referral's deadline, while open
 */
@Schema(name = "DecisionStatus")
public record DecisionStatus(
        UUID decisionId,
        String customerId,
        @Schema(nullable = true) String orderId,
        String outcome,

        @com.fasterxml.jackson.annotation.JsonProperty("final") @Schema(name = "final")
        boolean isFinal,

        @Schema(nullable = true) String decidedBy,
        @Schema(nullable = true) Instant decidedAt,
        @Schema(nullable = true) BigDecimal creditLimit,
        @Schema(nullable = true) Integer termDays,
        @Schema(nullable = true) HoldView hold,
        List<String> reasons,
        @Schema(nullable = true) UUID referralId,
        @Schema(nullable = true) String referralStatus,
        @Schema(nullable = true) String route,
        @Schema(nullable = true) Instant dueAt) {}
