package io.termsgate.audit;

import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.Evaluation;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A decision as the decision module hands it to the log: what was asked, by whom, under which version and engines,
 * and what came out. The log turns it into its own {@link DecisionRecord}.
 *
 * @param client the name of the API key that asked
 * @param idempotencyKey the client's Idempotency-Key, or null
 * @param request the application as the client sent it (its hash recognises a retry)
 * @param evaluated the application the policy evaluated: the request with what the buyer's credit line filled in
 * @param creditLine what the decision saw of the buyer's credit line and the hold it placed, as JSON values (maps,
 *     lists, strings, BigDecimals), written canonically into the record
 * @param engineVersions the rules engine's library versions
 * @param evaluationMicros how long the evaluation took
 */
public record Decided(
        UUID decisionId,
        Instant decidedAt,
        String client,
        String idempotencyKey,
        CanonicalRequest request,
        CreditApplication evaluated,
        Map<String, Object> creditLine,
        String rulesetVersion,
        Map<String, String> engineVersions,
        Evaluation evaluation,
        long evaluationMicros) {}
