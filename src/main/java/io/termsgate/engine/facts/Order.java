package io.termsgate.engine.facts;

import java.math.BigDecimal;
import java.util.Objects;

/** The order the buyer wants to pay on terms. Amounts are in {@code currency}; nothing is converted. */
public final class Order {

    private final BigDecimal amount;
    private final String currency;
    private final int requestedTermDays;

    public Order(BigDecimal amount, String currency, int requestedTermDays) {
        this.amount = Objects.requireNonNull(amount, "amount");
        this.currency = Objects.requireNonNull(currency, "currency");
        this.requestedTermDays = requestedTermDays;
    }

    public BigDecimal getAmount() {
        return amount;
    }

    public String getCurrency() {
        return currency;
    }

    public int getRequestedTermDays() {
        return requestedTermDays;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Order other
                && amount.equals(other.amount)
                && currency.equals(other.currency)
                && requestedTermDays == other.requestedTermDays;
    }

    @Override
    public int hashCode() {
        return Objects.hash(amount, currency, requestedTermDays);
    }

    @Override
    public String toString() {
        return "Order[" + amount + " " + currency + ", " + requestedTermDays + " days]";
    }
}
