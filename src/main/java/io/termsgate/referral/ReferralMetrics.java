package io.termsgate.referral;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.termsgate.engine.ApprovalRoute;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * How referrals go, for Prometheus and the console's overview: open cases per level, time from referral to the final
 * answer, escalations and expiries.
 */
@Component
class ReferralMetrics {

    private final MeterRegistry registry;
    private final Counter escalations;
    private final Counter expiries;
    /** Open cases per level, as last counted: counted again when a scrape finds them older than {@link #FRESH}. */
    private final Map<ApprovalRoute, Long> open = new EnumMap<>(ApprovalRoute.class);

    private static final long FRESH = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    private final JdbcReferrals cases;
    private long countedAt = System.nanoTime() - 2 * FRESH;

    ReferralMetrics(MeterRegistry registry, JdbcReferrals cases) {
        this.registry = registry;
        this.cases = cases;
        this.escalations = Counter.builder("termsgate.referrals.escalations")
                .description("Overdue referral cases raised to the next level")
                .register(registry);
        this.expiries = Counter.builder("termsgate.referrals.expired")
                .description("Referral cases nobody answered in time, declined for REF_EXPIRED")
                .register(registry);
        for (ApprovalRoute level :
                new ApprovalRoute[] {ApprovalRoute.CREDIT_ANALYST, ApprovalRoute.CREDIT_MANAGER, ApprovalRoute.CFO}) {
            Gauge.builder("termsgate.referrals.open", this, m -> m.openAt(level))
                    .description("Open referral cases at each level")
                    .tag("level", level.name())
                    .register(registry);
        }
    }

    synchronized double openAt(ApprovalRoute level) {
        if (System.nanoTime() - countedAt > FRESH) {
            countedAt = System.nanoTime();
            try {
                Map<ApprovalRoute, Long> now = cases.openByRoute();
                open.clear();
                open.putAll(now);
            } catch (RuntimeException e) {
                // the database is away: the last count stands until it is back (health says the database is down)
            }
        }
        return open.getOrDefault(level, 0L);
    }

    void decided(String outcome, ApprovalRoute level, Duration sinceReferral) {
        Timer.builder("termsgate.referrals.time.to.decision")
                .description("From the referred decision to its final answer (approved, declined or expired)")
                .tag("outcome", outcome)
                .tag("level", level.name())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMinutes(1))
                .maximumExpectedValue(Duration.ofDays(7))
                .register(registry)
                .record(sinceReferral);
    }

    void escalated() {
        escalations.increment();
    }

    void expired() {
        expiries.increment();
    }
}
