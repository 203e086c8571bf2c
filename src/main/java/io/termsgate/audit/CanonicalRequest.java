package io.termsgate.audit;

import io.termsgate.engine.CreditApplication;

/**
 * An application as the log stores it: its canonical JSON and that text's SHA-256, by which a retried request is
 * recognised. Written once per request, before deciding, and reused for the record.
 */
public record CanonicalRequest(CreditApplication application, String json, String sha256) {

    public static CanonicalRequest of(CreditApplication application) {
        String json = CanonicalJson.request(application);
        return new CanonicalRequest(application, json, CanonicalJson.sha256(json));
    }
}
