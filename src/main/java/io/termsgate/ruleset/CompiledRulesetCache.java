package io.termsgate.ruleset;

import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.DecisionEngine;
import io.termsgate.ruleset.sandbox.CandidateSandbox;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Compiled rulesets by version, for replays and what-ifs under versions other than the active one. Compiling takes
 * seconds, so recent versions are kept; any stored version can be compiled again from its stored files.
 */
@Component
public class CompiledRulesetCache {

    private static final int KEEP = 8;

    private static final int KEEP_SANDBOXED = 2;

    private final RulesetStore store;
    private final DecisionEngine engine;
    private final CandidateSandbox sandbox;
    private final Map<String, CompiledRuleset> sandboxed = new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompiledRuleset> eldest) {
            // not closed: a backtest may still be evaluating under it; its worker stops once idle
            return size() > KEEP_SANDBOXED;
        }
    };
    private final Map<String, CompiledRuleset> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompiledRuleset> eldest) {
            return size() > KEEP;
        }
    };

    public CompiledRulesetCache(RulesetStore store, DecisionEngine engine, CandidateSandbox sandbox) {
        this.store = store;
        this.engine = engine;
        this.sandbox = sandbox;
    }

    /**
     * A ruleset to replay or backtest under: compiled here when a second person approved it (or it was live), run in
     * the sandbox while it is a candidate nobody has approved. Empty when no such version was ever stored.
     */
    public Optional<CompiledRuleset> forEvaluation(String version) {
        Optional<StoredVersion> stored = store.find(version);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        if (stored.get().status() != StoredVersion.Status.CANDIDATE) {
            return get(version);
        }
        synchronized (sandboxed) {
            CompiledRuleset cached = sandboxed.get(version);
            if (cached == null) {
                cached = sandbox.evaluator(store.load(version).orElseThrow());
                sandboxed.put(version, cached);
            }
            return Optional.of(cached);
        }
    }

    /**
     * Keeps {@code evaluator}, a candidate evaluated in the sandbox (the worker that validated its upload), for
     * {@link #forEvaluation}, unless one is kept for that version already (an upload again): the one kept stays.
     *
     * @return whether {@code evaluator} is kept (when not, its worker is still the caller's to close)
     */
    public boolean rememberSandboxed(String version, CompiledRuleset evaluator) {
        synchronized (sandboxed) {
            return sandboxed.putIfAbsent(version, evaluator) == null;
        }
    }

    /**
     * The compiled ruleset of a stored version, compiled in this process: for versions a second person approved,
     * and for what is live. Empty when no such version was ever stored.
     */
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
