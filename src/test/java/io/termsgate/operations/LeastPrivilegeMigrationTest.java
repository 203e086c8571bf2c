package io.termsgate.operations;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.termsgate.support.PostgresDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;

/**
 * The runtime grants refuse a runtime role they would mean nothing to, so a misconfigured deployment does not start
 * believing its logs are protected. Flyway alone, as the service runs it under the postgres profile; no Spring.
 */
class LeastPrivilegeMigrationTest {

    private static final String PASSWORD = "pw-" + UUID.randomUUID();

    @Test
    void aRuntimeRoleThatDoesNotExistStopsTheMigration() throws SQLException {
        assertThatThrownBy(() -> migrate("termsgate_nobody_" + suffix()))
                .isInstanceOf(FlywayException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void aRuntimeRoleWithTheOwnersPrivilegesStopsTheMigration() throws SQLException {
        String runtime = "termsgate_member_" + suffix();
        assertThatThrownBy(() -> migrate(runtime, "CREATE ROLE " + runtime + " LOGIN IN ROLE %owner%"))
                .isInstanceOf(FlywayException.class)
                .hasMessageContaining("has the privileges of the owner");
    }

    @Test
    void aSuperuserAsRuntimeRoleStopsTheMigration() throws SQLException {
        String runtime = "termsgate_super_" + suffix();
        assertThatThrownBy(() -> migrate(runtime, "CREATE ROLE " + runtime + " LOGIN SUPERUSER"))
                .isInstanceOf(FlywayException.class)
                .hasMessageContaining("is a superuser");
    }

    /** Migrates a fresh database as a new owner, with {@code runtime} as the runtime role, after {@code setup}. */
    private static void migrate(String runtime, String... setup) throws SQLException {
        PostgresDatabase.Database db = PostgresDatabase.newDatabase();
        String owner = "termsgate_owner_" + suffix();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + owner + " LOGIN PASSWORD '" + PASSWORD + "'");
            st.execute("ALTER DATABASE " + db.name() + " OWNER TO " + owner);
            st.execute("GRANT CREATE ON SCHEMA public TO " + owner);
            for (String statement : setup) {
                st.execute(statement.replace("%owner%", owner));
            }
        }
        Flyway.configure()
                .dataSource(db.url(), owner, PASSWORD)
                .locations("classpath:db/migration", "classpath:db/postgresql")
                .placeholders(Map.of("runtime_role", runtime))
                .load()
                .migrate();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
