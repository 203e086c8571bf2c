package io.termsgate.shadow;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How much of this instance shadow evaluation may use.
 *
 * @param queueCapacity live decisions waiting to be evaluated under the challenger; a sampled decision that finds the
 *     queue full is dropped (counted), checkout never waits
 * @param workers threads evaluating the queue under the challenger (checkout keeps the other cores)
 * @param refreshInterval how soon this instance follows a challenger started or stopped on another, and adds its
 *     drops to the shared count
 */
@Validated
@ConfigurationProperties("termsgate.shadow")
record ShadowProperties(
        @DefaultValue("10000") @Min(1) @Max(1_000_000) int queueCapacity,
        @DefaultValue("1") @Min(1) @Max(16) int workers,
        @DefaultValue("1s") Duration refreshInterval) {}
