package io.termsgate.referral;

/** Where a referral case stands. Only {@code OPEN} may change; the other three are final. */
public enum ReferralStatus {
    /** Waiting for a person with the authority of its level (or above). */
    OPEN,
    /** A person (two, where the authority table asks for four eyes) approved the order. */
    APPROVED,
    /** A person declined the order. */
    DECLINED,
    /** Nobody answered in time: declined for {@code REF_EXPIRED}, never approved by silence. */
    EXPIRED;

    public boolean isFinal() {
        return this != OPEN;
    }
}
