package io.termsgate.referral.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.termsgate.support.DatabaseCable;
import io.termsgate.support.PostgresDatabase;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox and its deliverer built by hand on a real database with the service's migrations, on a clock the test
 * moves: claims between instances (H2 and PostgreSQL), giving up, backoff, and what enqueue refuses.
 */
class WebhookOutboxClaimTest {

    static final String SECRET = "claim-test-secret-0123456789abcdefgh";

    /** A clock the test sets. */
    static final class TestClock extends Clock {
        volatile Instant now = Instant.parse("2026-11-02T09:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** One database with the migrations, an outbox and a deliverer on it. */
    static final class Outbox {
        final TestClock clock = new TestClock();
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final JdbcClient jdbc;
        final TransactionTemplate transactions;
        final WebhookDeliveries deliveries;
        final WebhookOutbox outbox;
        final WebhookDeliverer deliverer;
        final WebhookProperties properties;

        Outbox(DataSource database, WebhookProperties properties) {
            Flyway.configure()
                    .dataSource(database)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            this.properties = properties;
            jdbc = JdbcClient.create(database);
            transactions = new TransactionTemplate(new DataSourceTransactionManager(database));
            deliveries = new WebhookDeliveries(jdbc);
            outbox = new WebhookOutbox(deliveries, properties, clock, new MockEnvironment());
            deliverer = properties.configured() ? new WebhookDeliverer(deliveries, properties, clock, registry) : null;
        }

        UUID enqueue(String body) {
            UUID referral = UUID.randomUUID();
            transactions.executeWithoutResult(
                    tx -> outbox.enqueue("referral.decided", UUID.randomUUID(), referral, body));
            return jdbc.sql("SELECT id FROM referral_webhook WHERE referral_id = ?")
                    .param(referral)
                    .query(UUID.class)
                    .single();
        }

        DeliveryView row(UUID id) {
            return deliveries.find(id).orElseThrow();
        }

        double counted(String result) {
            return registry.get(WebhookDeliverer.METRIC)
                    .tag("result", result)
                    .counter()
                    .count();
        }
    }

    static WebhookProperties settings(String url, int maxAttempts) {
        return new WebhookProperties(
                url == null ? null : URI.create(url),
                url == null ? null : SECRET,
                Duration.ofSeconds(2),
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                maxAttempts,
                Duration.ofMillis(500));
    }

    static Stream<Arguments> databases() {
        Supplier<DataSource> h2 = () -> DatabaseCable.h2("webhook-claim");
        Supplier<DataSource> postgres = () -> {
            PostgresDatabase.Database db = PostgresDatabase.newDatabase();
            return new DriverManagerDataSource(db.url(), db.user(), db.password());
        };
        return Stream.of(Arguments.of("H2", h2), Arguments.of("PostgreSQL", postgres));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void twoClaimersOnOneRowOnlyOneGetsIt(String name, Supplier<DataSource> database) throws Exception {
        Outbox db = new Outbox(database.get(), settings("http://127.0.0.1:9/hook", 20));
        Instant now = db.clock.instant();
        Instant until = now.plusSeconds(60);
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 40; round++) {
                UUID id = db.enqueue("{\"round\":" + round + "}");
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<Optional<WebhookDeliveries.Delivery>>> claims = new ArrayList<>();
                for (String claimant : List.of("instance-a", "instance-b")) {
                    claims.add(two.submit(() -> {
                        together.await();
                        return db.deliveries.claim(id, claimant, now, until);
                    }));
                }
                int won = 0;
                for (Future<Optional<WebhookDeliveries.Delivery>> claim : claims) {
                    won += claim.get().isPresent() ? 1 : 0;
                }
                assertThat(won).as(name + " round " + round).isEqualTo(1);
            }
        } finally {
            two.shutdownNow();
        }

        // a claim holds until it runs out; then another instance may take the row (the first one crashed)
        UUID id = db.enqueue("{\"lease\":true}");
        assertThat(db.deliveries.claim(id, "instance-a", now, until)).isPresent();
        assertThat(db.deliveries.claim(id, "instance-b", now.plusSeconds(59), until.plusSeconds(59)))
                .isEmpty();
        assertThat(db.deliveries.claim(id, "instance-b", until.plusMillis(1), until.plusSeconds(60)))
                .isPresent();
        // a delivered row is never claimed again
        assertThat(db.deliveries.delivered(id, 1, 200, until.plusSeconds(1))).isTrue();
        assertThat(db.deliveries.claim(id, "instance-a", until.plusSeconds(3600), until.plusSeconds(3660)))
                .isEmpty();
        assertThat(db.deliveries.due(until.plusSeconds(3600), 10)).doesNotContain(id);
    }

    @Test
    void aDeliveryNoOneTakesIsGivenUpAfterTheLastAttempt() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Outbox db =
                new Outbox(DatabaseCable.h2("webhook-give-up"), settings("http://127.0.0.1:" + closedPort + "/", 2));
        UUID id = db.enqueue("{\"outcome\":\"APPROVED\"}");

