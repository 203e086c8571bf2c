package io.termsgate.audit;

import io.termsgate.support.PostgresDatabase;
import io.termsgate.support.ServiceTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** Signed checkpoints on PostgreSQL, the production database. Never skipped. */
// its own database: closed after the class, so the machine's PostgreSQL is not left holding its pool
@org.springframework.test.annotation.DirtiesContext
@ServiceTest
@ActiveProfiles({"test", "postgres"})
@TestPropertySource(
        properties = {
            "termsgate.audit.checkpoints.every=5",
            "termsgate.audit.checkpoints.interval=1h",
            "termsgate.audit.checkpoints.poll-interval=1h",
            "termsgate.audit.checkpoints.instance-id=test-instance"
        })
class CheckpointPostgresTest extends CheckpointScenarios {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresDatabase.Database db = PostgresDatabase.newDatabase();
        registry.add("spring.datasource.url", db::url);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", db::password);
    }
}
