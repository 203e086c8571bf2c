package io.termsgate.creditline;

import io.termsgate.audit.ChainHash;
import io.termsgate.audit.ChainWalk;
import io.termsgate.engine.DecisionMath;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * One transition of a hold in the credit ledger, chained like the decision log:
 * {@code hash = SHA-256(previousHash as ASCII hex || canonical(entry))}, the canonical form a JSON array of every
 * stored field in a fixed order.
 *
 * @param event PLACED, CAPTURED, RELEASED or EXPIRED
 * @param reason why a hold was released: CANCELLED, REPLACED (a new decision for its order), PARTIAL_CAPTURE (the rest
 *     of a partly captured hold); why it was placed: REFERRAL_APPROVED (a person approved its referred order); null
 *     otherwise
 * @param actor the API key (or "system" for expiry) that made the transition
 * @param decisionId the decision that placed or replaced the hold, or null
 */
public record LedgerEntry(
        long seq,
        Instant at,
        String customerId,
        UUID holdId,
        String orderId,
        String event,
        String reason,
        BigDecimal amount,
        String currency,
        String actor,
        String idempotencyKey,
        UUID decisionId,
        String previousHash,
        String hash)
        implements ChainWalk.Link {

    /** The entry with its place in the chain. */
    LedgerEntry chained(long seq, String previousHash) {
        LedgerEntry placed = new LedgerEntry(
                seq,
                at,
                customerId,
                holdId,
                orderId,
                event,
                reason,
                amount,
                currency,
                actor,
                idempotencyKey,
                decisionId,
                previousHash,
                null);
        return new LedgerEntry(
                seq,
                at,
                customerId,
                holdId,
                orderId,
                event,
                reason,
                amount,
                currency,
                actor,
                idempotencyKey,
                decisionId,
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
        string(json, at.toString());
        string(json, customerId);
        string(json, holdId.toString());
        string(json, orderId);
        string(json, event);
        string(json, reason);
        json.append(',').append(DecisionMath.canonical(amount).toPlainString());
        string(json, currency);
        string(json, actor);
        string(json, idempotencyKey);
        string(json, decisionId == null ? null : decisionId.toString());
        json.append(']');
        return ChainHash.link(previousHash, json.toString());
    }

    private static void string(StringBuilder json, String value) {
        ChainHash.string(json, value);
    }
}
