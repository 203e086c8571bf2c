package io.termsgate.decisionservice;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How model calls are written to their log: group commit, as decisions are ({@code termsgate.audit.*}).
 *
 * @param maxBatchSize the most calls committed in one transaction
 * @param maxWait how long the writer waits for more calls before committing a batch that is not full; zero commits
 *        whatever has arrived while the previous commit was running
 * @param commitTimeout how long a call waits for its batch's commit before it answers 503
 * @param queueCapacity the most calls waiting for the writer; beyond it a call answers 503 at once
 */
@Validated
@ConfigurationProperties("termsgate.models.log")
record ModelCallLogProperties(
        @DefaultValue("256") @Min(1) @Max(10_000) int maxBatchSize,
        @DefaultValue("0ms") Duration maxWait,
        @DefaultValue("3s") Duration commitTimeout,
        @DefaultValue("20000") @Min(1) int queueCapacity) {}
