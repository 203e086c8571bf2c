package io.termsgate.web;

import java.net.URI;

/**
 * Stable {@code type} URIs of the problem responses (RFC 9457). Clients branch on these, never on titles or details.
 * Each resolves against the service to a short page explaining the problem ({@code GET /problems/{name}}).
 */
public final class ProblemTypes {

    public static final URI INVALID_REQUEST = of("invalid-request");
    public static final URI MALFORMED_JSON = of("malformed-json");
    public static final URI UNAUTHENTICATED = of("unauthenticated");
    public static final URI FORBIDDEN = of("forbidden");
    public static final URI NOT_FOUND = of("not-found");
    public static final URI METHOD_NOT_ALLOWED = of("method-not-allowed");
    public static final URI UNSUPPORTED_MEDIA_TYPE = of("unsupported-media-type");
    public static final URI NOT_ACCEPTABLE = of("not-acceptable");
    public static final URI PAYLOAD_TOO_LARGE = of("payload-too-large");
    public static final URI CONFLICT = of("conflict");
    public static final URI CURRENCY_MISMATCH = of("currency-mismatch");
    public static final URI IDEMPOTENCY_KEY_REUSED = of("idempotency-key-reused");
    public static final URI RULESET_REJECTED = of("ruleset-rejected");
    public static final URI MODEL_EVALUATION_FAILED = of("model-evaluation-failed");
    public static final URI RECEIVABLES_REJECTED = of("receivables-rejected");
    public static final URI BATCH_REJECTED = of("batch-rejected");
    public static final URI SERVICE_UNAVAILABLE = of("service-unavailable");
    public static final URI PERSONAL_DATA_ERASED = of("personal-data-erased");
    /** A version that may not run as a challenger beside the live one (not validated, scenarios not passed). */
    public static final URI CHALLENGER_REFUSED = of("challenger-refused");

    public static final URI INTERNAL_ERROR = of("internal-error");

    private ProblemTypes() {}

    private static URI of(String name) {
        return URI.create("/problems/" + name);
    }
}
