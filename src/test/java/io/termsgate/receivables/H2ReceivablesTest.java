package io.termsgate.receivables;

import io.termsgate.support.ServiceTest;

/** The receivables import on the embedded database. */
@ServiceTest
class H2ReceivablesTest extends ReceivablesScenarios {}
