package io.termsgate.audit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.termsgate.engine.ApprovalRoute;
import io.termsgate.engine.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A real decision log for unit tests, without Spring: a fresh in-memory H2 database (the service's settings) with
 * the service's migrations, and the components of the log built by hand.
 */
public final class AuditDatabase {

    private static final AtomicInteger NAMES = new AtomicInteger();
    static final String VERSION = "sha256:" + "a".repeat(64);

    final DataSource dataSource;
    final JdbcClient jdbc;
    final JdbcTemplate template;
    final TransactionTemplate transactions;

    AuditDatabase() {
        this(h2());
    }

    /** The log's database on {@code dataSource}, which must be empty: the migrations run on it. */
    public AuditDatabase(DataSource dataSource) {
        this.dataSource = dataSource;
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        jdbc = JdbcClient.create(dataSource);
        template = new JdbcTemplate(dataSource);
        transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        // decisions name the version that made them, which must be stored
        storeVersion(VERSION);
    }

    private static DataSource h2() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:audit-unit-" + NAMES.incrementAndGet()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        return h2;
    }

    /** Records a ruleset version as stored (without files): decisions name the version that made them. */
    public void storeVersion(String version) {
        jdbc.sql("INSERT INTO ruleset_version (version, stored_at, stored_by, origin, file_count) "
                        + "VALUES (?, CURRENT_TIMESTAMP, 'test', 'test', 0)")
                .param(version)
                .update();
    }

    public static AuditProperties properties(Duration commitTimeout) {
        return new AuditProperties(256, Duration.ZERO, commitTimeout, 20_000);
    }

    /** A decision log on this database, waiting at most 3 s for a commit. */
    public JdbcDecisionLog log() {
        return new JdbcDecisionLog(
                jdbc, template, transactions, properties(Duration.ofSeconds(3)), metrics(), personalData());
    }

    /** The log's personal data on this database, sealed under a master key of this test's own. */
    public PersonalData personalData() {
        if (personalData == null) {
            personalData = personalData(jdbc, transactions);
        }
        return personalData;
    }

    private PersonalData personalData;

    static PersonalData personalData(JdbcClient jdbc, TransactionTemplate transactions) {
        byte[] master = new byte[32];
        new java.security.SecureRandom().nextBytes(master);
        return new PersonalData(
                jdbc,
                transactions.getTransactionManager(),
                java.time.Clock.systemUTC(),
                new PrivacyProperties(
                        java.util.Base64.getEncoder().encodeToString(master),
                        java.nio.file.Path.of("unused"),
                        Duration.ofSeconds(10),
                        1000),
                new org.springframework.mock.env.MockEnvironment());
    }

    static AuditMetrics metrics() {
        return new AuditMetrics(new SimpleMeterRegistry());
    }

    /** A record of an approved decision for {@code customerId}, with an idempotency key or none. */
    static DecisionRecord record(String customerId, String idempotencyKey) {
        String request = "{\"customer\":{\"id\":\"" + customerId + "\"},\"order\":{\"amount\":1000}}";
        return new DecisionRecord(
                UUID.randomUUID(),
                Instant.parse("2026-11-22T10:00:00Z"),
                "checkout",
                idempotencyKey,
                CanonicalJson.sha256(request),
                customerId,
                Outcome.APPROVED.name(),
                ApprovalRoute.AUTO.name(),
                VERSION,
                "{\"drools\":\"10.2\"}",
                request,
                "{\"outcome\":\"APPROVED\"}",
                "{\"rules\":[]}",
                42,
                null,
                null);
    }
}
