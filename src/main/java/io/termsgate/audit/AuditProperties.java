package io.termsgate.audit;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How decisions are written to the log.
 *
 * @param maxBatchSize the most decisions committed in one transaction (group commit)
 * @param maxWait how long the writer waits for more decisions before committing a batch that is not full; zero
 *        commits whatever has arrived while the previous commit was running
 * @param commitTimeout how long a request waits for its batch's commit before it answers 503
 * @param queueCapacity the most decisions waiting for the writer; beyond it deciding answers 503 at once
 */
@Validated
@ConfigurationProperties("termsgate.audit")
record AuditProperties(
        @DefaultValue("256") @Min(1) @Max(10_000) int maxBatchSize,
        @DefaultValue("0ms") Duration maxWait,
        @DefaultValue("3s") Duration commitTimeout,
        @DefaultValue("20000") @Min(1) int queueCapacity) {}
