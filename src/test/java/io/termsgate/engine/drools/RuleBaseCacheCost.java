package io.termsgate.engine.drools;

import io.termsgate.engine.RulesetSource;
import io.termsgate.ruleset.RulesetFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * What the compiled ruleset cache saves: the default ruleset compiled through {@code DroolsDecisionEngine.compile}
 * (DRL, workbook and DMN; the DMN compiles on a second thread either way) by an engine without the cache and by one
 * whose cache holds it, alternating, in one JVM. The first compile of the JVM is the start-up case: run it twice on
 * the same directory to see a first compile that misses, then one that hits. A measuring aid, not a test
 * (docs/performance.md): {@code java -cp target/classes:target/test-classes:$(cat cp.txt)
 * io.termsgate.engine.drools.RuleBaseCacheCost /tmp/rbc 5}.
 */
public final class RuleBaseCacheCost {

    private RuleBaseCacheCost() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/rule-base-cache-cost");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Files.createDirectories(dir);
        Path keyFile = dir.resolve("key");
        if (!Files.exists(keyFile)) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.write(keyFile, key);
        }
        RuleBaseCache cache = new RuleBaseCache(
                dir.resolve("entries"), Files.readAllBytes(keyFile), RuleBaseCache.Fingerprint.environment());
        RulesetSource source = RulesetFiles.readFolder(Path.of("."));
        EngineProperties settings = new EngineProperties(10_000);

        boolean cached = Files.isDirectory(dir.resolve("entries"));
        long compiles = RuleBaseCompiler.builds();
        long first = time(() -> new DroolsDecisionEngine(settings, cache).compile(source));
        System.out.printf(
                "first compile of this JVM, cache %s: %d ms%n",
                RuleBaseCompiler.builds() == compiles ? "hit" : cached ? "rejected" : "miss", first);
        for (int i = 1; i <= rounds; i++) {
            long without = time(() -> new DroolsDecisionEngine(settings).compile(source));
            long with = time(() -> new DroolsDecisionEngine(settings, cache).compile(source));
            System.out.printf("round %d: compiled %d ms, from the cache %d ms%n", i, without, with);
        }
    }

    private static long time(Runnable compile) {
        long start = System.nanoTime();
        compile.run();
        return (System.nanoTime() - start) / 1_000_000;
    }
}
