package io.termsgate.engine;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One approver level asked about one referred case, with the terms it would grant: the question put to the ruleset's
 * delegated-authority table ({@link CompiledRuleset#authority}). A question outside the ranges below (a level that is
 * no approver's, an amount of 0, a share above 1) is not thrown back: it is answered with an error, never an approval.
 *
 * @param level the level asked: {@code CREDIT_ANALYST}, {@code CREDIT_MANAGER} or {@code CFO}
 * @param orderAmount the order total, greater than 0
 * @param riskGrade {@code "A"} to {@code "E"}, or {@code null} when the referral is an engine error
 * @param creditLimit the limit that would be granted, at least 0
 * @param termDays the term that would be granted
 * @param overLimitShare the share of the order above the available credit, from 0 to 1
 */
public record AuthorityQuestion(
        ApprovalRoute level,
        BigDecimal orderAmount,
        String riskGrade,
        BigDecimal creditLimit,
        int termDays,
        BigDecimal overLimitShare) {

    public AuthorityQuestion {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(orderAmount, "orderAmount");
        Objects.requireNonNull(creditLimit, "creditLimit");
        Objects.requireNonNull(overLimitShare, "overLimitShare");
    }
}
