package io.termsgate.referral;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.termsgate.creditline.Hold;
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

    FinalAnswers(ObjectMapper json, DecisionStatuses statuses) {
        this.json = json;
        this.statuses = statuses;
    }

    /** Runs in the answer's transaction. */
    void announce(ReferralCase answered, Hold hold) {
        String body = body(answered, hold);
        // the outbox is wired in below once it exists
        if (body.isEmpty()) {
            throw new IllegalStateException("empty webhook body");
        }
    }

    String body(ReferralCase answered, Hold hold) {
        try {
            return json.writeValueAsString(statuses.ofCase(answered, hold));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the final answer could not be written as JSON", e);
        }
    }
}
