package io.termsgate.referral;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.termsgate.creditline.Hold;
import io.termsgate.referral.webhook.WebhookOutbox;
import org.springframework.stereotype.Component;

/**
 * Tells checkout a referral's final answer: the decision's status as JSON, put in the webhook outbox in the
 * transaction that records the answer, so it is sent (at least once) exactly when the answer commits.
 */
@Component
class FinalAnswers {

    static final String EVENT = "referral.decided";

    private final ObjectMapper json;
    private final DecisionStatuses statuses;
    private final WebhookOutbox outbox;

    FinalAnswers(ObjectMapper json, DecisionStatuses statuses, WebhookOutbox outbox) {
        this.json = json;
        this.statuses = statuses;
        this.outbox = outbox;
    }

    /** Runs in the answer's transaction: the outbox's row commits (or rolls back) with the answer. */
    void announce(ReferralCase answered, Hold hold) {
        outbox.enqueue(EVENT, answered.decisionId(), answered.id(), body(answered, hold));
    }

    String body(ReferralCase answered, Hold hold) {
        try {
            return json.writeValueAsString(statuses.ofCase(answered, hold));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the final answer could not be written as JSON", e);
        }
    }
}
