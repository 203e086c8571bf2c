package io.termsgate.referral.webhook;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One webhook delivery as operators see it: never its body (a decision) and never the secret.
 *
 * @param lastStatus the receiver's HTTP status at the last attempt, null when it gave none (timeout, refused)
 * @param lastError why the last attempt failed, in a few words; null once delivered
 * @param nextAttemptAt when the next attempt is due; null once DELIVERED or FAILED
 */
record DeliveryView(
        UUID deliveryId,
        String event,
        UUID decisionId,
        UUID referralId,
        String status,
        int attempts,
        Instant createdAt,
        Instant lastAttemptAt,
        Integer lastStatus,
        String lastError,
        Instant nextAttemptAt,
        Instant deliveredAt) {

    /** A page of deliveries, newest first, and how many there are in all (with the same filter). */
    record Page(List<DeliveryView> items, int page, int size, long total) {}
}
