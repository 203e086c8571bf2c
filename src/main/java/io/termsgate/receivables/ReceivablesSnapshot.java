package io.termsgate.receivables;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * What the ERP said a buyer owed, and how it paid, as of a time: one row of a receivables import. The payment history
 * fields are null when the ERP did not send them.
 */
public record ReceivablesSnapshot(
        UUID id,
        String customerId,
        Instant asOf,
        Instant importedAt,
        BigDecimal outstandingBalance,
        Integer invoicesPaid,
        BigDecimal avgDaysBeyondTerms,
        Integer maxDaysPastDue) {}
