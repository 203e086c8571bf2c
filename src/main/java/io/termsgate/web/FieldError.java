package io.termsgate.web;

/** One bad input field: its JSON path (e.g. {@code customer.paymentHistory.invoicesPaid}) and what is wrong with it. */
public record FieldError(String field, String message) {}
