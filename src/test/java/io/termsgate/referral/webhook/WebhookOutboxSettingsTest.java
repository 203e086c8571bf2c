package io.termsgate.referral.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.termsgate.support.DatabaseCable;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The webhook's settings, checked when the service starts: a wrong one stops it with a message naming the setting. */
class WebhookOutboxSettingsTest {

    static final String SECRET = "settings-test-secret-0123456789abcd";

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(WebhookProperties.class)
    static class Outbox {
        @Bean
        JdbcClient jdbc() {
            return JdbcClient.create(DatabaseCable.h2("webhook-settings")); // never connected: nothing is enqueued
        }

        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }

        @Bean
        WebhookDeliveries deliveries(JdbcClient jdbc) {
            return new WebhookDeliveries(jdbc);
        }

        @Bean
        WebhookOutbox outbox(
                WebhookDeliveries deliveries,
                WebhookProperties properties,
                Clock clock,
                org.springframework.core.env.Environment environment) {
            return new WebhookOutbox(deliveries, properties, clock, environment);
        }
    }

    final ApplicationContextRunner service = new ApplicationContextRunner().withUserConfiguration(Outbox.class);

    @Test
    void aWebhookUrlWithoutASecretRefusesToStart() {
        service.withPropertyValues("termsgate.referrals.webhook-url=https://checkout.example.com/hook")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(causes(context.getStartupFailure()))
                            .contains("termsgate.referrals.webhook-secret is required");
                });
    }

    @Test
    void aShortSecretRefusesToStartWithoutShowingIt() {
        String shortSecret = "only-31-characters-long-secret!";
        service.withPropertyValues(
                        "termsgate.referrals.webhook-url=https://checkout.example.com/hook",
                        "termsgate.referrals.webhook-secret=" + shortSecret)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(causes(context.getStartupFailure()))
                            .contains("webhook-secret is too short")
                            .doesNotContain(shortSecret);
                });
    }

    @Test
    void aUrlThatIsNotHttpRefusesToStart() {
        for (String url : new String[] {"ftp://checkout.example.com/hook", "file:///etc/passwd", "/relative/hook"}) {
            service.withPropertyValues(
                            "termsgate.referrals.webhook-url=" + url, "termsgate.referrals.webhook-secret=" + SECRET)
                    .run(context -> {
                        assertThat(context).as(url).hasFailed();
                        assertThat(causes(context.getStartupFailure()))
                                .contains("webhook-url must be an absolute http or https URL");
                    });
        }
        service.withPropertyValues(
                        "termsgate.referrals.webhook-url=https://checkout example/hook",
                        "termsgate.referrals.webhook-secret=" + SECRET)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(causes(context.getStartupFailure())).contains("webhook-url");
                });
    }

    @Test
    void aDemoSecretRefusesToStartUnderProd() {
        String demo = "demo-webhook-secret-0123456789abcdef";
        String[] settings = {
            "termsgate.referrals.webhook-url=https://checkout.example.com/hook",
            "termsgate.referrals.webhook-secret=" + demo
        };
        service.withPropertyValues(settings)
                .withInitializer(context -> context.getEnvironment().setActiveProfiles("prod"))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(causes(context.getStartupFailure()))
                            .contains("prod profile with a demo termsgate.referrals.webhook-secret")
                            .doesNotContain(demo);
                });
        service.withPropertyValues(settings).run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void itBindsItsOwnKeysAndLeavesTheReferralCasesOthersAlone() {
        service.withPropertyValues(
                        "termsgate.referrals.webhook-url=https://checkout.example.com/hook?token=abc",
                        "termsgate.referrals.webhook-secret=" + SECRET,
                        "termsgate.referrals.webhook-max-attempts=7",
                        "termsgate.referrals.webhook-initial-backoff=250ms",
                        "termsgate.referrals.expire-after=2d",
                        "termsgate.referrals.business-hours.start=09:00",
                        "termsgate.referrals.business-hours.zone=Europe/Berlin")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    WebhookProperties properties = context.getBean(WebhookProperties.class);
                    assertThat(properties.configured()).isTrue();
                    assertThat(properties.webhookMaxAttempts()).isEqualTo(7);
                    assertThat(properties.webhookInitialBackoff()).isEqualTo(Duration.ofMillis(250));
                    assertThat(properties.webhookTimeout()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(properties.webhookMaxBackoff()).isEqualTo(Duration.ofMinutes(5));
                    assertThat(properties.webhookPollInterval()).isEqualTo(Duration.ofMillis(500));
                    assertThat(properties.toString()).doesNotContain(SECRET).doesNotContain("token");
                });
    }

    @Test
    void withoutAUrlItStartsAndIsOff() {
        service.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(WebhookProperties.class).configured()).isFalse();
        });
        service.withPropertyValues("termsgate.referrals.webhook-url=").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(WebhookProperties.class).configured()).isFalse();
        });
    }

    @Test
    void nonsenseTimingsRefuseToStart() {
        for (String setting : new String[] {
            "termsgate.referrals.webhook-timeout=0s",
            "termsgate.referrals.webhook-max-attempts=0",
            "termsgate.referrals.webhook-initial-backoff=-1s",
            "termsgate.referrals.webhook-max-backoff=10ms"
        }) {
            service.withPropertyValues(setting)
                    .run(context -> assertThat(context).as(setting).hasFailed());
        }
    }

    /** The failure with all its causes, as the service's log would show it. */
    private static String causes(Throwable failure) {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
