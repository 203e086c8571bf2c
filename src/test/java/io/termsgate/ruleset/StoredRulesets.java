package io.termsgate.ruleset;

import io.termsgate.engine.RulesetSource;
import java.time.Instant;
import java.util.Optional;
import org.springframework.context.ApplicationContext;

/**
 * The ruleset store, for tests in other modules' packages that put a version in it directly, as the launcher does,
 * without the lifecycle's upload path: the store itself is this module's own.
 */
public final class StoredRulesets {

    private final RulesetStore store;

    public StoredRulesets(ApplicationContext context) {
        this.store = context.getBean(RulesetStore.class);
    }

    /** Stores a version as loaded; false when it was stored already. */
    public boolean store(RulesetSource source, String storedBy, String origin, Instant at) {
        return store.store(source, storedBy, origin, at);
    }

    public Optional<RulesetSource> load(String version) {
        return store.load(version);
    }
}
