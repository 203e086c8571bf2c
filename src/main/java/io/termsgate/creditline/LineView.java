package io.termsgate.creditline;

import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A buyer's credit line as checkout, auditors and the buyer itself read it. */
@Schema(name = "CreditLine")
public record LineView(
        String customerId,

        @Schema(nullable = true, description = "null until the buyer's first order decision")
        String currency,

        @Schema(description = "the credit limit of the buyer's latest decision; 0 without one")
        BigDecimal limit,

        @Schema(description = "receivables: the request's, or the latest snapshot plus captures since")
        BigDecimal balance,

        @Schema(description = "the open holds of approved orders")
        BigDecimal held,

        @Schema(description = "max(limit - balance - held, 0)")
        BigDecimal available,

        List<HoldView> holds,
        @Schema(nullable = true) SnapshotView snapshot,

        @Schema(
                nullable = true,
                description = "set while dunning has suspended the buyer's terms: new orders on terms are "
                        + "referred to a credit manager (docs/dunning-policy.md)")
        SuspendedView termsSuspended) {

    @Schema(name = "SuspendedTerms")
    public record SuspendedView(Instant since, UUID byModelCall) {}

    @Schema(name = "SnapshotView")
    public record SnapshotView(Instant asOf, Instant importedAt) {}

    /** The holds still open: what counts against the line now. */
    public List<HoldView> openHolds() {
        return holds.stream().filter(h -> h.status() == HoldStatus.OPEN).toList();
    }
}
