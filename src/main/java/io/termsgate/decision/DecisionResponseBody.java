package io.termsgate.decision;

import io.swagger.v3.oas.annotations.media.Schema;
import io.termsgate.engine.ApprovalRoute;
import io.termsgate.engine.DecisionTrace;
import io.termsgate.engine.Outcome;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Checkout's answer as published in the API description. The answer itself is assembled from the logged record's
 * text ({@link DecisionResponses}); this type only describes it.
 */
@Schema(name = "Decision")
record DecisionResponseBody(
        UUID decisionId,
        Outcome outcome,
        ApprovalRoute approvalRoute,

        @Schema(nullable = true, description = "null only when the engine failed before scoring")
        Integer riskScore,

        @Schema(nullable = true, description = "A to E; null only when the engine failed before grading")
        String riskGrade,

        @Schema(description = "whole thousands") BigDecimal creditLimit,
        BigDecimal availableCredit,
        int termDays,
        String currency,

        @Schema(description = "reason codes, each once, sorted")
        List<String> reasons,

        @Schema(
                requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                description = "the hold placed on the buyer's credit line: only for an approved decision with an"
                        + " order id")
        PlacedHold hold,

        @Schema(example = "sha256:0bc8c11bad2dc05e672b7e2d8e26ba63df42ad43b4bfd514e3cd66396e5e7fc1")
        String rulesetVersion,

        Instant decidedAt,
        DecisionTrace trace) {

    /** The hold an approved order placed: capture it on invoice, release it on cancel; it expires by itself. */
    @Schema(name = "PlacedHold")
    record PlacedHold(UUID id, String orderId, BigDecimal amount, Instant expiresAt) {}
}
