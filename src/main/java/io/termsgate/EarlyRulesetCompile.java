package io.termsgate;

import io.termsgate.engine.drools.EarlyCompile;
import io.termsgate.engine.drools.EngineProperties;
import io.termsgate.ruleset.RulesetFiles;
import io.termsgate.ruleset.RulesetProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;

/**
 * Start-up: compiling the ruleset takes seconds, and without this it begins only once the database and its
 * migrations are up. Registered by {@link TermsgateApplication#main} (not in tests, which start contexts of their
 * own), it reads the rule folder as soon as the configuration is known and starts compiling it while Spring starts;
 * the compile is handed to the context as a bean ({@link EarlyCompile}), which the engine's first compile of that
 * version takes. The ruleset module still decides which version goes live. Anything that goes wrong here is left to
 * the normal path, which reads and compiles again and reports as usual.
 */
class EarlyRulesetCompile implements ApplicationListener<ApplicationEvent> {

    private static final Logger log = LoggerFactory.getLogger(EarlyRulesetCompile.class);

    private EarlyCompile started;

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
            try {
                Binder binder = Binder.get(prepared.getEnvironment());
                RulesetProperties rulesets =
                        binder.bindOrCreate("termsgate.ruleset", Bindable.of(RulesetProperties.class));
                EngineProperties engine = binder.bindOrCreate("termsgate.engine", Bindable.of(EngineProperties.class));
                // reading the folder, too, happens on the compiler's thread: this one goes on starting Spring
                java.nio.file.Path folder = rulesets.directory();
                started = EarlyCompile.start(
                        () -> RulesetFiles.readFolderOrPackaged(folder), engine, prepared.getEnvironment());
            } catch (RuntimeException e) {
                log.debug("No early ruleset compile: {}", e.toString());
            }
        } else if (event instanceof ApplicationPreparedEvent prepared && started != null) {
            prepared.getApplicationContext().getBeanFactory().registerSingleton("earlyRulesetCompile", started);
            started = null;
        }
    }
}
