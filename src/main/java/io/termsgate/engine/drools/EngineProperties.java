package io.termsgate.engine.drools;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param maxRuleFirings the most DRL and spreadsheet rule firings one decision may take; a ruleset that keeps firing
 *        (a rule re-triggering itself) is stopped there and the decision becomes a safe referral
 */
@Validated
@ConfigurationProperties("termsgate.engine")
public record EngineProperties(
        @DefaultValue("10000") @Min(10) int maxRuleFirings) {}
