package io.termsgate.engine;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * What a ruleset decided for one application. Money is exact and canonical (no trailing zeros); reasons are
 * distinct and sorted.
 *
 * <p>When the engine fails — a rule throws, a DMN decision is null or in error, the rules run away, or their
 * answer contradicts itself — the evaluation is {@link #engineFailure the safe referral}: {@code REFERRED} to a
 * {@code CREDIT_ANALYST} for reason {@code ENGINE_ERROR}, with no credit granted, and the error in the trace.
 */
public record Evaluation(
        Outcome outcome,
        ApprovalRoute approvalRoute,
        Integer riskScore,
        String riskGrade,
        BigDecimal creditLimit,
        BigDecimal availableCredit,
        int termDays,
        List<String> reasons,
        DecisionTrace trace) {

    public static final String ENGINE_ERROR = "ENGINE_ERROR";

    public Evaluation {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(approvalRoute, "approvalRoute");
        Objects.requireNonNull(creditLimit, "creditLimit");
        Objects.requireNonNull(availableCredit, "availableCredit");
        reasons = reasons.stream().distinct().sorted().toList();
        Objects.requireNonNull(trace, "trace");
    }

    /** The safe answer when the engine could not decide: never an approval, never credit. */
    public static Evaluation engineFailure(Integer riskScore, String riskGrade, DecisionTrace trace) {
        return new Evaluation(
                Outcome.REFERRED,
                ApprovalRoute.CREDIT_ANALYST,
                riskScore,
                riskGrade,
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                0,
                List.of(ENGINE_ERROR),
                trace);
    }

    public boolean engineError() {
        return !trace.errors().isEmpty();
    }
}
