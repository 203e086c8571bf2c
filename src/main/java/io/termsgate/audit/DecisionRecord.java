package io.termsgate.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.Evaluation;
import java.time.Instant;
import java.util.Map;
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
 * @param sealed how the customer id and the request are stored (a subject reference and the sealed request), or null
 *     when they are stored as they are (a record not yet written, or one logged before personal data was sealed).
 *     {@code customerId} and {@code requestJson} are the clear values, both null when the customer's personal data
 *     has been erased
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
        String creditLineJson,
        PersonalData.Sealed sealed) {

    /** A record stored as it is, nothing sealed. */
    public DecisionRecord(
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
        this(
                decisionId,
                decidedAt,
                client,
                idempotencyKey,
                requestSha256,
                customerId,
                outcome,
                approvalRoute,
                rulesetVersion,
                engineVersionsJson,
                requestJson,
                resultJson,
                traceJson,
                evaluationMicros,
                orderId,
                creditLineJson,
                null);
    }

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
                d.creditLine() == null ? null : CanonicalJson.write(d.creditLine()));
    }

    /** The same record with its personal data stored sealed. */
    DecisionRecord sealedAs(PersonalData.Sealed sealing) {
        return withPersonalData(customerId, requestJson, creditLineJson, sealing);
    }

    /** The same record read back with its personal data in clear, or erased ({@code opened} null). */
    DecisionRecord opened(PersonalData.Opened opened) {
        PersonalData.Sealed stored = new PersonalData.Sealed(customerId, requestJson, creditLineJson);
        return opened == null
                ? withPersonalData(null, null, null, stored)
                : withPersonalData(opened.customerId(), opened.requestJson(), opened.creditLineJson(), stored);
    }

    /** This record with other personal data: everything else, hashed or not, stays as it is. */
    private DecisionRecord withPersonalData(
            String customer, String request, String creditLine, PersonalData.Sealed sealing) {
        return new DecisionRecord(
                decisionId,
                decidedAt,
                client,
                idempotencyKey,
                requestSha256,
                customer,
                outcome,
                approvalRoute,
                rulesetVersion,
                engineVersionsJson,
                request,
                resultJson,
                traceJson,
                evaluationMicros,
                orderId,
                creditLine,
                sealing);
    }

    /** The customer column as stored (and hashed): a subject reference when sealed. */
    public String storedCustomerId() {
        return sealed == null ? customerId : sealed.subjectRef();
    }

    /** The request column as stored (and hashed): the sealed text when sealed. */
    public String storedRequestJson() {
        return sealed == null ? requestJson : sealed.request();
    }

    /** The credit-line column as stored (and hashed): sealed text when sealed, null when the record has none. */
    public String storedCreditLineJson() {
        return sealed == null ? creditLineJson : sealed.creditLine();
    }

    /** The customer's personal data was erased: no customer id, no request, the result and trace still there. */
    public boolean erased() {
        return sealed != null && requestJson == null;
    }

    /** {@code CLEAR} (logged before sealing), {@code SEALED} (readable by the service) or {@code ERASED}. */
    public String personalData() {
        return sealed == null ? "CLEAR" : erased() ? "ERASED" : "SEALED";
    }

    /** The request as the log reads it back: a tree, numbers as BigDecimal; a missing node when erased. */
    public JsonNode requestTree() {
        return requestJson == null ? MissingNode.getInstance() : CanonicalJson.tree(requestJson);
    }

    public JsonNode resultTree() {
        return CanonicalJson.tree(resultJson);
    }

    public JsonNode traceTree() {
        return CanonicalJson.tree(traceJson);
    }

    /** The hold the decision placed, as canonical JSON text, or null when it placed none. */
    public String placedHoldJson() {
        // checkout's every answer asks; most records placed no hold ("hold":null), and canonical JSON (no spaces, no
        // escapes in member names) writes a hold object as "hold":{ : no need to parse the credit line to say so
        if (creditLineJson == null || !creditLineJson.contains("\"hold\":{")) {
            return null;
        }
        JsonNode hold = creditLineTree().path("hold");
        return hold.isObject() ? CanonicalJson.write(hold) : null;
    }

    /** What the decision saw of the buyer's credit line and the hold it placed; a missing node before credit lines. */
    public JsonNode creditLineTree() {
        return creditLineJson == null ? MissingNode.getInstance() : CanonicalJson.tree(creditLineJson);
    }

    /** The result fields, in the order checkout reads them, as plain values (numbers as BigDecimal). */
    public Map<String, Object> resultFields() {
        return CanonicalJson.resultFields(resultJson);
    }
}
