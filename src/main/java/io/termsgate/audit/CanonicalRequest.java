package io.termsgate.audit;

import io.termsgate.engine.ApplicationField;
import io.termsgate.engine.CreditApplication;
import java.util.Set;

/**
 * A request as the client sent it: the application read from it, the canonical JSON of the fields it gave, and that
 * text's SHA-256, by which a retried request is recognised. Left-out fields are not in the text: a request that
 * leaves out its balance (the credit line fills it in) is not the same request as one that says 0.
 */
public record CanonicalRequest(CreditApplication application, String json, String sha256) {

    public static CanonicalRequest of(CreditApplication application, Set<ApplicationField> given) {
        String json = CanonicalJson.request(application, given);
        return new CanonicalRequest(application, json, CanonicalJson.sha256(json));
    }

    /** A request that gave every field. */
    public static CanonicalRequest of(CreditApplication application) {
        return of(application, Set.of(ApplicationField.values()));
    }
}
