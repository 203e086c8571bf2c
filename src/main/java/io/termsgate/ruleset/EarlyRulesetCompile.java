package io.termsgate.ruleset;

import io.termsgate.engine.RulesetSource;
import io.termsgate.engine.drools.DroolsDecisionEngine;
import io.termsgate.engine.drools.EngineProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;

/**
 * Start-up: compiling the ruleset takes seconds, and without this it begins only once the database and its
 * migrations are up. Registered by {@code TermsgateApplication.main} (not in tests, which start contexts of their
 * own), it reads the rule folder as soon as the configuration is known and compiles it on another thread while
 * Spring starts. {@link ActiveRuleset} then decides as always which version goes live; if that is the folder's
 * version, its compile takes the early result. Anything that goes wrong here is left to the normal path, which
 * reads and compiles again and reports as usual.
 */
public class EarlyRulesetCompile implements ApplicationListener<ApplicationEvent> {

    private static final Logger log = LoggerFactory.getLogger(EarlyRulesetCompile.class);

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
            try {
                Binder binder = Binder.get(prepared.getEnvironment());
                RulesetProperties rulesets = binder.bindOrCreate("termsgate.ruleset",
                        Bindable.of(RulesetProperties.class));
                EngineProperties engine = binder.bindOrCreate("termsgate.engine", Bindable.of(EngineProperties.class));
                RulesetSource source = ActiveRuleset.RulesetFolder.of(rulesets.directory()).read();
                DroolsDecisionEngine.compileEarly(source, engine);
            } catch (RuntimeException e) {
                log.debug("No early ruleset compile: {}", e.toString());
            }
        } else if (event instanceof ApplicationReadyEvent || event instanceof ApplicationFailedEvent) {
            DroolsDecisionEngine.discardEarlyCompile();
        }
    }
}
