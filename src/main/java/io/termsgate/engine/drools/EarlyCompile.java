package io.termsgate.engine.drools;

import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.RulesetSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.core.env.Environment;

/**
 * A compile of the rule folder started at launch, before the application context exists, so that compiling (the
 * largest part of start-up) runs while Spring, the database pool and the migrations start. The launcher registers
 * it as a bean; the engine's first compile of the same version with the same settings takes its result, once.
 */
public final class EarlyCompile {

    private final String version;
    private final EngineProperties properties;
    private volatile CompletableFuture<CompiledRuleset> result;
    private final AtomicBoolean taken = new AtomicBoolean();

    private EarlyCompile(String version, EngineProperties properties, CompletableFuture<CompiledRuleset> result) {
        this.version = version;
        this.properties = properties;
        this.result = result;
    }

    /**
     * Starts compiling {@code source} with {@code properties} on a thread of its own, with the compiled ruleset cache
     * the settings ask for in {@code environment}.
     */
    public static EarlyCompile start(RulesetSource source, EngineProperties properties, Environment environment) {
        DroolsDecisionEngine engine =
                new DroolsDecisionEngine(properties, DroolsDecisionEngine.cacheFor(properties, environment));
        return new EarlyCompile(
                source.version(),
                properties,
                CompletableFuture.supplyAsync(() -> engine.compileNow(source), DroolsDecisionEngine.COMPILER));
    }

    /** Lets go of a result nobody took (the live version was another one). */
    void discard() {
        taken.set(true);
        result = null;
    }

    /**
     * The early result when it is for this version and these settings and nobody took it yet; else {@code null}.
     *
     * @throws RuntimeException exactly what compiling now would throw (a rejection with every problem)
     */
    CompiledRuleset take(RulesetSource source, EngineProperties settings) {
        if (!version.equals(source.version()) || !properties.equals(settings) || !taken.compareAndSet(false, true)) {
            return null;
        }
        CompletableFuture<CompiledRuleset> compiled = result;
        result = null;
        if (compiled == null) {
            return null;
        }
        try {
            return compiled.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
