package io.termsgate.decision;

import java.util.UUID;

/** The Idempotency-Key was already used by this client for a different request. */
class IdempotencyKeyReusedException extends RuntimeException {

    private final UUID originalDecision;

    public IdempotencyKeyReusedException(String key, UUID originalDecision) {
        super("Idempotency-Key " + key + " was used for a different request (decision " + originalDecision + ")");
        this.originalDecision = originalDecision;
    }

    public UUID originalDecision() {
        return originalDecision;
    }
}
