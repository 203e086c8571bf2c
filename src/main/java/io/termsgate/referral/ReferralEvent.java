package io.termsgate.referral;

import io.termsgate.audit.ChainHash;
import io.termsgate.audit.ChainWalk;
import io.termsgate.engine.DecisionMath;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One thing done to a referral case, in the referrals' hash chain:
 * {@code hash = SHA-256(previousHash as ASCII hex || canonical(event))}, the canonical form a JSON array of every
 * stored field in a fixed order. Each event names the decision it answers, which stays as it was logged.
 *
 * @param event {@code FIRST_APPROVAL} (four eyes: the first of two), {@code APPROVED}, {@code DECLINED},
 *     {@code ESCALATED}, {@code EXPIRED}
 * @param actor the person or API key; {@code system} for the deadline sweep
 * @param level the case's level after the event (the new one for an escalation)
 * @param outcome APPROVED or DECLINED for a final answer (EXPIRED declines), null otherwise
 * @param authorityVersion the ruleset whose authority table allowed an approval (or set an escalation's deadline)
 */
public record ReferralEvent(
        long seq,
        Instant at,
        UUID caseId,
        UUID decisionId,
        String event,
        String actor,
        String level,
        String outcome,
        BigDecimal creditLimit,
        Integer termDays,
        List<String> reasons,
        String note,
        String authorityVersion,
        UUID holdId,
        String previousHash,
        String hash)
        implements ChainWalk.Link {

    public ReferralEvent {
        reasons = reasons == null ? null : List.copyOf(reasons);
    }

    /** This event at place {@code seq} after {@code previousHash}, its hash computed. */
    ReferralEvent chained(long seq, String previousHash) {
        ReferralEvent placed = new ReferralEvent(
                seq,
                at,
                caseId,
                decisionId,
                event,
                actor,
                level,
                outcome,
                creditLimit,
                termDays,
                reasons,
                note,
                authorityVersion,
                holdId,
                previousHash,
                null);
        return new ReferralEvent(
                seq,
                at,
                caseId,
                decisionId,
                event,
                actor,
                level,
                outcome,
                creditLimit,
                termDays,
                reasons,
                note,
                authorityVersion,
                holdId,
                previousHash,
                placed.computeHash());
    }

    @Override
    public boolean verifies() {
        return hash != null && hash.equals(computeHash());
    }

    String computeHash() {
        StringBuilder json = new StringBuilder(256);
        json.append('[').append(seq);
        ChainHash.string(json, at.toString());
        ChainHash.string(json, caseId.toString());
        ChainHash.string(json, decisionId.toString());
        ChainHash.string(json, event);
        ChainHash.string(json, actor);
        ChainHash.string(json, level);
        ChainHash.string(json, outcome);
        ChainHash.string(
                json,
                creditLimit == null ? null : DecisionMath.canonical(creditLimit).toPlainString());
        ChainHash.string(json, termDays == null ? null : termDays.toString());
        ChainHash.string(json, reasons == null ? null : String.join(",", reasons));
        ChainHash.string(json, note);
        ChainHash.string(json, authorityVersion);
        ChainHash.string(json, holdId == null ? null : holdId.toString());
        json.append(']');
        return ChainHash.link(previousHash, json.toString());
    }
}
