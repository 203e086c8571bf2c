package io.termsgate.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import io.termsgate.support.PostgresDatabase;
import io.termsgate.support.ServiceTest;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Two database roles on PostgreSQL: Flyway migrates as the schema owner, the service runs as a runtime role that
 * db/postgresql/R__runtime_grants.sql grants only the statements it issues. The service decides orders and a
 * referral over real HTTP as that role, and the role cannot rewrite, delete or truncate the chained logs.
 */
// its own database: closed after the class, so the machine's PostgreSQL is not left holding its pool
@org.springframework.test.annotation.DirtiesContext
@ServiceTest
@ActiveProfiles({"test", "postgres"})
class LeastPrivilegeTest {

    private static final String SUFFIX =
            UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private static final String OWNER = "termsgate_owner_" + SUFFIX;
    private static final String RUNTIME = "termsgate_runtime_" + SUFFIX;
    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final String[] CHAINED_LOGS = {
        "decision_log", "credit_ledger", "referral_event", "personal_data_erasure", "access_log", "model_call"
    };

    /** What the runtime role may do per table: the grants the migration makes, read back from the database. */
    private static final Map<String, Set<String>> EXPECTED_GRANTS = new TreeMap<>(Map.ofEntries(
            Map.entry("decision_log", Set.of("SELECT", "INSERT")),
            Map.entry("credit_ledger", Set.of("SELECT", "INSERT")),
            Map.entry("referral_event", Set.of("SELECT", "INSERT")),
            Map.entry("access_log", Set.of("SELECT", "INSERT")),
            Map.entry("model_call", Set.of("SELECT", "INSERT")),
            Map.entry("ruleset_event", Set.of("SELECT", "INSERT")),
            Map.entry("ruleset_file", Set.of("SELECT", "INSERT")),
            Map.entry("receivables_snapshot", Set.of("SELECT", "INSERT")),
            Map.entry("audit_checkpoint", Set.of("SELECT", "INSERT")),
            Map.entry("personal_data_erasure", Set.of("SELECT", "INSERT")),
            Map.entry("personal_data_key", Set.of("SELECT", "INSERT", "DELETE")),
            Map.entry("credit_line", Set.of("SELECT", "INSERT")),
            Map.entry("decision_log_head", Set.of("SELECT", "UPDATE")),
            Map.entry("ruleset_version", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("ruleset_active", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("ruleset_folder", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("backtest", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("credit_hold", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("receivables_import", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("referral_case", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("referral_webhook", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("batch", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("batch_line", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("batch_chunk", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("shadow_run", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("shadow_challenger", Set.of("SELECT", "UPDATE")),
            Map.entry("shadow_decision", Set.of("SELECT", "INSERT")),
            Map.entry("backtest_changed", Set.of("SELECT", "INSERT", "UPDATE")),
            Map.entry("terms_suspension", Set.of("SELECT", "INSERT", "UPDATE"))));

    private static PostgresDatabase.Database db;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Http http;

    @DynamicPropertySource
    static void twoRoles(DynamicPropertyRegistry registry) throws SQLException {
        db = PostgresDatabase.newDatabase();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + OWNER + " LOGIN PASSWORD '" + PASSWORD + "'");
            st.execute("CREATE ROLE " + RUNTIME + " LOGIN PASSWORD '" + PASSWORD + "'");
            // the owner owns the database, and with it (PostgreSQL 15 and later) the public schema
            st.execute("ALTER DATABASE " + db.name() + " OWNER TO " + OWNER);
            st.execute("GRANT CREATE ON SCHEMA public TO " + OWNER);
        }
        registry.add("spring.datasource.url", db::url);
        registry.add("spring.datasource.username", () -> RUNTIME);
        registry.add("spring.datasource.password", () -> PASSWORD);
        // as an operator would set them (docs/operations.md)
        registry.add("TERMSGATE_DB_OWNER_USER", () -> OWNER);
        registry.add("TERMSGATE_DB_OWNER_PASSWORD", () -> PASSWORD);
    }

    @BeforeEach
    void http() {
        http = new Http(port);
    }

    @Test
    void theServiceDecidesOrdersAndReferralsAsTheRuntimeRole() {
        assertThat(jdbc.sql("SELECT current_user").query(String.class).single()).isEqualTo(RUNTIME);
        assertThat(jdbc.sql("SELECT tableowner FROM pg_tables WHERE tablename = 'decision_log'")
                        .query(String.class)
                        .single())
                .isEqualTo(OWNER);

        // the ERP's receivables: an import, its snapshots, then its summary updated
        String customer = "LP-" + SUFFIX;
        Http.Response imported = http.post(
                "/api/v1/receivables",
                "demo-erp",
                "text/csv",
                "customerId,asOf,outstandingBalance,invoicesPaid,avgDaysBeyondTerms,maxDaysPastDue\n" + customer
                        + ",2026-11-01,1200.50,24,4.5,12\n");
        assertThat(imported.status()).as(imported.body()).isEqualTo(201);

        // an approved order: its line locked, a hold placed and chained in the ledger, then released
        JsonNode approved = decide("EX-01", customer, "SO-LP-1", "100000");
        assertThat(approved.get("outcome").asText()).as(approved.toString()).isEqualTo("APPROVED");
        String hold = approved.at("/hold/id").asText();
        Http.Response released =
                http.postJson("/api/v1/credit-lines/" + customer + "/holds/" + hold + "/release", "demo-checkout", "");
        assertThat(released.status()).as(released.body()).isEqualTo(200);

        // a referred order: its case opened, then declined by a credit manager (a chained event, the webhook outbox)
        String referredCustomer = "LP-REF-" + SUFFIX;
        JsonNode referred = decide("EX-14", referredCustomer, "SO-LP-2", null);
        assertThat(referred.get("outcome").asText()).as(referred.toString()).isEqualTo("REFERRED");
        Http.Response cases = http.get("/api/v1/referrals?customerId=" + referredCustomer, "demo-auditor");
        assertThat(cases.status()).as(cases.body()).isEqualTo(200);
        String caseId = cases.json().at("/items/0/id").asText();
        Http.Response declined = http.postJson(
                "/api/v1/referrals/" + caseId + "/decline", "demo-credit-manager", "{\"reasons\": [\"THIN_FILE\"]}");
        assertThat(declined.status()).as(declined.body()).isEqualTo(200);
        assertThat(declined.json().get("outcome").asText()).isEqualTo("DECLINED");

        // an erasure request: the customer's key row deleted, their decided case pseudonymised, the erasure chained
        Http.Response erased =
                http.send("DELETE", "/api/v1/customers/" + referredCustomer + "/personal-data", "demo-privacy");
        assertThat(erased.status()).as(erased.body()).isEqualTo(200);
        assertThat(erased.json().get("decisionsErased").asLong()).isEqualTo(1);

        // a decision service call: logged in the model calls' chain, then replayed
        Http.Response dunning = http.postJson(
                "/api/v1/models/dunning",
                "demo-client",
                "{\"Days Past Due\": 60, \"Amount\": 7000, \"Risk Grade\": \"B\", \"Reminders Sent\": 3,"
                        + " \"Disputed\": false}");
        assertThat(dunning.status()).as(dunning.body()).isEqualTo(200);
        Http.Response replayed = http.send(
                "POST", "/api/v1/models/calls/" + dunning.header("X-Model-Call-Id") + "/replay", "demo-auditor");
        assertThat(replayed.json().get("identical").asBoolean())
                .as(replayed.body())
                .isTrue();

        for (String chain : new String[] {
            "/api/v1/audit/verify",
            "/api/v1/audit/ledger/verify",
            "/api/v1/audit/referrals/verify",
            "/api/v1/audit/erasures/verify",
            "/api/v1/audit/models/verify"
        }) {
            Http.Response report = http.get(chain, "demo-auditor");
            assertThat(report.status()).as(chain + " " + report.body()).isEqualTo(200);
            assertThat(report.json().get("valid").asBoolean())
                    .as(chain + " " + report.body())
                    .isTrue();
        }

        // who looked: each of those reads was chained into the access log by the runtime role (INSERT only)
        Http.Response looked = http.get("/api/v1/audit/access-log?actor=demo-auditor", "demo-auditor");
        assertThat(looked.status()).as(looked.body()).isEqualTo(200);
        assertThat(looked.json().get("items").findValuesAsText("action"))
                .contains("VERIFY", "LEDGER_VERIFY", "REFERRALS_VERIFY");
        JsonNode verified = http.get("/api/v1/audit/verify", "demo-auditor").json();
        assertThat(verified.at("/accessLog/valid").asBoolean())
                .as(verified.toString())
                .isTrue();
        assertThat(verified.at("/accessLog/checked").asLong()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void theRuntimeRoleReadsTheChainedLogsButCannotChangeThem() throws SQLException {
        try (Connection runtime = DriverManager.getConnection(db.url(), RUNTIME, PASSWORD);
                Statement st = runtime.createStatement()) {
            for (String log : CHAINED_LOGS) {
                assertThat(st.executeQuery("SELECT count(*) FROM " + log).next())
                        .isTrue();
                for (String change : new String[] {
                    "UPDATE " + log + " SET hash = previous_hash", "DELETE FROM " + log, "TRUNCATE " + log
                }) {
                    assertThatThrownBy(() -> st.execute(change))
                            .as(change)
                            .isInstanceOfSatisfying(
                                    SQLException.class,
                                    e -> assertThat(e.getSQLState())
                                            .as(e.getMessage())
                                            .isEqualTo("42501"))
                            .hasMessageContaining("permission denied");
                }
            }
            assertThatThrownBy(() -> st.execute("DELETE FROM decision_log_head"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> st.execute("SELECT count(*) FROM flyway_schema_history"))
                    .hasMessageContaining("permission denied");
        }
    }

    @Test
    void everyTableGrantsTheRuntimeRoleExactlyWhatTheServiceIssues() {
        Map<String, Set<String>> granted = new TreeMap<>();
        jdbc.sql("SELECT table_name, privilege_type FROM information_schema.role_table_grants "
                        + "WHERE grantee = ? AND table_schema = current_schema()")
                .param(RUNTIME)
                .query((rs, n) -> granted.computeIfAbsent(rs.getString(1), t -> new TreeSet<>())
                        .add(rs.getString(2)))
                .list();
        Set<String> tables =
                new TreeSet<>(jdbc.sql("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                                + "AND tablename <> 'flyway_schema_history'")
                        .query(String.class)
                        .list());

        // a new table without a line in R__runtime_grants.sql (and here) fails this
        assertThat(tables).isEqualTo(EXPECTED_GRANTS.keySet());
        assertThat(granted).isEqualTo(EXPECTED_GRANTS);
        // SELECT ... FOR UPDATE (the buyer's lock) needs UPDATE on some column; the service updates none
        assertThat(jdbc.sql("SELECT table_name || '.' || column_name FROM information_schema.column_privileges "
                                + "WHERE grantee = ? AND table_schema = current_schema() AND privilege_type = 'UPDATE' "
                                + "AND table_name = 'credit_line'")
                        .param(RUNTIME)
                        .query(String.class)
                        .list())
                .containsExactly("credit_line.created_at");
    }

    private JsonNode decide(String example, String customer, String orderId, String amount) {
        ObjectNode request = PolicyExamples.byCustomerId(example).request().deepCopy();
        ((ObjectNode) request.get("customer")).put("id", customer);
        ((ObjectNode) request.get("order")).put("id", orderId);
        if (amount != null) {
            ((ObjectNode) request.get("order")).put("amount", new BigDecimal(amount));
        }
        Http.Response decided = http.postJson("/api/v1/credit-decisions", "demo-checkout", request.toString());
        assertThat(decided.status()).as(decided.body()).isEqualTo(201);
        return decided.json();
    }
}
