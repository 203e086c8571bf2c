package io.termsgate.ruleset.sandbox;

import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The budget of a sandbox worker, the process where a candidate ruleset runs before it is approved.
 *
 * @param heap the worker's maximum heap ({@code -Xmx}), e.g. {@code 256m}
 * @param validationTimeout how long compiling a candidate and running its scenarios may take before the worker is
 *        killed and the candidate rejected
 * @param evaluationTimeout how long one evaluation (a backtest's or a what-if's) may take before the worker is killed
 *        and the evaluation comes back as the safe referral
 * @param idleTimeout how long an evaluating worker is kept without work before it is stopped
 */
@Validated
@ConfigurationProperties("termsgate.sandbox")
public record SandboxProperties(
        @DefaultValue("256m") @Pattern(regexp = "\\d{2,5}[mg]")
        String heap,

        @DefaultValue("120s") Duration validationTimeout,
        @DefaultValue("10s") Duration evaluationTimeout,
        @DefaultValue("60s") Duration idleTimeout) {}
