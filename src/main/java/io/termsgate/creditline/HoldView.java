package io.termsgate.creditline;

import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A hold as the line shows it; an open hold past its expiry shows as EXPIRED, swept or not. */
@Schema(name = "CreditHold")
public record HoldView(
        UUID id,
        String orderId,
        BigDecimal amount,
        @Schema(nullable = true) BigDecimal capturedAmount,
        HoldStatus status,
        Instant createdAt,
        Instant expiresAt,
        @Schema(nullable = true) Instant closedAt,
        UUID decisionId) {

    public static HoldView of(Hold h, Instant now) {
        return new HoldView(
                h.id(),
                h.orderId(),
                h.amount(),
                h.capturedAmount(),
                statusAt(h, now),
                h.createdAt(),
                h.expiresAt(),
                h.closedAt(),
                h.decisionId());
    }

    /** An open hold past its expiry is expired, whether or not the sweep has closed it yet. */
    static HoldStatus statusAt(Hold h, Instant now) {
        return h.status() == HoldStatus.OPEN && !h.expiresAt().isAfter(now) ? HoldStatus.EXPIRED : h.status();
    }
}
