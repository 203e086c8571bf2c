/**
 * Personal data under GDPR: erasure requests (Art. 17). The log keeps each customer's personal data sealed under the
 * customer's own key ({@link io.termsgate.audit.PersonalData}); {@link io.termsgate.privacy.Erasures} destroys it,
 * reaches what other modules keep of the customer ({@link io.termsgate.privacy.ErasureReach}) and records the erasure
 * in a hash chain of its own.
 */
package io.termsgate.privacy;
