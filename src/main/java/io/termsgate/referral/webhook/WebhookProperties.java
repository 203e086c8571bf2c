package io.termsgate.referral.webhook;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * How checkout is told a referred order's final answer: a signed POST to its webhook (docs/checkout-integration.md).
 * Binds only its own keys under {@code termsgate.referrals}; the referral cases' other settings live elsewhere under
 * the same prefix and are ignored here.
 *
 * @param webhookUrl where the final answers are POSTed (http or https); without it nothing is recorded or sent
 * @param webhookSecret the HMAC-SHA256 key shared with checkout, at least 32 characters, required with a URL; from
 *     the environment only ({@code TERMSGATE_REFERRALS_WEBHOOK_SECRET}), never logged
 * @param webhookTimeout the connect timeout and the request timeout of one attempt
 * @param webhookInitialBackoff the wait after the first failed attempt; it doubles with each further failure
 * @param webhookMaxBackoff the longest wait between two attempts
 * @param webhookMaxAttempts attempts before a delivery is given up as FAILED
 * @param webhookPollInterval how often due deliveries are looked for
 */
@ConfigurationProperties("termsgate.referrals")
public record WebhookProperties(
        URI webhookUrl,
        String webhookSecret,
        @DefaultValue("5s") Duration webhookTimeout,
        @DefaultValue("1s") Duration webhookInitialBackoff,
        @DefaultValue("5m") Duration webhookMaxBackoff,
        @DefaultValue("20") int webhookMaxAttempts,
        @DefaultValue("500ms") Duration webhookPollInterval) {

    static final int MIN_SECRET_LENGTH = 32;
    private static final String PREFIX = "termsgate.referrals.";

    // the messages name settings, never their values: the secret must not reach a log through a refusal
    public WebhookProperties {
        if (webhookUrl != null && webhookUrl.toString().isBlank()) {
            webhookUrl = null; // an empty environment variable means "not set"
        }
        if (webhookUrl != null) {
            String scheme =
                    webhookUrl.getScheme() == null ? "" : webhookUrl.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || webhookUrl.getHost() == null) {
                throw new IllegalArgumentException(PREFIX + "webhook-url must be an absolute http or https URL with a"
                        + " host, e.g. https://checkout.example.com/termsgate/webhook");
            }
            if (webhookSecret == null || webhookSecret.isBlank()) {
                throw new IllegalArgumentException(PREFIX + "webhook-secret is required when " + PREFIX
                        + "webhook-url is set: set TERMSGATE_REFERRALS_WEBHOOK_SECRET to a random secret of at least "
                        + MIN_SECRET_LENGTH + " characters shared with checkout");
            }
            if (webhookSecret.length() < MIN_SECRET_LENGTH) {
                throw new IllegalArgumentException(
                        PREFIX + "webhook-secret is too short: at least " + MIN_SECRET_LENGTH + " characters");
            }
        }
        positive(webhookTimeout, "webhook-timeout");
        positive(webhookInitialBackoff, "webhook-initial-backoff");
        positive(webhookMaxBackoff, "webhook-max-backoff");
        positive(webhookPollInterval, "webhook-poll-interval");
        if (webhookMaxBackoff.compareTo(webhookInitialBackoff) < 0) {
            throw new IllegalArgumentException(
                    PREFIX + "webhook-max-backoff must not be shorter than webhook-initial-backoff");
        }
        if (webhookMaxAttempts < 1 || webhookMaxAttempts > 1000) {
            throw new IllegalArgumentException(PREFIX + "webhook-max-attempts must be from 1 to 1000");
        }
    }

    /** Whether final answers are recorded and sent at all. */
    public boolean configured() {
        return webhookUrl != null;
    }

    /** Under the {@code prod} profile a demo secret ({@code demo-...}) is refused, like the demo API keys. */
    void refuseDemoSecretUnder(Environment environment) {
        if (webhookSecret != null
                && webhookSecret.startsWith("demo-")
                && environment.acceptsProfiles(Profiles.of("prod"))) {
            throw new IllegalStateException("Refusing to start under the prod profile with a demo " + PREFIX
                    + "webhook-secret (demo-...): set TERMSGATE_REFERRALS_WEBHOOK_SECRET to a random secret");
        }
    }

    private static void positive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(PREFIX + name + " must be positive");
        }
    }

    @Override
    public String toString() {
        return "WebhookProperties[webhookUrl=" + (webhookUrl == null ? null : "(set)") + ", webhookSecret="
                + (webhookSecret == null ? null : "(hidden)") + ", webhookTimeout=" + webhookTimeout
                + ", webhookInitialBackoff=" + webhookInitialBackoff + ", webhookMaxBackoff=" + webhookMaxBackoff
                + ", webhookMaxAttempts=" + webhookMaxAttempts + ", webhookPollInterval=" + webhookPollInterval + "]";
    }
}
