package io.termsgate.decision;

import io.termsgate.engine.ApprovalRoute;
import io.termsgate.engine.DecisionTrace;
import io.termsgate.engine.Evaluation;
import io.termsgate.engine.Outcome;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The JSON answer to checkout. Money is written as exact, plain JSON numbers. */
public record DecisionResponse(UUID decisionId, Outcome outcome, ApprovalRoute approvalRoute, Integer riskScore,
        String riskGrade, BigDecimal creditLimit, BigDecimal availableCredit, int termDays, String currency,
        List<String> reasons, String rulesetVersion, Instant decidedAt, DecisionTrace trace) {

    public static DecisionResponse of(CreditDecision decision) {
        Evaluation e = decision.evaluation();
        return new DecisionResponse(decision.decisionId(), e.outcome(), e.approvalRoute(), e.riskScore(),
                e.riskGrade(), e.creditLimit(), e.availableCredit(), e.termDays(),
                decision.application().order().getCurrency(), e.reasons(), decision.rulesetVersion(),
                decision.decidedAt(), e.trace());
    }
}
