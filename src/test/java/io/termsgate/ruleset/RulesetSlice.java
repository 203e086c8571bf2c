package io.termsgate.ruleset;

import io.micrometer.core.instrument.MeterRegistry;
import io.termsgate.engine.DecisionEngine;
import io.termsgate.engine.RulesetSource;
import io.termsgate.engine.SpreadsheetRules;
import io.termsgate.engine.drools.DroolsSpreadsheetRules;
import io.termsgate.ruleset.sandbox.CandidateSandbox;
import io.termsgate.ruleset.sandbox.SandboxProperties;
import io.termsgate.support.DefaultRuleset;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The real ruleset module for a slice test, on the slice's database: the store, the lifecycle, uploads and the live
 * ruleset. The default ruleset is stored and live from the start, compiled once per test JVM
 * ({@link DefaultRuleset}) instead of once per context as the service's start-up would.
 */
@TestConfiguration(proxyBeanMethods = false)
public class RulesetSlice {

    /** Who the default ruleset was stored and activated by. */
    public static final String LOADED_BY = "termsgate (test)";

    @Bean
    DecisionEngine decisionEngine() {
        return DefaultRuleset.engine();
    }

    @Bean
    SpreadsheetRules spreadsheetRules() {
        return new DroolsSpreadsheetRules();
    }

    @Bean
    CandidateSandbox candidateSandbox() {
        return new CandidateSandbox(
                new SandboxProperties("256m", Duration.ofSeconds(120), Duration.ofSeconds(10), Duration.ofSeconds(60)),
                DefaultRuleset.engineProperties());
    }

    @Bean
    RulesetStore rulesetStore(JdbcClient jdbc, TransactionTemplate transactions, Clock clock) {
        RulesetStore store = new RulesetStore(jdbc, transactions);
        RulesetSource source = RulesetFiles.readFolder(Path.of("."));
        store.store(source, LOADED_BY, "the default ruleset", clock.instant());
        store.activate(source.version(), LOADED_BY, clock.instant(), "test");
        return store;
    }

    @Bean
    CompiledRulesetCache compiledRulesetCache(RulesetStore store, DecisionEngine engine, CandidateSandbox sandbox) {
        CompiledRulesetCache cache = new CompiledRulesetCache(store, engine, sandbox);
        cache.remember(DefaultRuleset.compiled());
        return cache;
    }

    @Bean
    ActiveRuleset activeRuleset(CompiledRulesetCache compiled, RulesetStore store, MeterRegistry meters) {
        return new ActiveRuleset(compiled, store, meters);
    }

    @Bean
    RulesetValidation rulesetValidation(DecisionEngine engine, CandidateSandbox sandbox) {
        return new RulesetValidation(engine, sandbox);
    }

    /** Its start-up finds the default ruleset live and takes it from the cache: nothing is compiled again. */
    @Bean
    RulesetLifecycle rulesetLifecycle(
            RulesetStore store,
            RulesetValidation validation,
            CompiledRulesetCache compiled,
            ActiveRuleset active,
            Clock clock) {
        return new RulesetLifecycle(
                store, validation, compiled, active, clock, new RulesetProperties(".", false, Duration.ofSeconds(1)));
    }

    @Bean
    RulesetUploads rulesetUploads(RulesetStore store, RulesetLifecycle lifecycle) {
        return new RulesetUploads(store, lifecycle);
    }
}
