package io.termsgate.engine.facts;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The buyer, as rule authors see it in DRL and spreadsheet conditions ({@code Customer( country == "DE" )}) and as
 * DMN sees the {@code Customer} input. Immutable; JavaBean getters because both Drools and FEEL read properties.
 *
 * <p>{@code creditScore} is {@code null} when the buyer has no bureau file.
 */
public final class Customer {

    private final String id;
    private final String country;
    private final String industry;
    private final BigDecimal yearsInBusiness;
    private final BigDecimal annualRevenue;
    private final Integer creditScore;
    private final PaymentHistory paymentHistory;
    private final BigDecimal outstandingBalance;
    private final BigDecimal heldAmount;
    private final SortedSet<String> flags;

    public Customer(
            String id,
            String country,
            String industry,
            BigDecimal yearsInBusiness,
            BigDecimal annualRevenue,
            Integer creditScore,
            PaymentHistory paymentHistory,
            BigDecimal outstandingBalance,
            BigDecimal heldAmount,
            Set<String> flags) {
        this.id = Objects.requireNonNull(id, "id");
        this.country = Objects.requireNonNull(country, "country");
        this.industry = Objects.requireNonNull(industry, "industry");
        this.yearsInBusiness = Objects.requireNonNull(yearsInBusiness, "yearsInBusiness");
        this.annualRevenue = Objects.requireNonNull(annualRevenue, "annualRevenue");
        this.creditScore = creditScore;
        this.paymentHistory = Objects.requireNonNull(paymentHistory, "paymentHistory");
        this.outstandingBalance = Objects.requireNonNull(outstandingBalance, "outstandingBalance");
        this.heldAmount = Objects.requireNonNull(heldAmount, "heldAmount");
        this.flags = Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(flags, "flags")));
    }

    public String getId() {
        return id;
    }

    public String getCountry() {
        return country;
    }

    public String getIndustry() {
        return industry;
    }

    public BigDecimal getYearsInBusiness() {
        return yearsInBusiness;
    }

    public BigDecimal getAnnualRevenue() {
        return annualRevenue;
    }

    /** The bureau score, or {@code null} when the buyer has no bureau file. */
    public Integer getCreditScore() {
        return creditScore;
    }

    /** {@code true} when the buyer has a bureau file; lets spreadsheet rows say "no bureau file" without a null test. */
    public boolean isBureauFile() {
        return creditScore != null;
    }

    public PaymentHistory getPaymentHistory() {
        return paymentHistory;
    }

    public BigDecimal getOutstandingBalance() {
        return outstandingBalance;
    }

    /** What the buyer's other approved orders hold on its credit line, not yet invoiced (set by the service). */
    public BigDecimal getHeldAmount() {
        return heldAmount;
    }

    /** Screening flags, sorted. */
    public SortedSet<String> getFlags() {
        return flags;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Customer c
                && id.equals(c.id)
                && country.equals(c.country)
                && industry.equals(c.industry)
                && yearsInBusiness.equals(c.yearsInBusiness)
                && annualRevenue.equals(c.annualRevenue)
                && Objects.equals(creditScore, c.creditScore)
                && paymentHistory.equals(c.paymentHistory)
                && outstandingBalance.equals(c.outstandingBalance)
                && heldAmount.equals(c.heldAmount)
                && flags.equals(c.flags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                id,
                country,
                industry,
                yearsInBusiness,
                annualRevenue,
                creditScore,
                paymentHistory,
                outstandingBalance,
                heldAmount,
                flags);
    }

    @Override
    public String toString() {
        // no personal data beyond the account id: this may end up in logs
        return "Customer[" + id + "]";
    }
}
