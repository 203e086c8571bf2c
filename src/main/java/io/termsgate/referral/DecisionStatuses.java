package io.termsgate.referral;

import com.fasterxml.jackson.databind.JsonNode;
import io.termsgate.audit.DecisionLog;
import io.termsgate.audit.DecisionRecord;
import io.termsgate.audit.PersonalData;
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
            // the final answer is read from the referrals' hash chain, not from the case's row: a changed row cannot
            // change what checkout is told without breaking the chain (GET /api/v1/audit/referrals/verify)
            Optional<ReferralCase> chained =
                    referral.status().isFinal() ? asChained(referral, cases.eventsOf(referral.id())) : Optional.empty();
            if (chained.isPresent()) {
                ReferralCase answered = chained.get();
                HoldView hold = answered.holdId() == null
                        ? null
                        : creditLines
                                .hold(answered.customerId(), answered.holdId())
                                .map(h -> HoldView.of(h, clock.instant()))
                                .orElse(null);
                return answered(answered, hold);
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

    /**
     * The case's final answer as its chained events tell it: the last APPROVED, DECLINED or EXPIRED event (with the
     * first of four eyes' approver); empty when the chain holds none, and then the case is shown as still waiting.
     */
    static Optional<ReferralCase> asChained(ReferralCase c, List<ReferralEvent> events) {
        ReferralEvent last = null;
        String firstApprover = null;
        for (ReferralEvent e : events) {
            switch (e.event()) {
                case "FIRST_APPROVAL" -> firstApprover = e.actor();
                case "APPROVED", "DECLINED", "EXPIRED" -> last = e;
                default -> {
                    // escalations change no answer
                }
            }
        }
        if (last == null || !last.decisionId().equals(c.decisionId())) {
            return Optional.empty();
        }
        boolean approved = last.event().equals("APPROVED");
        ReferralStatus status = ReferralStatus.valueOf(last.event());
        return Optional.of(new ReferralCase(
                c.id(),
                c.decisionId(),
                c.customerId(),
                c.orderId(),
                c.amount(),
                c.currency(),
                c.originalRoute(),
                c.route(),
                c.reasons(),
                c.riskGrade(),
                c.policyCreditLimit(),
                c.policyTermDays(),
                c.rulesetVersion(),
                status,
                c.createdAt(),
                c.dueAt(),
                c.expiresAt(),
                c.escalations(),
                c.firstApprovedBy(),
                c.firstApprover(),
                c.firstApprovedAt(),
                c.firstCreditLimit(),
                c.firstTermDays(),
                last.outcome(),
                approved && firstApprover != null ? firstApprover + " + " + last.actor() : last.actor(),
                last.at(),
                last.creditLimit(),
                last.termDays(),
                last.reasons(),
                last.note(),
                approved ? last.holdId() : null,
                last.authorityVersion()));
    }

    private static DecisionStatus answered(ReferralCase c, HoldView hold) {
        return new DecisionStatus(
                c.decisionId(),
                PersonalData.isSubjectRef(c.customerId()) ? null : c.customerId(), // erased: no customer
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
