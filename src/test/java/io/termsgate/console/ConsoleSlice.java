package io.termsgate.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.termsgate.backtest.BacktestSlice;
import io.termsgate.engine.SpreadsheetRules;
import io.termsgate.ruleset.RulesetLifecycle;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The console's real sign-in and role checks in a slice test (its own filter chain, the people of the test
 * profile), beside the API's, with what its pages read: the backtest runner and the DMN rules in words.
 */
@TestConfiguration(proxyBeanMethods = false)
@EnableConfigurationProperties({ConsoleProperties.class, SignInProperties.class, StrictTransportProperties.class})
@Import({ConsoleSecurityConfig.class, ConsoleUsers.class, SignInThrottle.class, BacktestSlice.class})
class ConsoleSlice {

    @Bean
    DmnRules dmnRules(RulesetLifecycle rulesets, ObjectMapper json, SpreadsheetRules spreadsheetRules) {
        return new DmnRules(rulesets, json, spreadsheetRules);
    }
}
