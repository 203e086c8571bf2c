package io.termsgate.benchmark;

import io.termsgate.audit.DecisionLog;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * Measuring aids in test scope, never in the production jar: {@code src/bench/http-bench.sh} adds these compiled
 * classes to the jar's launch. Active only under the {@code benchmark} profile and refused together with {@code prod}:
 * the ceiling endpoint (the same HTTP stack and request parsing, a fixed answer, no engine, no database) and,
 * with {@code termsgate.benchmark.audit=discard}, a decision log that writes nothing, to price the log.
 */
@Configuration(proxyBeanMethods = false)
@Profile("benchmark")
class BenchmarkProfile {

    BenchmarkProfile(Environment environment) {
        if (environment.acceptsProfiles(Profiles.of("prod"))) {
            throw new IllegalStateException(
                    "The benchmark profile cannot run with prod: it can switch the decision " + "log off");
        }
    }

    @Bean
    @Primary
    @ConditionalOnProperty(name = "termsgate.benchmark.audit", havingValue = "discard")
    DecisionLog discardingDecisionLog(DecisionLog real) {
        return new DiscardingDecisionLog(real);
    }
}
