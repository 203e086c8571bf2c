package io.termsgate.creditline;

import io.termsgate.receivables.ReceivablesSnapshot;
import java.math.BigDecimal;
import java.util.List;

/**
 * A buyer's line as read at one time: its currency (null: no line yet), latest receivables snapshot (or null), what
 * was captured after that snapshot's as-of time (all captures without one), and its open, unexpired holds.
 */
record LineState(
        String currency, ReceivablesSnapshot snapshot, BigDecimal capturedSinceSnapshot, List<Hold> openHolds) {}
