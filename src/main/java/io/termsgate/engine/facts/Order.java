package io.termsgate.engine.facts;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The order the buyer wants to pay on terms. Amounts are in {@code currency}; nothing is converted. {@code id} is the
 * seller's order reference, or {@code null} for an assessment (a credit check that holds nothing).
 */
public final class Order {

    private final String id;
    private final BigDecimal amount;
    private final String currency;
    private final int requestedTermDays;

    public Order(String id, BigDecimal amount, String currency, int requestedTermDays) {
        this.id = id;
        this.amount = Objects.requireNonNull(amount, "amount");
        this.currency = Objects.requireNonNull(currency, "currency");
        this.requestedTermDays = requestedTermDays;
    }

    public String getId() {
        return id;
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
                && Objects.equals(id, other.id)
                && amount.equals(other.amount)
                && currency.equals(other.currency)
                && requestedTermDays == other.requestedTermDays;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, amount, currency, requestedTermDays);
    }

    @Override
    public String toString() {
        return "Order[" + (id == null ? "" : id + ", ") + amount + " " + currency + ", " + requestedTermDays + " days]";
    }
}
