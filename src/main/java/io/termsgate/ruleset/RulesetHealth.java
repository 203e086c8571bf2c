package io.termsgate.ruleset;

import io.termsgate.engine.CompiledRuleset;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/** Health: UP while a compiled ruleset is live, with its version. */
@Component("ruleset")
class RulesetHealth implements HealthIndicator {

    private final ActiveRuleset active;

    RulesetHealth(ActiveRuleset active) {
        this.active = active;
    }

    @Override
    public Health health() {
        CompiledRuleset current = active.current();
        if (current == null) {
            return Health.down().withDetail("reason", "no ruleset is live").build();
        }
        return Health.up().withDetail("version", current.version()).build();
    }
}
