package io.termsgate.ruleset;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param dir the folder holding {@code rules/} and {@code decision-tables/}; when neither exists there, the default
 *        ruleset packaged in the jar is used
 * @param watch whether edits in that folder are validated, scenario-tested and, if they pass, made live at once
 *        (on for the embedded profile, off under prod: production changes go through upload and approval)
 * @param pollInterval how often an instance checks which version is live (activations made on other instances)
 */
@ConfigurationProperties("termsgate.ruleset")
public record RulesetProperties(
        @DefaultValue(".") String dir,
        @DefaultValue("false") boolean watch,
        @DefaultValue("1s") Duration pollInterval) {

    /** Resolved against the working directory (kept a String: Spring would resolve a relative Path elsewhere). */
    public Path directory() {
        return Path.of(dir).toAbsolutePath().normalize();
    }
}
