package io.termsgate.audit;

/**
 * A decision in the log: its record and its link in the hash chain.
 *
 * <p>{@code hash = SHA-256(previousHash as ASCII hex || canonical(record, seq))}, where the canonical form is a JSON
 * array of every stored field in a fixed order, the JSON fields embedded as stored (the order id and credit line only
 * in records that have a credit line, so older records keep their hashes). Verification recomputes it from the stored
 * columns alone: where personal data is sealed, from the subject reference and the sealed request (a JSON string), so
 * destroying a customer's key changes nothing the chain covers.
 */
public record LoggedDecision(long seq, DecisionRecord record, String previousHash, String hash) {

    /** The end of a chain: its last sequence number and hash. */
    public record Head(long seq, String hash) {}

    /** The hash of the chain before its first record. */
    public static final String GENESIS = ChainHash.GENESIS;

    public static String chainHash(String previousHash, long seq, DecisionRecord r) {
        return ChainHash.link(previousHash, canonical(seq, r));
    }

    /** The record's canonical text: what the hash covers. */
    public static String canonical(long seq, DecisionRecord r) {
        String request = r.storedRequestJson();
        StringBuilder json = new StringBuilder(
                request.length() + r.resultJson().length() + r.traceJson().length() + 512);
        json.append('[').append(seq);
        string(json, r.decisionId().toString());
        string(json, r.decidedAt().toString());
        string(json, r.client());
        string(json, r.idempotencyKey());
        string(json, r.requestSha256());
        string(json, r.storedCustomerId());
        string(json, r.outcome());
        string(json, r.approvalRoute());
        string(json, r.rulesetVersion());
        json.append(',').append(r.engineVersionsJson());
        if (request.startsWith(PersonalData.SEALED_PREFIX)) { // sealed: the ciphertext, as a string
            string(json, request);
        } else {
            json.append(',').append(request);
        }
        json.append(',').append(r.resultJson());
        json.append(',').append(r.traceJson());
        json.append(',').append(r.evaluationMicros());
        String creditLine = r.storedCreditLineJson();
        if (creditLine != null) { // records logged before credit lines keep the hash they were chained with
            string(json, r.orderId());
            if (creditLine.startsWith(PersonalData.SEALED_PREFIX)) {
                string(json, creditLine);
            } else {
                json.append(',').append(creditLine);
            }
        }
        json.append(']');
        return json.toString();
    }

    private static void string(StringBuilder json, String value) {
        ChainHash.string(json, value);
    }

    public boolean verifies() {
        return hash.equals(chainHash(previousHash, seq, record));
    }
}
