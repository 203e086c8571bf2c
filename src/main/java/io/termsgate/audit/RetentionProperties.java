package io.termsgate.audit;

import java.time.Period;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How long decisions must be kept before they may be archived out of the database (docs/operations.md, "Retention
 * and archiving").
 *
 * @param retention e.g. {@code P10Y}; unset, nothing may ever be archived and a missing start of the log is deleted
 *     records. Records may leave the database only up to a signed checkpoint written at least this long ago, and
 *     verification then starts from that checkpoint
 */
@Validated
@ConfigurationProperties("termsgate.audit")
record RetentionProperties(Period retention) {

    RetentionProperties {
        if (retention != null && (retention.isNegative() || retention.isZero())) {
            throw new IllegalArgumentException(
                    "termsgate.audit.retention must be a positive period such as P10Y, not " + retention);
        }
    }
}
