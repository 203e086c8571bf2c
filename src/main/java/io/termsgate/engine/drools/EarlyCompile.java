package io.termsgate.engine.drools;

import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.RulesetSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * A compile of the rule folder started at launch, before the application context exists, so that compiling (the
 * largest part of start-up) runs while Spring, the database pool and the migrations start. The launcher registers
 * it as a bean; the engine's first compile of the same version with the same settings takes its result, once.
 *
 * <p>Everything but the settings happens on the compiler's thread: reading the folder, opening the compiled ruleset
 * cache (its key, the fingerprint of the build) and compiling. The thread that starts Spring only starts it.
 */
public final class EarlyCompile {

    private static final Logger log = LoggerFactory.getLogger(EarlyCompile.class);

    private final EngineProperties properties;
    private volatile CompletableFuture<RulesetSource> read;
    private volatile CompletableFuture<CompiledRuleset> result;
    private final AtomicBoolean taken = new AtomicBoolean();

    private EarlyCompile(
            EngineProperties properties,
            CompletableFuture<RulesetSource> read,
            CompletableFuture<CompiledRuleset> result) {
        this.properties = properties;
        this.read = read;
        this.result = result;
    }

    /**
     * Starts compiling {@code source} with {@code properties} on a thread of its own, with the compiled ruleset cache
     * the settings ask for in {@code environment}.
     */
    public static EarlyCompile start(RulesetSource source, EngineProperties properties, Environment environment) {
        return start(() -> source, properties, environment);
    }

    /**
     * Reads the files {@code files} supplies and compiles them with {@code properties}, both on a thread of its own;
     * returns at once. A read that fails leaves nothing to take (the normal path reads again and reports).
     */
    public static EarlyCompile start(
            Supplier<RulesetSource> files, EngineProperties properties, Environment environment) {
        // the profile is read here, once: the environment is not the compiler thread's to read while Spring starts
        boolean prod = environment.acceptsProfiles(Profiles.of("prod"));
        CompletableFuture<RulesetSource> read = CompletableFuture.supplyAsync(files, DroolsDecisionEngine.COMPILER);
        CompletableFuture<CompiledRuleset> compiled = read.thenApplyAsync(
                source -> new DroolsDecisionEngine(properties, DroolsDecisionEngine.cacheFor(properties, prod))
                        .compileNow(source),
                DroolsDecisionEngine.COMPILER);
        return new EarlyCompile(properties, read, compiled);
    }

    /** Lets go of a result nobody took (the live version was another one). */
    void discard() {
        taken.set(true);
        read = null;
        result = null;
    }

    /**
     * The early result when it is for this version and these settings and nobody took it yet; else {@code null}. Waits
     * for the folder to be read (to know its version), and for the compile only when the version is this one.
     *
     * @throws RuntimeException exactly what compiling now would throw (a rejection with every problem)
     */
    CompiledRuleset take(RulesetSource source, EngineProperties settings) {
        CompletableFuture<RulesetSource> reading = read;
        if (reading == null || !properties.equals(settings) || taken.get()) {
            return null;
        }
        String version;
        try {
            version = reading.join().version();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            log.debug("No early ruleset compile: {}", String.valueOf(e.getCause()));
            return null;
        }
        if (!version.equals(source.version()) || !taken.compareAndSet(false, true)) {
            return null;
        }
        CompletableFuture<CompiledRuleset> compiled = result;
        read = null;
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
