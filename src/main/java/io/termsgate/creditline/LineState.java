package io.termsgate.creditline;

import io.termsgate.receivables.ReceivablesSnapshot;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A buyer's line as read at one time: its currency (null: no line yet), latest receivables snapshot (or null), what
 * was captured after that snapshot's as-of time (all captures without one), its open, unexpired holds, and its terms
 * suspended by dunning (null when they are not).
 */
record LineState(
        String currency,
        ReceivablesSnapshot snapshot,
        BigDecimal capturedSinceSnapshot,
        List<Hold> openHolds,
        Suspension suspension) {

    /** The buyer's terms are suspended: since when, by which dunning model call. */
    record Suspension(Instant since, UUID byModelCall) {}

    /** What one read of the line's row gives: its currency (null: no line yet) and its suspension (null: none). */
    record Head(String currency, Suspension suspension) {}
}
