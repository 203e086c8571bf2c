package io.termsgate.receivables;

import java.math.BigDecimal;
import java.time.Instant;

/** One valid row of a receivables file: what a buyer owed, and how it paid, as of a time. */
record ReceivablesRow(
        long line,
        String customerId,
        Instant asOf,
        BigDecimal outstandingBalance,
        Integer invoicesPaid,
        BigDecimal avgDaysBeyondTerms,
        Integer maxDaysPastDue) {}
