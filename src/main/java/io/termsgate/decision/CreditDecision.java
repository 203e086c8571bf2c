package io.termsgate.decision;

import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.Evaluation;
import java.time.Instant;
import java.util.UUID;

/** One decision as checkout receives it: what was asked, under which ruleset version, when, and the answer. */
public record CreditDecision(UUID decisionId, Instant decidedAt, String rulesetVersion, CreditApplication application,
        Evaluation evaluation) {
}
