package io.termsgate.ruleset;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.RulesetSource;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The ruleset that decides right now, behind one reference: a decision reads it once and runs wholly on that
 * version, and an activation compiles first and then swaps the reference, so no decision fails or sees a mix.
 *
 * <p>At start-up: if no version is live yet (a new database), the rule folder ({@code termsgate.ruleset.dir}, or
 * the default packaged in the jar) is compiled, scenario-tested and made live. If one is live, it stays live,
 * unless watch mode is on and the folder changed since the service last read it; then the folder's version is
 * adopted as if the watcher had seen the edit. Every instance then follows the live version in the database.
 */
@Component
public class ActiveRuleset {

    private static final Logger log = LoggerFactory.getLogger(ActiveRuleset.class);
    static final String START_UP = "termsgate (start-up)";
    static final String FILE_SYSTEM = "file system";

    private final AtomicReference<CompiledRuleset> current = new AtomicReference<>();
    private final RulesetStore store;
    private final CompiledRulesetCache compiled;
    private final Counter activations;

    public ActiveRuleset(CompiledRulesetCache compiled, RulesetStore store, MeterRegistry meters) {
        this.store = store;
        this.compiled = compiled;
        this.activations = Counter.builder("termsgate.ruleset.activations")
                .description("Times this instance switched to another live ruleset version")
                .register(meters);
    }

    public CompiledRuleset current() {
        return current.get();
    }

    /** Makes an already compiled ruleset the one that decides. */
    void swap(CompiledRuleset ruleset, String why) {
        CompiledRuleset previous = current.getAndSet(ruleset);
        compiled.remember(ruleset);
        for (RulesetProblem warning : ruleset.warnings()) {
            log.debug("ruleset {}: {}", ruleset.version(), warning);
        }
        if (previous == null || !previous.version().equals(ruleset.version())) {
            activations.increment();
            log.info(
                    "Ruleset {} is live ({}){}",
                    ruleset.version(),
                    why,
                    previous == null ? "" : "; it replaces " + previous.version());
        }
    }

    /**
     * Follows the live version of the database, so every instance switches within a poll interval of an
     * activation made anywhere. Compiling happens before the swap; a failure leaves the current version live.
     */
    @Scheduled(
            fixedDelayString = "${termsgate.ruleset.poll-interval:1s}",
            initialDelayString = "${termsgate.ruleset.poll-interval:1s}")
    void follow() {
        try {
            store.active().ifPresent(live -> {
                if (current() != null && !live.version().equals(current().version())) {
                    compiled.get(live.version())
                            .ifPresent(ruleset ->
                                    swap(ruleset, "activated by " + live.activatedBy() + " at " + live.activatedAt()));
                }
            });
        } catch (RuntimeException e) {
            log.warn("Could not check the live ruleset version: {}", e.toString());
        }
    }

    /** A rule folder on disk, or the default ruleset packaged in the jar when there is none. */
    record RulesetFolder(Path dir, boolean packaged) {

        static RulesetFolder of(Path dir) {
            return new RulesetFolder(dir, !RulesetFiles.isRulesetFolder(dir));
        }

        RulesetSource read() {
            return packaged ? RulesetFiles.readPackagedDefault() : RulesetFiles.readFolder(dir);
        }

        String key() {
            return packaged ? "classpath:" + RulesetFiles.PACKAGED_ROOT : dir.toString();
        }

        String description() {
            return packaged
                    ? "the default ruleset packaged in the jar (no rules/ or decision-tables/ in " + dir + ")"
                    : dir.toString();
        }
    }
}
