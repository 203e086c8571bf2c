package io.termsgate.engine.drools;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
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
 * @param cacheEnabled whether compiled rule bases are kept on disk ({@code cacheDir}), one per set of rule sources,
 *        so that a restart or a re-activation loads them instead of compiling the rules again
 * @param cacheDir where the compiled rule bases are kept; each entry is authenticated with {@code cacheKey}
 * @param cacheKey the secret (32 or more random bytes, base64url, or {@code file:} and the path of a file holding them) that
 *        authenticates each cache entry (HMAC-SHA256), from the environment only (TERMSGATE_ENGINE_CACHE_KEY). Unset,
 *        the embedded default generates one beside the cache directory with a warning; the prod profile keeps the
 *        cache off without one
 */
@Validated
@ConfigurationProperties("termsgate.engine")
public record EngineProperties(
        @DefaultValue("10000") @Min(10) int maxRuleFirings,
        @DefaultValue("compiled") @NotNull DmnMode dmn,

        @DefaultValue("0.001") @DecimalMin("0") @DecimalMax("1")
        double verifySample,

        @DefaultValue("true") boolean cacheEnabled,
        @DefaultValue("./data/ruleset-cache") @NotNull Path cacheDir,
        String cacheKey) {

    @ConstructorBinding
    public EngineProperties {}

    /** The defaults for DMN: compiled, one evaluation in a thousand verified; no compiled rule-base cache. */
    public EngineProperties(int maxRuleFirings) {
        this(maxRuleFirings, DmnMode.COMPILED, 0.001);
    }

    /** No compiled rule-base cache: what the sandbox worker and tests without settings get. */
    public EngineProperties(int maxRuleFirings, DmnMode dmn, double verifySample) {
        this(maxRuleFirings, dmn, verifySample, false, Path.of("./data/ruleset-cache"), null);
    }

    /** Never the cache key itself (settings are printed in failure analyses and debug logs). */
    @Override
    public String toString() {
        return "EngineProperties[maxRuleFirings=" + maxRuleFirings + ", dmn=" + dmn + ", verifySample=" + verifySample
                + ", cacheEnabled=" + cacheEnabled + ", cacheDir=" + cacheDir + ", cacheKey="
                + (cacheKey == null || cacheKey.isBlank() ? "unset" : "(set)") + "]";
    }

    public enum DmnMode {
        COMPILED,
        INTERPRETED
    }
}
