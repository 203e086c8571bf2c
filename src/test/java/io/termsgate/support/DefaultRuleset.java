package io.termsgate.support;

import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.DecisionTrace;
import io.termsgate.engine.Evaluation;
import io.termsgate.engine.drools.DroolsDecisionEngine;
import io.termsgate.engine.drools.EngineProperties;
import io.termsgate.ruleset.RulesetFiles;
import java.nio.file.Path;
import java.time.Instant;

/** The default ruleset of this repository (rules/ and decision-tables/), compiled once per test JVM. */
public final class DefaultRuleset {

    public static final Instant DECISION_TIME = Instant.parse("2026-11-22T10:00:00Z");
    private static volatile CompiledRuleset compiled;

    private DefaultRuleset() {}

    /** The engine settings of the service: at most 10,000 rule firings per decision. */
    public static EngineProperties engineProperties() {
        return new EngineProperties(10_000);
    }

    public static DroolsDecisionEngine engine() {
        return new DroolsDecisionEngine(engineProperties());
    }

    public static CompiledRuleset compiled() {
        if (compiled == null) {
            synchronized (DefaultRuleset.class) {
                if (compiled == null) {
                    compiled = engine().compile(RulesetFiles.readFolder(Path.of(".")));
                }
            }
        }
        return compiled;
    }

    public static Evaluation evaluate(CreditApplication application) {
        return compiled().evaluate(application, DECISION_TIME);
    }

    /** The spreadsheet row of {@code table} that fired, or null. */
    public static DecisionTrace.SpreadsheetRow row(Evaluation evaluation, String table) {
        return evaluation.trace().spreadsheetRows().stream()
                .filter(r -> r.table().equals(table))
                .findFirst()
                .orElse(null);
    }
}
