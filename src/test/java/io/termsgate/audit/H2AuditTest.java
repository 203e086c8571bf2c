package io.termsgate.audit;

import io.termsgate.support.ServiceTest;

/** The audit trail on the embedded default database, H2. */
@ServiceTest
class H2AuditTest extends AuditScenarios {}
