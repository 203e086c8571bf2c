package io.termsgate.decision;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.termsgate.audit.DecisionRecord;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * How deciding goes, for Prometheus: latency by outcome, route and ruleset version (count included), engine
 * errors, idempotent replays.
 */
@Component
class DecisionMetrics {

    private final MeterRegistry registry;
    private final Counter replays;

    DecisionMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.replays = Counter.builder("termsgate.decisions.idempotent.replays")
                .description("Retries answered with the original decision (same Idempotency-Key and request)")
                .register(registry);
    }

    void decided(DecisionRecord record, long nanos, boolean engineError) {
        Timer.builder("termsgate.decisions")
                .description("Decisions answered, from request to committed log record")
                .tag("outcome", record.outcome())
                .tag("route", record.approvalRoute())
                .tag("ruleset", record.rulesetVersion())
                .publishPercentileHistogram()
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
        if (engineError) {
            Counter.builder("termsgate.decisions.engine.errors")
                    .description("Decisions the engine could not make, answered as a safe referral")
                    .tag("ruleset", record.rulesetVersion())
                    .register(registry)
                    .increment();
        }
    }

    void replayed() {
        replays.increment();
    }
}
