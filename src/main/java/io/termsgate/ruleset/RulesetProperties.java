package io.termsgate.ruleset;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param dir the folder holding {@code rules/} and {@code decision-tables/}; when neither exists there, the default
 *        ruleset packaged in the jar is used
 */
@ConfigurationProperties("termsgate.ruleset")
public record RulesetProperties(@DefaultValue(".") String dir) {

    /** Resolved against the working directory (kept a String: Spring would resolve a relative Path elsewhere). */
    public Path directory() {
        return Path.of(dir).toAbsolutePath().normalize();
    }
}
