package io.termsgate.decisionservice;

import io.termsgate.audit.ChainHash;
import io.termsgate.audit.ChainWalk;
import java.time.Instant;
import java.util.UUID;

/**
 * One answered call of a DMN model, in the model calls' hash chain:
 * {@code hash = SHA-256(previousHash as ASCII hex || canonical(call))}, the canonical form a JSON array of every
 * stored field in a fixed order.
 *
 * @param client who called (the API key's or person's name)
 * @param decisionService the decision service called, or null for the whole model
 * @param inputsJson the inputs as given, canonical JSON
 * @param resultJson the whole answer as {@code /dmnresult} gives it, canonical JSON
 * @param customerRef the subject reference of the customer the call was made for (docs/security.md: the customer id
 *     itself is never stored with the call), or null
 */
public record ModelCall(
        long seq,
        UUID id,
        Instant calledAt,
        String client,
        String modelName,
        String modelNamespace,
        String decisionService,
        String rulesetVersion,
        String inputsJson,
        String resultJson,
        String customerRef,
        String previousHash,
        String hash)
        implements ChainWalk.Link {

    ModelCall chained(long seq, String previousHash) {
        ModelCall placed = new ModelCall(
                seq,
                id,
                calledAt,
                client,
                modelName,
                modelNamespace,
                decisionService,
                rulesetVersion,
                inputsJson,
                resultJson,
                customerRef,
                previousHash,
                null);
        return new ModelCall(
                seq,
                id,
                calledAt,
                client,
                modelName,
                modelNamespace,
                decisionService,
                rulesetVersion,
                inputsJson,
                resultJson,
                customerRef,
                previousHash,
                placed.computeHash());
    }

    String canonical() {
        StringBuilder json = new StringBuilder("[").append(seq);
        ChainHash.string(json, id.toString());
        ChainHash.string(json, calledAt.toString());
        ChainHash.string(json, client);
        ChainHash.string(json, modelName);
        ChainHash.string(json, modelNamespace);
        ChainHash.string(json, decisionService);
        ChainHash.string(json, rulesetVersion);
        ChainHash.string(json, inputsJson);
        ChainHash.string(json, resultJson);
        if (customerRef != null) {
            // only calls made for a customer have it: the calls logged before it existed keep their hashes
            ChainHash.string(json, customerRef);
        }
        return json.append(']').toString();
    }

    String computeHash() {
        return ChainHash.link(previousHash, canonical());
    }

    @Override
    public boolean verifies() {
        return computeHash().equals(hash);
    }
}
