package io.termsgate.audit;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How personal data is kept in the decision log (docs/security.md, "Personal data").
 *
 * @param masterKey the master key (32 random bytes, base64) or the path of a file holding it; it never enters the
 *     database. Unset, the embedded default generates {@code generatedKeyFile}; the prod profile refuses to start
 * @param generatedKeyFile where the embedded default keeps the master key it generated
 * @param keyCacheTtl how long an instance keeps a customer's data key in memory: after an erasure on another
 *     instance, that instance may read (and seal new decisions under) the destroyed key for at most this long
 * @param keyCacheSize the most data keys kept in memory
 */
@Validated
@ConfigurationProperties("termsgate.privacy")
record PrivacyProperties(
        String masterKey,
        @DefaultValue("./data/privacy-master-key") Path generatedKeyFile,
        @DefaultValue("10s") Duration keyCacheTtl,
        @DefaultValue("100000") @Min(1) @Max(10_000_000) int keyCacheSize) {

    /** Never the master key itself (settings are printed in failure analyses and debug logs). */
    @Override
    public String toString() {
        return "PrivacyProperties[masterKey=" + (masterKey == null || masterKey.isBlank() ? "unset" : "(set)")
                + ", generatedKeyFile=" + generatedKeyFile + ", keyCacheTtl=" + keyCacheTtl + ", keyCacheSize="
                + keyCacheSize + "]";
    }
}
