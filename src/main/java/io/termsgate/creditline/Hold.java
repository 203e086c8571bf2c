package io.termsgate.creditline;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * An approved order's claim on its buyer's credit line.
 *
 * @param capturedAmount what was invoiced, once captured; null before
 * @param decisionId the decision that placed it
 */
public record Hold(
        UUID id,
        String customerId,
        String orderId,
        UUID decisionId,
        BigDecimal amount,
        String currency,
        HoldStatus status,
        BigDecimal capturedAmount,
        Instant createdAt,
        Instant expiresAt,
        Instant closedAt) {

    /** Open and not yet expired at {@code at}: it counts against the line. */
    public boolean holdsAt(Instant at) {
        return status == HoldStatus.OPEN && expiresAt.isAfter(at);
    }
}
