package io.termsgate.privacy;

import io.termsgate.audit.ChainHash;
import io.termsgate.audit.ChainWalk;
import java.time.Instant;
import java.util.UUID;

/**
 * One erasure, in the erasures' hash chain: {@code hash = SHA-256(previousHash as ASCII hex || canonical)}, the
 * canonical form a JSON array of every stored field in order. It names the subject reference the erased customer's
 * records keep, never the customer id.
 *
 * @param erasedBy the person (or key) who erased
 * @param reachedJson what the erasure reached, as canonical JSON: the decisions sealed under the destroyed key, those
 *     kept in clear (logged before sealing), and what each other module did
 */
public record ErasureRecord(
        long seq,
        UUID erasureId,
        String subjectRef,
        Instant erasedAt,
        String erasedBy,
        String reachedJson,
        String previousHash,
        String hash)
        implements ChainWalk.Link {

    /** This erasure at place {@code seq} after {@code previousHash}, its hash computed. */
    ErasureRecord chained(long seq, String previousHash) {
        ErasureRecord placed =
                new ErasureRecord(seq, erasureId, subjectRef, erasedAt, erasedBy, reachedJson, previousHash, null);
        return new ErasureRecord(
                seq, erasureId, subjectRef, erasedAt, erasedBy, reachedJson, previousHash, placed.computeHash());
    }

    @Override
    public boolean verifies() {
        return hash != null && hash.equals(computeHash());
    }

    String computeHash() {
        StringBuilder json = new StringBuilder(256);
        json.append('[').append(seq);
        ChainHash.string(json, erasureId.toString());
        ChainHash.string(json, subjectRef);
        ChainHash.string(json, erasedAt.toString());
        ChainHash.string(json, erasedBy);
        ChainHash.string(json, reachedJson);
        json.append(']');
        return ChainHash.link(previousHash, json.toString());
    }
}
