package io.termsgate.creditline;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;

/**
 * A buyer's terms as dunning left them (docs/dunning-policy.md): SUSPENDED while the latest dunning call for the buyer
 * blocks new orders on terms, LIFTED by a later call that does not or by a credit manager.
 *
 * @param suspendedByCall the dunning model call that suspended them (GET /api/v1/models/calls/{id})
 * @param liftedByCall the dunning model call that lifted them, or null
 * @param liftedBy who lifted them (the call's client, or the credit manager), or null
 */
@Schema(name = "TermsSuspension")
public record TermsSuspension(
        String customerId,
        Status status,
        Instant suspendedAt,
        UUID suspendedByCall,
        Instant changedAt,
        @Schema(nullable = true) UUID liftedByCall,
        @Schema(nullable = true) String liftedBy) {

    public enum Status {
        SUSPENDED,
        LIFTED
    }
}
