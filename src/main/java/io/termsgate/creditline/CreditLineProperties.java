package io.termsgate.creditline;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Credit lines' settings.
 *
 * @param holdTtl how long an approved order's hold lasts when it is neither captured nor released
 * @param expirySweep how often expired holds are closed and written to the ledger (an expired hold stops counting at
 *     its expiry time, whether or not the sweep has run)
 */
@Validated
@ConfigurationProperties("termsgate.credit-lines")
public record CreditLineProperties(
        @DefaultValue("30d") Duration holdTtl,
        @DefaultValue("1m") Duration expirySweep) {

    public CreditLineProperties {
        if (holdTtl.isNegative() || holdTtl.isZero()) {
            throw new IllegalArgumentException("termsgate.credit-lines.hold-ttl must be positive");
        }
        if (expirySweep.isNegative() || expirySweep.isZero()) {
            throw new IllegalArgumentException("termsgate.credit-lines.expiry-sweep must be positive");
        }
    }
}
