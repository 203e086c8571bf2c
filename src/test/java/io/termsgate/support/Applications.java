package io.termsgate.support;

import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.facts.Customer;
import io.termsgate.engine.facts.Order;
import io.termsgate.engine.facts.PaymentHistory;
import java.math.BigDecimal;
import java.util.Set;

/**
 * Applications for tests, built from a typical grade-B buyer (the policy's first worked example) with one thing
 * changed at a time: {@code Applications.typical().creditScore(39).build()}.
 */
public final class Applications {

    private String id = "T-1";
    private String country = "DE";
    private String industry = "MANUFACTURING";
    private BigDecimal yearsInBusiness = new BigDecimal("7");
    private BigDecimal annualRevenue = new BigDecimal("20000000");
    private Integer creditScore = 70;
    private int invoicesPaid = 24;
    private BigDecimal avgDaysBeyondTerms = new BigDecimal("4");
    private int maxDaysPastDue = 12;
    private BigDecimal outstandingBalance = new BigDecimal("50000");
    private BigDecimal heldAmount = BigDecimal.ZERO;
    private String orderId;
    private Set<String> flags = Set.of();
    private BigDecimal amount = new BigDecimal("25000");
    private String currency = "EUR";
    private int requestedTermDays = 60;

    private Applications() {}

    /** Grade B (score 70), limit 400,000, available 350,000, asks 25,000 EUR for 60 days: approved. */
    public static Applications typical() {
        return new Applications();
    }

    public Applications id(String value) {
        id = value;
        return this;
    }

    public Applications country(String value) {
        country = value;
        return this;
    }

    public Applications industry(String value) {
        industry = value;
        return this;
    }

    public Applications yearsInBusiness(String value) {
        yearsInBusiness = new BigDecimal(value);
        return this;
    }

    public Applications annualRevenue(String value) {
        annualRevenue = new BigDecimal(value);
        return this;
    }

    public Applications creditScore(Integer value) {
        creditScore = value;
        return this;
    }

    public Applications invoicesPaid(int value) {
        invoicesPaid = value;
        return this;
    }

    public Applications avgDaysBeyondTerms(String value) {
        avgDaysBeyondTerms = new BigDecimal(value);
        return this;
    }

    public Applications maxDaysPastDue(int value) {
        maxDaysPastDue = value;
        return this;
    }

    public Applications outstandingBalance(String value) {
        outstandingBalance = new BigDecimal(value);
        return this;
    }

    public Applications flags(String... values) {
        flags = Set.of(values);
        return this;
    }

    public Applications amount(String value) {
        amount = new BigDecimal(value);
        return this;
    }

    public Applications currency(String value) {
        currency = value;
        return this;
    }

    public Applications heldAmount(String value) {
        heldAmount = new BigDecimal(value);
        return this;
    }

    public Applications orderId(String value) {
        orderId = value;
        return this;
    }

    public Applications requestedTermDays(int value) {
        requestedTermDays = value;
        return this;
    }

    public CreditApplication build() {
        return new CreditApplication(
                new Customer(
                        id,
                        country,
                        industry,
                        yearsInBusiness,
                        annualRevenue,
                        creditScore,
                        new PaymentHistory(invoicesPaid, avgDaysBeyondTerms, maxDaysPastDue),
                        outstandingBalance,
                        heldAmount,
                        flags),
                new Order(orderId, amount, currency, requestedTermDays));
    }
}
