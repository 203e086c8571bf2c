package io.termsgate.audit;

/** Another request with the same client and Idempotency-Key was logged first (possibly by another instance). */
public class DuplicateIdempotencyKeyException extends RuntimeException {

    public DuplicateIdempotencyKeyException(String client, String key) {
        super("idempotency key already logged for " + client + ": " + key, null, false, false);
    }
}
