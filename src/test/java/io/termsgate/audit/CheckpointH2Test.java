package io.termsgate.audit;

import io.termsgate.support.ServiceTest;
import org.springframework.test.context.TestPropertySource;

/** Signed checkpoints on the embedded default database, H2. */
@ServiceTest
@TestPropertySource(
        properties = {
            "termsgate.audit.checkpoints.every=5",
            "termsgate.audit.checkpoints.interval=1h",
            "termsgate.audit.checkpoints.poll-interval=1h",
            "termsgate.audit.checkpoints.instance-id=test-instance"
        })
class CheckpointH2Test extends CheckpointScenarios {}
