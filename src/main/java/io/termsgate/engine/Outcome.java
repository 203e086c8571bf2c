package io.termsgate.engine;

/** The answer to checkout: may the buyer pay this order on terms. */
public enum Outcome {
    APPROVED,
    REFERRED,
    DECLINED
}
