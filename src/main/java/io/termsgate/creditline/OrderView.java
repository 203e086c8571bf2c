package io.termsgate.creditline;

import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One of a buyer's decisions as the buyer may see it: what was asked, what came out and what it holds. Never the
 * score, grade, reasons, approval route or trace: a buyer does not learn how the policy scores it.
 *
 * @param orderId null for an assessment (a credit check without an order)
 * @param hold the hold the decision placed and where it is now, or null when it placed none
 */
@Schema(name = "CreditLineOrder")
public record OrderView(
        UUID decisionId,
        Instant decidedAt,
        @Schema(nullable = true) String orderId,
        BigDecimal amount,
        String currency,

        @Schema(allowableValues = {"APPROVED", "REFERRED", "DECLINED"})
        String outcome,

        @Schema(nullable = true) BigDecimal creditLimit,
        @Schema(nullable = true) Integer termDays,
        @Schema(nullable = true) HoldRef hold) {

    @Schema(name = "CreditLineOrderHold")
    public record HoldRef(UUID id, HoldStatus status) {}

    /** A page of a buyer's decisions, newest first. */
    @Schema(name = "CreditLineOrders")
    public record Page(List<OrderView> items, int page, int size, long totalItems, long totalPages) {}
}