        assertThat(db.deliverer.drain()).isEqualTo(1);
        DeliveryView first = db.row(id);
        assertThat(first.status()).isEqualTo("PENDING");
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.lastStatus()).isNull();
        assertThat(first.lastError()).isEqualTo("connection failed");
        assertThat(first.nextAttemptAt())
                .isAfter(db.clock.instant().plusMillis(899))
                .isBefore(db.clock.instant().plusMillis(1001));
        assertThat(db.counted("failed_attempt")).isEqualTo(1);
        assertThat(db.deliverer.drain()).as("not due before its backoff").isZero();

        db.clock.advance(Duration.ofSeconds(2));
        assertThat(db.deliverer.drain()).isEqualTo(1);
        DeliveryView last = db.row(id);
        assertThat(last.status()).isEqualTo("FAILED");
        assertThat(last.attempts()).isEqualTo(2);
        assertThat(last.nextAttemptAt()).isNull();
        assertThat(last.deliveredAt()).isNull();
        assertThat(db.counted("gave_up")).isEqualTo(1);
        assertThat(db.counted("failed_attempt")).isEqualTo(1);
        assertThat(db.counted("delivered")).isZero();
        assertThat(db.registry
                        .get("termsgate.referrals.webhook.pending")
                        .gauge()
                        .value())
                .isZero();

        db.clock.advance(Duration.ofHours(1));
        assertThat(db.deliverer.drain())
                .as("a FAILED delivery is not tried again")
                .isZero();
    }

    @Test
    void backoffDoublesFromTheInitialWaitUpToTheMaximumAndNeverBeyond() {
        WebhookDeliverer deliverer =
                new Outbox(DatabaseCable.h2("webhook-backoff"), settings("http://127.0.0.1:9/", 20)).deliverer;
        for (int i = 0; i < 50; i++) {
            assertThat(deliverer.backoff(1)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(1));
            assertThat(deliverer.backoff(2)).isBetween(Duration.ofMillis(1800), Duration.ofSeconds(2));
            assertThat(deliverer.backoff(3)).isBetween(Duration.ofMillis(3600), Duration.ofSeconds(4));
            assertThat(deliverer.backoff(4)).isBetween(Duration.ofMillis(4500), Duration.ofSeconds(5));
            assertThat(deliverer.backoff(64)).isBetween(Duration.ofMillis(4500), Duration.ofSeconds(5));
            assertThat(deliverer.backoff(1000)).isBetween(Duration.ofMillis(4500), Duration.ofSeconds(5));
        }
    }

    @Test
    void enqueueRefusesWhatCannotBeSentAsGiven() {
        Outbox db = new Outbox(DatabaseCable.h2("webhook-refusals"), settings("http://127.0.0.1:9/", 20));
        UUID d = UUID.randomUUID();
        UUID r = UUID.randomUUID();
        String ascii64k = "\"" + "a".repeat(WebhookOutbox.MAX_BODY_BYTES - 2) + "\"";
        db.outbox.enqueue("referral.decided", d, r, ascii64k); // exactly 64 KB: taken
        assertThatThrownBy(() -> db.outbox.enqueue("referral.decided", d, r, ascii64k + " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65536 bytes");
        // 22,000 euro signs are 66,000 bytes in UTF-8, fewer characters than the cap
        assertThatThrownBy(() -> db.outbox.enqueue("referral.decided", d, r, "\"" + "€".repeat(22_000) + "\""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> db.outbox.enqueue("referral.decided", d, r, "\"\uD800\""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> db.outbox.enqueue("referral.decided", d, r, "\"a\u0000\""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> db.outbox.enqueue("referral.decided", d, r, ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> db.outbox.enqueue("referral.decided", d, r, null))
                .isInstanceOf(IllegalArgumentException.class);
        for (String event : new String[] {null, "", "a\r\nX-Injected: 1", "a b", "x".repeat(65), ".leading"}) {
            assertThatThrownBy(() -> db.outbox.enqueue(event, d, r, "{}"))
                    .as(String.valueOf(event))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> db.outbox.enqueue("referral.decided", null, r, "{}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(db.deliveries.count(null)).isEqualTo(1);
    }

    @Test
    void withoutAWebhookUrlNothingIsRecorded() {
        Outbox db = new Outbox(DatabaseCable.h2("webhook-off"), settings(null, 20));
        db.outbox.enqueue("referral.decided", UUID.randomUUID(), UUID.randomUUID(), "{}");
        assertThat(db.deliveries.count(null)).isZero();
        assertThat(db.deliverer).isNull();
        // still refused, so a caller's bug shows before the webhook is switched on
        assertThatThrownBy(() -> db.outbox.enqueue("referral.decided", UUID.randomUUID(), UUID.randomUUID(), ""))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
