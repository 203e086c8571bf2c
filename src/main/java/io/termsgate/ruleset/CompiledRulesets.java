package io.termsgate.ruleset;

import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.DecisionEngine;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Compiled rulesets by version, for replays and what-ifs under versions other than the active one. Compiling takes
 * seconds, so recent versions are kept; any stored version can be compiled again from its stored files.
 */
@Component
public class CompiledRulesets {

    private static final int KEEP = 8;

    private final RulesetStore store;
    private final DecisionEngine engine;
    private final Map<String, CompiledRuleset> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompiledRuleset> eldest) {
            return size() > KEEP;
        }
    };

    public CompiledRulesets(RulesetStore store, DecisionEngine engine) {
        this.store = store;
        this.engine = engine;
    }

    /** The compiled ruleset of a stored version, or empty when no such version was ever stored. */
    public Optional<CompiledRuleset> get(String version) {
        synchronized (recent) {
            CompiledRuleset cached = recent.get(version);
            if (cached != null) {
                return Optional.of(cached);
            }
        }
        Optional<CompiledRuleset> compiled = store.load(version).map(engine::compile);
        compiled.ifPresent(this::remember);
        return compiled;
    }

    public void remember(CompiledRuleset ruleset) {
        synchronized (recent) {
            recent.put(ruleset.version(), ruleset);
        }
    }
}
