package io.termsgate.engine.facts;

import java.math.BigDecimal;
import java.util.Objects;

/** How the buyer has paid us: invoices paid in 24 months, average days late, worst days past due in 12 months. */
public final class PaymentHistory {

    private final int invoicesPaid;
    private final BigDecimal avgDaysBeyondTerms;
    private final int maxDaysPastDue;

    public PaymentHistory(int invoicesPaid, BigDecimal avgDaysBeyondTerms, int maxDaysPastDue) {
        this.invoicesPaid = invoicesPaid;
        this.avgDaysBeyondTerms = Objects.requireNonNull(avgDaysBeyondTerms, "avgDaysBeyondTerms");
        this.maxDaysPastDue = maxDaysPastDue;
    }

    public int getInvoicesPaid() {
        return invoicesPaid;
    }

    public BigDecimal getAvgDaysBeyondTerms() {
        return avgDaysBeyondTerms;
    }

    public int getMaxDaysPastDue() {
        return maxDaysPastDue;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PaymentHistory p
                && invoicesPaid == p.invoicesPaid
                && avgDaysBeyondTerms.equals(p.avgDaysBeyondTerms)
                && maxDaysPastDue == p.maxDaysPastDue;
    }

    @Override
    public int hashCode() {
        return Objects.hash(invoicesPaid, avgDaysBeyondTerms, maxDaysPastDue);
    }

    @Override
    public String toString() {
        return "PaymentHistory[" + invoicesPaid + ", " + avgDaysBeyondTerms + ", " + maxDaysPastDue + "]";
    }
}
