package io.termsgate.referral.webhook;

import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.env.MockEnvironment;

/** A real outbox on a given database, without Spring, for unit tests in other packages. */
public final class WebhookOutboxForTests {

    private WebhookOutboxForTests() {}

    /** An outbox without a webhook URL: it checks what it is given and records nothing. */
    public static WebhookOutbox off(DataSource dataSource, Clock clock) {
        WebhookProperties properties = new WebhookProperties(
                null,
                null,
                Duration.ofSeconds(5),
                Duration.ofSeconds(1),
                Duration.ofMinutes(5),
                20,
                Duration.ofMillis(500));
        return new WebhookOutbox(
                new WebhookDeliveries(JdbcClient.create(dataSource)), properties, clock, new MockEnvironment());
    }
}
