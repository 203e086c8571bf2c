package io.termsgate.engine;

import io.termsgate.engine.facts.Customer;
import io.termsgate.engine.facts.Order;
import java.util.Objects;

/**
 * What checkout asks about: a buyer and the order it wants to pay on terms. Already validated at the HTTP edge,
 * so every value here is within the policy's Inputs table; the engine never sees raw JSON.
 */
public record CreditApplication(Customer customer, Order order) {

    public CreditApplication {
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(order, "order");
    }
}
