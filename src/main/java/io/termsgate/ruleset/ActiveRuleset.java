package io.termsgate.ruleset;

import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.DecisionEngine;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.RulesetSource;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The ruleset that decides right now. Compiled once at start-up from {@code termsgate.ruleset.dir} (or the packaged
 * default) and held behind one reference: a decision reads it once and runs wholly on that version.
 */
@Component
public class ActiveRuleset {

    private static final Logger log = LoggerFactory.getLogger(ActiveRuleset.class);

    private final AtomicReference<CompiledRuleset> current = new AtomicReference<>();

    public ActiveRuleset(RulesetProperties properties, DecisionEngine engine, RulesetStore store,
            CompiledRulesets compiled, Clock clock) {
        Path dir = properties.directory();
        RulesetSource source;
        String origin;
        if (RulesetFiles.isRulesetFolder(dir)) {
            source = RulesetFiles.readFolder(dir);
            origin = dir.toString();
        } else {
            source = RulesetFiles.readPackagedDefault();
            origin = "the default ruleset packaged in the jar (no rules/ or decision-tables/ in " + dir + ")";
        }
        CompiledRuleset ruleset = engine.compile(source);
        for (RulesetProblem warning : ruleset.warnings()) {
            log.warn("ruleset {}: {}", ruleset.version(), warning);
        }
        boolean stored = store.store(source, "termsgate (start-up)", origin, clock.instant());
        log.info("Ruleset {} loaded from {}{}: {}", ruleset.version(), origin,
                stored ? ", stored as a new version" : ", already stored", source.files().keySet());
        compiled.remember(ruleset);
        current.set(ruleset);
    }

    public CompiledRuleset current() {
        return current.get();
    }
}
