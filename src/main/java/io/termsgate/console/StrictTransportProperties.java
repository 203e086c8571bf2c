package io.termsgate.console;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;

/**
 * HTTP Strict Transport Security for the console's and the portal's pages. Off, Spring Security sends the header only
 * on requests it sees as HTTPS; on (the {@code prod} profile), on every answer, since TLS usually ends at a proxy in
 * front of the service and browsers ignore the header on plain HTTP anyway.
 *
 * @param maxAge how long a browser keeps to HTTPS for this host (a year by default)
 */
@ConfigurationProperties("termsgate.console.strict-transport-security")
record StrictTransportProperties(boolean enabled, Duration maxAge) {

    StrictTransportProperties {
        maxAge = maxAge == null ? Duration.ofDays(365) : maxAge;
    }

    void apply(HeadersConfigurer<?>.HstsConfig hsts) {
        if (enabled) {
            // this host only: other hosts of the same domain are not ours to commit to HTTPS
            hsts.requestMatcher(AnyRequestMatcher.INSTANCE)
                    .maxAgeInSeconds(maxAge.toSeconds())
                    .includeSubDomains(false);
        }
    }
}
