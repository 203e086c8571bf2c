package io.termsgate.jobs;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How much of this instance background jobs (batch decisions) may use.
 *
 * @param threads how many partitions this instance runs at once: checkout keeps the other cores (0: this instance
 *     runs none, others do)
 * @param pollInterval how often the instance looks for partitions to run (it also looks as soon as one is queued or
 *     finished here)
 */
@Validated
@ConfigurationProperties("termsgate.jobs")
public record JobProperties(
        @DefaultValue("1") @Min(0) @Max(64) int threads,
        @DefaultValue("1s") Duration pollInterval) {}
