package io.termsgate.audit;

import io.termsgate.support.PostgresDatabase;
import io.termsgate.support.ServiceTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The audit trail on PostgreSQL, the production database: the machine's server when there is one, else an embedded
 * one. Never skipped.
 */
// its own database: closed after the class, so the machine's PostgreSQL is not left holding its pool
@org.springframework.test.annotation.DirtiesContext
@ServiceTest
@ActiveProfiles({"test", "postgres"})
class PostgresAuditTest extends AuditScenarios {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresDatabase.Database db = PostgresDatabase.newDatabase();
        registry.add("spring.datasource.url", db::url);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", db::password);
    }
}
