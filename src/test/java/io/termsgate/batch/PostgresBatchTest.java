package io.termsgate.batch;

import io.termsgate.support.PostgresDatabase;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Batch decisions on PostgreSQL, the production database (the machine's server, else an embedded one; never skipped):
 * the same requests and answers as on H2.
 */
// its own database: closed after the class, so the machine's PostgreSQL is not left holding its pool
@DirtiesContext
@ActiveProfiles({"test", "postgres"})
class PostgresBatchTest extends BatchApiTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresDatabase.Database db = PostgresDatabase.newDatabase();
        registry.add("spring.datasource.url", db::url);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", db::password);
    }
}
