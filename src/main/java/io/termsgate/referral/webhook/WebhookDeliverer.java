package io.termsgate.referral.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * POSTs due deliveries of the outbox to checkout's webhook, signed, until a 2xx; exists only when a webhook URL is
 * configured. Any number of instances may share one database: each delivery is claimed by a conditional update before
 * it is sent, so no two instances send it at once. At least once: a crash between a 2xx and its DELIVERED update
 * sends it again once the claim runs out, with the same {@code Termsgate-Delivery} id.
 */
@Component
@Conditional(WebhookDeliverer.Configured.class)
class WebhookDeliverer {

    private static final Logger log = LoggerFactory.getLogger(WebhookDeliverer.class);
    static final String METRIC = "termsgate.referrals.webhook.deliveries";
    private static final int BATCH = 50;
    private static final int MAX_ERROR_LENGTH = 200;

    private final WebhookDeliveries deliveries;
    private final WebhookProperties properties;
    private final Clock clock;
    private final HttpClient http;
    private final String claimant = "termsgate-" + UUID.randomUUID();
    private final AtomicLong pending = new AtomicLong();
    private final Counter delivered;
    private final Counter failedAttempt;
    private final Counter gaveUp;
    // POSTs can take up to the timeout each: they run on a thread of their own, never on the shared scheduler thread
    // that also runs the ruleset poll and the hold expiry
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "referral-webhook");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean draining = new AtomicBoolean();

    WebhookDeliverer(WebhookDeliveries deliveries, WebhookProperties properties, Clock clock, MeterRegistry registry) {
        this.deliveries = deliveries;
        this.properties = properties;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(properties.webhookTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.delivered = counter(registry, "delivered", "Webhook deliveries checkout answered with 2xx");
        this.failedAttempt =
                counter(registry, "failed_attempt", "Webhook attempts that failed and will be tried again");
        this.gaveUp = counter(registry, "gave_up", "Webhook deliveries given up after the last attempt (FAILED)");
        Gauge.builder("termsgate.referrals.webhook.pending", pending, AtomicLong::get)
                .description("Webhook deliveries not yet delivered or given up")
                .register(registry);
        // where to, but not the path or query: a URL can carry a token
        log.info(
                "referral webhooks go to {}://{}{} (the secret is not logged)",
                properties.webhookUrl().getScheme(),
                properties.webhookUrl().getHost(),
                properties.webhookUrl().getPort() < 0
                        ? ""
                        : ":" + properties.webhookUrl().getPort());
    }

    private static Counter counter(MeterRegistry registry, String result, String description) {
        return Counter.builder(METRIC)
                .description(description)
                .tag("result", result)
                .register(registry);
    }

    /** Starts a drain on the deliverer's own thread unless one is still running. */
    @Scheduled(fixedDelayString = "${termsgate.referrals.webhook-poll-interval:500ms}")
    void poll() {
        if (draining.compareAndSet(false, true)) {
            try {
                worker.execute(() -> {
                    try {
                        drain();
                    } finally {
                        draining.set(false);
                    }
                });
            } catch (RuntimeException e) { // shutting down
                draining.set(false);
            }
        }
    }

    /** Sends what is due now, one delivery at a time; answers how many it attempted. */
    int drain() {
        int attempted = 0;
        try {
            Instant now = clock.instant();
            List<UUID> due = deliveries.due(now, BATCH);
            for (UUID id : due) {
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
                attempted += attempt(id) ? 1 : 0;
            }
            pending.set(deliveries.count(WebhookDeliveries.Status.PENDING));
        } catch (RuntimeException e) {
            log.warn("delivering referral webhooks failed; the next poll retries: {}", e.toString());
        }
        return attempted;
    }

    /** Claims one delivery and sends it; false when another instance (or an earlier drain) holds it. */
    boolean attempt(UUID id) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Optional<WebhookDeliveries.Delivery> claimed = deliveries.claim(id, claimant, now, now.plus(lease()));
        if (claimed.isEmpty()) {
            return false;
        }
        WebhookDeliveries.Delivery delivery = claimed.get();
        int attempts = delivery.attempts() + 1;
        Integer status = null;
        String error;
        try {
            HttpResponse<Void> response = http.send(request(delivery), HttpResponse.BodyHandlers.discarding());
            status = response.statusCode();
            error = "HTTP " + status;
        } catch (HttpTimeoutException e) {
            error = "timed out after " + properties.webhookTimeout().toMillis() + " ms";
        } catch (ConnectException e) {
            error = "connection failed";
        } catch (IOException e) {
            // the exception's message can quote the URL, and a URL can carry a token: its class only
            error = "I/O error (" + e.getClass().getSimpleName() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true; // shutting down: the claim runs out and this delivery is sent again
        }
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        if (status != null && status >= 200 && status < 300) {
            deliveries.delivered(delivery.id(), attempts, status, at);
            delivered.increment();
        } else if (attempts >= properties.webhookMaxAttempts()) {
            deliveries.failed(delivery.id(), claimant, attempts, status, shorten(error), at, null);
            gaveUp.increment();
            log.warn(
                    "referral webhook delivery {} given up after {} attempts; last: {}",
                    delivery.id(),
                    attempts,
                    shorten(error));
        } else {
            deliveries.failed(
                    delivery.id(), claimant, attempts, status, shorten(error), at, at.plus(backoff(attempts)));
            failedAttempt.increment();
        }
        return true;
    }

    private HttpRequest request(WebhookDeliveries.Delivery delivery) {
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        return HttpRequest.newBuilder(properties.webhookUrl())
                .timeout(properties.webhookTimeout())
                .header("Content-Type", "application/json")
                .header("Termsgate-Event", delivery.event())
                .header("Termsgate-Delivery", delivery.id().toString())
                .header(
                        "Termsgate-Signature",
                        "t=" + timestamp + ",v1=" + sign(properties.webhookSecret(), timestamp, delivery.body()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body().getBytes(StandardCharsets.UTF_8)))
                .build();
    }

    /** Lowercase hex HMAC-SHA256 of {@code timestamp + "." + body} (UTF-8) under {@code secret}. */
    static String sign(String secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("the webhook secret is not a usable HMAC key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * The wait after {@code attempts} failed attempts: initial × 2^(attempts-1), at most the maximum, up to 10% shorter
     * at random so that deliveries failed together do not all come back together.
     */
    Duration backoff(int attempts) {
        long initial = properties.webhookInitialBackoff().toMillis();
        long max = properties.webhookMaxBackoff().toMillis();
        int doublings = Math.min(Math.max(attempts - 1, 0), 62);
        long wait = initial > (max >> doublings) ? max : Math.min(max, initial << doublings);
        long jitter = wait / 10 == 0 ? 0 : ThreadLocalRandom.current().nextLong(wait / 10 + 1);
        return Duration.ofMillis(Math.max(1, wait - jitter));
    }

    /** How long a claim lasts: longer than an attempt can take (connect, then the request), with room to record it. */
    private Duration lease() {
        return properties.webhookTimeout().multipliedBy(2).plusSeconds(30);
    }

    private static String shorten(String error) {
        return error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }

    /** Deliverers exist only where a webhook URL is set. */
    static final class Configured implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return StringUtils.hasText(context.getEnvironment().getProperty("termsgate.referrals.webhook-url"));
        }
    }
}
