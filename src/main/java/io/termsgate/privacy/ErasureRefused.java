package io.termsgate.privacy;

/** An erasure that must wait (the customer has open business, such as a referral awaiting a decision). */
public class ErasureRefused extends RuntimeException {

    public ErasureRefused(String message) {
        super(message);
    }
}
