package io.termsgate.referral;

import com.fasterxml.jackson.databind.JsonNode;
import io.termsgate.audit.DecisionLog;
import io.termsgate.audit.DecisionRecord;
import io.termsgate.creditline.CreditLines;
import io.termsgate.creditline.Hold;
import io.termsgate.creditline.HoldView;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** A decision's final state: the policy's answer, or its referral's. */
@Component
class DecisionStatuses {

    static final String POLICY = "policy";

    private final DecisionLog decisionLog;
    private final JdbcReferrals cases;
    private final CreditLines creditLines;
    private final Clock clock;

    DecisionStatuses(DecisionLog decisionLog, JdbcReferrals cases, CreditLines creditLines, Clock clock) {
        this.decisionLog = decisionLog;
        this.cases = cases;
        this.creditLines = creditLines;
        this.clock = clock;
    }

    /** The decision's status; empty when there is no such decision. */
    Optional<Status> of(UUID decisionId) {
        return decisionLog.find(decisionId).map(logged -> {
            DecisionRecord record = logged.record();
            Optional<ReferralCase> referral =
                    "REFERRED".equals(record.outcome()) ? cases.findByDecision(decisionId) : Optional.empty();
            return new Status(record.client(), of(record, referral.orElse(null)));
        });
    }

    /** A status and the client (API key) that asked for the decision. */
    record Status(String client, DecisionStatus status) {}

    /** The final answer a decided referral announces: what the status endpoint then says. */
    DecisionStatus ofCase(ReferralCase c, Hold hold) {
        return answered(c, hold == null ? null : HoldView.of(hold, clock.instant()));
    }

    private DecisionStatus of(DecisionRecord record, ReferralCase referral) {
        if (referral != null) {
            if (referral.status().isFinal()) {
                HoldView hold = referral.holdId() == null
                        ? null
                        : creditLines
                                .hold(referral.customerId(), referral.holdId())
                                .map(h -> HoldView.of(h, clock.instant()))
                                .orElse(null);
                return answered(referral, hold);
            }
            return new DecisionStatus(
                    record.decisionId(),
                    record.customerId(),
                    record.orderId(),
                    "REFERRED",
                    false,
                    null,
                    null,
                    null,
                    null,
                    null,
                    referral.reasons(),
                    referral.id(),
                    referral.status().name(),
                    referral.route().name(),
                    referral.dueAt());
        }
        JsonNode result = record.resultTree();
        List<String> reasons = new ArrayList<>();
        result.path("reasons").forEach(r -> reasons.add(r.asText()));
        boolean referred = "REFERRED".equals(record.outcome());
        HoldView hold = null;
        JsonNode placed = record.creditLineTree().path("hold");
        if (placed.isObject()) {
            hold = creditLines
                    .hold(record.customerId(), UUID.fromString(placed.path("id").asText()))
                    .map(h -> HoldView.of(h, clock.instant()))
                    .orElse(null);
        }
        return new DecisionStatus(
                record.decisionId(),
                record.customerId(),
                record.orderId(),
                record.outcome(),
                !referred, // a referral logged before referral cases existed has no answer to wait for here
                referred ? null : POLICY,
                referred ? null : record.decidedAt(),
                referred ? null : number(result.path("creditLimit")),
                referred ? null : result.path("termDays").asInt(),
                hold,
                reasons,
                null,
                null,
                referred ? record.approvalRoute() : null,
                null);
    }

    private static DecisionStatus answered(ReferralCase c, HoldView hold) {
        return new DecisionStatus(
                c.decisionId(),
                c.customerId(),
                c.orderId(),
                c.finalOutcome(),
                true,
                c.decidedBy(),
                c.decidedAt(),
                c.creditLimit(),
                c.termDays(),
                hold,
                c.finalReasons() == null ? c.reasons() : c.finalReasons(),
                c.id(),
                c.status().name(),
                null,
                null);
    }

    private static BigDecimal number(JsonNode node) {
        return node.isNumber() ? node.decimalValue() : null;
    }
}
