package io.termsgate.ruleset.sandbox;

import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.RulesetSource;
import io.termsgate.engine.drools.DroolsDecisionEngine;
import io.termsgate.engine.drools.EngineProperties;
import io.termsgate.ruleset.RulesetFiles;
import io.termsgate.ruleset.ScenarioRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * What the sandbox costs an upload: validating the default ruleset (compile and its 41 scenarios) in this JVM, cold
 * and warm, against the same in a sandbox worker, in one run. A measuring aid, not a test (docs/performance.md):
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) io.termsgate.ruleset.sandbox.ValidationCost 5}.
 */
public final class ValidationCost {

    private ValidationCost() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        RulesetSource source = RulesetFiles.readFolder(Path.of("."));
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        EngineProperties engineProperties = new EngineProperties(10_000);
        DroolsDecisionEngine engine = new DroolsDecisionEngine(engineProperties);
        CandidateSandbox sandbox = new CandidateSandbox(
                new SandboxProperties("256m", Duration.ofSeconds(120), Duration.ofSeconds(10), Duration.ofSeconds(60)),
                engineProperties);
        for (int i = 1; i <= rounds; i++) {
            long start = System.nanoTime();
            CompiledRuleset ruleset = engine.compile(source);
            ScenarioRunner.Report report = ScenarioRunner.run(source, ruleset, now);
            long inProcess = (System.nanoTime() - start) / 1_000_000;
            start = System.nanoTime();
            CandidateSandbox.Checked checked = sandbox.validate(source, now);
            long sandboxed = (System.nanoTime() - start) / 1_000_000;
            System.out.printf(
                    "round %d: in process %d ms (%d/%d scenarios), sandbox %d ms (%d/%d scenarios)%n",
                    i,
                    inProcess,
                    report.passed(),
                    report.total(),
                    sandboxed,
                    checked.scenarios().passed(),
                    checked.scenarios().total());
        }
    }
}
