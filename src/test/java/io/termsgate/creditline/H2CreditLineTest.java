package io.termsgate.creditline;

import io.termsgate.support.ServiceTest;

/** Credit lines on the embedded default database. */
@ServiceTest
class H2CreditLineTest extends CreditLineScenarios {}
