package io.termsgate.decision;

import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.Evaluation;
import io.termsgate.ruleset.ActiveRuleset;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** The checkout use case: decide one application under the active ruleset at the current time. */
@Service
public class CreditDecisions {

    private static final Logger log = LoggerFactory.getLogger(CreditDecisions.class);

    private final ActiveRuleset rulesets;
    private final DecisionIds ids;
    private final Clock clock;

    public CreditDecisions(ActiveRuleset rulesets, DecisionIds ids, Clock clock) {
        this.rulesets = rulesets;
        this.ids = ids;
        this.clock = clock;
    }

    public CreditDecision decide(CreditApplication application) {
        CompiledRuleset ruleset = rulesets.current(); // read once: the whole decision runs on this version
        Instant decidedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        UUID decisionId = ids.next(decidedAt);
        Evaluation evaluation = ruleset.evaluate(application, decidedAt);
        if (evaluation.engineError()) {
            log.error("Engine error in decision {} under ruleset {}; answered as a safe referral: {}", decisionId,
                    ruleset.version(), evaluation.trace().errors());
        }
        return new CreditDecision(decisionId, decidedAt, ruleset.version(), application, evaluation);
    }
}
