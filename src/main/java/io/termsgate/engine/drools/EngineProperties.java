package io.termsgate.engine.drools;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param maxRuleFirings the most DRL and spreadsheet rule firings one decision may take; a ruleset that keeps firing
 *        (a rule re-triggering itself) is stopped there and the decision becomes a safe referral
 * @param dmn how DMN models are evaluated: {@code compiled} (each model compiled at load into a fast evaluator, KIE's
 *        interpreter answering whatever the compiled path does not cover) or {@code interpreted} (KIE's interpreter
 *        alone, as before)
 * @param verifySample the share of compiled DMN evaluations that are evaluated again by the interpreter, off the
 *        request path, and compared (0 = never, 0.001 = one in a thousand, 1 = every one); a mismatch is logged and
 *        counted as {@code termsgate.engine.verify.mismatches}
 */
@Validated
@ConfigurationProperties("termsgate.engine")
public record EngineProperties(
        @DefaultValue("10000") @Min(10) int maxRuleFirings,
        @DefaultValue("compiled") @NotNull DmnMode dmn,

        @DefaultValue("0.001") @DecimalMin("0") @DecimalMax("1")
        double verifySample) {

    @ConstructorBinding
    public EngineProperties {}

    /** The defaults for DMN: compiled, one evaluation in a thousand verified. */
    public EngineProperties(int maxRuleFirings) {
        this(maxRuleFirings, DmnMode.COMPILED, 0.001);
    }

    public enum DmnMode {
        COMPILED,
        INTERPRETED
    }
}
