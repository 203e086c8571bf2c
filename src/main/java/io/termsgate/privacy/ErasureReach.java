package io.termsgate.privacy;

/**
 * What a module keeps of a customer outside the decision log, reached by an erasure: implemented by the modules that
 * keep customer ids (backtest reports, referral cases). Called in the erasure's transaction, after the customer's key
 * is destroyed; whatever it writes commits or rolls back with the erasure.
 */
public interface ErasureReach {

    /**
     * Removes or pseudonymises what this module keeps of the customer.
     *
     * @param subjectRef what stands for the customer in the log from now on: a module may keep it in place of the id
     * @throws ErasureRefused when the customer's data cannot be erased yet (an open case): nothing is erased
     */
    Reached erase(String customerId, String subjectRef);

    /**
     * @param where what was reached ("backtest reports")
     * @param records how many rows or reports
     * @param how what was done to them
     */
    record Reached(String where, long records, String how) {}
}
