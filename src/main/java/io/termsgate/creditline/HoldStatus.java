package io.termsgate.creditline;

/** Where a hold is in its life: OPEN until it is captured (invoiced), released (cancelled, replaced) or expires. */
public enum HoldStatus {
    OPEN,
    CAPTURED,
    RELEASED,
    EXPIRED;

    public boolean isFinal() {
        return this != OPEN;
    }
}
