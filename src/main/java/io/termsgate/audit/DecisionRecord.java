package io.termsgate.audit;

import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.Evaluation;
import java.time.Instant;
import java.util.UUID;

/**
 * A decision as it is written to the log, before it has a place in the hash chain. The JSON fields hold canonical
 * JSON text (see {@link CanonicalJson}), stored and hashed exactly as written.
 *
 * @param client the name of the API key that asked
 * @param idempotencyKey the client's Idempotency-Key, or null
 * @param requestSha256 SHA-256 of the request as the client sent it, to recognise a retried request
 * @param requestJson the application the policy evaluated (the request, and what the credit line filled in)
 * @param orderId the order's reference, or null for an assessment
 * @param creditLineJson what the decision saw of the buyer's credit line and the hold it placed; null in records
 *     logged before credit lines existed
 */
public record DecisionRecord(
        UUID decisionId,
        Instant decidedAt,
        String client,
        String idempotencyKey,
        String requestSha256,
        String customerId,
        String outcome,
        String approvalRoute,
        String rulesetVersion,
        String engineVersionsJson,
        String requestJson,
        String resultJson,
        String traceJson,
        long evaluationMicros,
        String orderId,
        String creditLineJson) {

    /** The record of a decision: its fields as stored, the JSON ones written canonically. */
    public static DecisionRecord of(Decided d) {
        Evaluation e = d.evaluation();
        CreditApplication application = d.evaluated();
        return new DecisionRecord(
                d.decisionId(),
                d.decidedAt(),
                d.client(),
                d.idempotencyKey(),
                d.request().sha256(),
                application.customer().getId(),
                e.outcome().name(),
                e.approvalRoute().name(),
                d.rulesetVersion(),
                CanonicalJson.engineVersions(d.engineVersions()),
                CanonicalJson.request(application),
                CanonicalJson.result(e, application.order().getCurrency()),
                CanonicalJson.trace(e.trace()),
                d.evaluationMicros(),
                application.order().getId(),
                d.creditLineJson());
    }
}
