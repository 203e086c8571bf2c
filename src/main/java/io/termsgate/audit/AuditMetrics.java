package io.termsgate.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/** How the decision log keeps up: batch sizes, commit latency, failed commits. */
@Component
class AuditMetrics implements GroupCommit.Metrics {

    private final DistributionSummary batchSize;
    private final Timer commitLatency;
    private final Counter failedDecisions;

    public AuditMetrics(MeterRegistry registry) {
        this.batchSize = DistributionSummary.builder("termsgate.audit.batch.size")
                .description("Decisions committed per transaction (group commit)")
                .publishPercentileHistogram()
                .register(registry);
        this.commitLatency = Timer.builder("termsgate.audit.commit.latency")
                .description("Time to commit one batch of decisions")
                .publishPercentileHistogram()
                .register(registry);
        this.failedDecisions = Counter.builder("termsgate.audit.commit.failures")
                .description("Decisions whose commit failed (answered 503)")
                .register(registry);
    }

    @Override
    public void committed(int decisions, long nanos) {
        batchSize.record(decisions);
        commitLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void commitFailed(int decisions) {
        failedDecisions.increment(decisions);
    }
}
