package io.termsgate.audit;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;

/**
 * One look at the decision log, in the access log's hash chain:
 * {@code hash = SHA-256(previousHash as ASCII hex || canonical(entry))}, the canonical form a JSON array of every
 * stored field in a fixed order.
 *
 * @param actor the person who looked: a key's holder, else the key's name; a console user
 * @param via the API key's or the console sign-in's own name
 * @param action what they did: READ, SEARCH, EXPORT, REPLAY, VERIFY, ACCESS_LOG, LEDGER_VERIFY, REFERRALS_VERIFY
 * @param decisionId the decision read or replayed, else null
 * @param parameters the request's parameters as given (a query string), empty when none
 * @param resultCount how many records the answer held (null for an export: its count is in its trailer)
 */
@Schema(name = "AccessEntry")
public record AccessEntry(
        long seq,
        Instant at,
        String actor,
        String via,
        String action,
        UUID decisionId,
        String parameters,
        Long resultCount,
        String previousHash,
        String hash)
        implements ChainWalk.Link {

    /** This entry at place {@code seq} after {@code previousHash}, its hash computed. */
    AccessEntry chained(long seq, String previousHash) {
        AccessEntry placed =
                new AccessEntry(seq, at, actor, via, action, decisionId, parameters, resultCount, previousHash, null);
        return new AccessEntry(
                seq, at, actor, via, action, decisionId, parameters, resultCount, previousHash, placed.computeHash());
    }

    @Override
    public boolean verifies() {
        return hash != null && hash.equals(computeHash());
    }

    String computeHash() {
        StringBuilder json = new StringBuilder(256);
        json.append('[').append(seq);
        ChainHash.string(json, at.toString());
        ChainHash.string(json, actor);
        ChainHash.string(json, via);
        ChainHash.string(json, action);
        ChainHash.string(json, decisionId == null ? null : decisionId.toString());
        ChainHash.string(json, parameters);
        ChainHash.string(json, resultCount == null ? null : resultCount.toString());
        json.append(']');
        return ChainHash.link(previousHash, json.toString());
    }
}
