package io.termsgate.ruleset;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.DecisionEngine;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** A live ruleset for unit tests, without Spring: an {@link ActiveRuleset} that serves a compiled ruleset. */
public final class ActiveRulesets {

    private ActiveRulesets() {}

    /** Serves {@code ruleset}; its store is on {@code database} (which needs the service's migrations). */
    public static ActiveRuleset serving(CompiledRuleset ruleset, DecisionEngine engine, DataSource database) {
        RulesetStore store = new RulesetStore(
                JdbcClient.create(database), new TransactionTemplate(new DataSourceTransactionManager(database)));
        ActiveRuleset active =
                new ActiveRuleset(new CompiledRulesetCache(store, engine, null), store, new SimpleMeterRegistry());
        active.swap(ruleset, "a test");
        return active;
    }
}
