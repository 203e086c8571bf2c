package io.termsgate.referral.webhook;

import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Where a referral case's final answer is put for checkout: one delivery row, written in the transaction that records
 * the answer, so the answer and its delivery commit (or roll back) together. A separate deliverer POSTs it, signed,
 * until checkout takes it (at least once: checkout dedupes by the {@code Termsgate-Delivery} header).
 */
@Component
public class WebhookOutbox {

    /** The largest body, in UTF-8 bytes: the same cap as a request body of the API. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    /** An event name travels in a header: letters, digits, dots, dashes, underscores; e.g. {@code referral.decided}. */
    private static final Pattern EVENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final WebhookDeliveries deliveries;
    private final WebhookProperties properties;
    private final Clock clock;

    WebhookOutbox(WebhookDeliveries deliveries, WebhookProperties properties, Clock clock, Environment environment) {
        properties.refuseDemoSecretUnder(environment);
        this.deliveries = deliveries;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Records a delivery of {@code body} to checkout's webhook, in the caller's transaction (call it in the
     * transaction that records the final answer). The body is sent exactly as given, as UTF-8.
     *
     * <p>When no webhook URL is configured ({@code termsgate.referrals.webhook-url}) nothing is recorded: checkout
     * learns the answer by polling instead. The arguments are checked either way.
     *
     * @param event what happened, e.g. {@code referral.decided}: 1 to 64 letters, digits, {@code . _ -}
     * @param decisionId the referred decision
     * @param referralId the referral case
     * @param body the final answer as JSON, at most 64 KB in UTF-8
     * @throws IllegalArgumentException when an argument is missing or breaks its rule, or the body is too large
     */
    public void enqueue(String event, UUID decisionId, UUID referralId, String body) {
        if (event == null || !EVENT.matcher(event).matches()) {
            throw new IllegalArgumentException("event must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        if (decisionId == null || referralId == null) {
            throw new IllegalArgumentException("decisionId and referralId are required");
        }
        checkBody(body);
        if (!properties.configured()) {
            return;
        }
        deliveries.insert(
                UUID.randomUUID(),
                event,
                decisionId,
                referralId,
                body,
                clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }

    private static void checkBody(String body) {
        if (body == null || body.isEmpty()) {
            throw new IllegalArgumentException("body is required");
        }
        if (body.length() > MAX_BODY_BYTES) { // a char is at least one byte: too large before encoding
            throw new IllegalArgumentException("body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        if (body.indexOf('\0') >= 0) { // PostgreSQL stores no NUL in text; JSON escapes it anyway
            throw new IllegalArgumentException("body holds a NUL character");
        }
        int bytes;
        try {
            // strict: a lone surrogate would not come out as the bytes the caller meant
            bytes = StandardCharsets.UTF_8
                    .newEncoder()
                    .encode(CharBuffer.wrap(body))
                    .remaining();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("body is not valid Unicode (a lone surrogate)");
        }
        if (bytes > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("body is larger than " + MAX_BODY_BYTES + " bytes in UTF-8");
        }
    }
}
