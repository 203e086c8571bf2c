package io.termsgate.engine;

/**
 * Who has to sign the order off, in rising order of authority. {@code NONE} goes with a decline, {@code AUTO} with an
 * approval, anything higher with a referral.
 */
public enum ApprovalRoute {
    NONE,
    AUTO,
    CREDIT_ANALYST,
    CREDIT_MANAGER,
    CFO
}
