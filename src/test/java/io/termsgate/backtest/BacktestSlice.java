package io.termsgate.backtest;

import io.micrometer.core.instrument.MeterRegistry;
import io.termsgate.audit.DecisionLog;
import io.termsgate.jobs.BackgroundPace;
import io.termsgate.jobs.ForegroundTraffic;
import io.termsgate.jobs.JobProperties;
import io.termsgate.ruleset.CompiledRulesetCache;
import io.termsgate.ruleset.RulesetLifecycle;
import java.time.Clock;
import java.util.List;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** The real backtest runner for a slice test, on the slice's database and decision log. */
@TestConfiguration(proxyBeanMethods = false)
public class BacktestSlice {

    @Bean
    BacktestRunner backtestRunner(
            DecisionLog decisionLog,
            CompiledRulesetCache rulesets,
            RulesetLifecycle lifecycle,
            JdbcClient jdbc,
            Clock clock,
            MeterRegistry meters,
            JdbcTemplate template,
            TransactionTemplate transactions) {
        return runner(
                decisionLog,
                rulesets,
                lifecycle,
                jdbc,
                clock,
                meters,
                new JdbcBacktestChanges(jdbc, template, transactions),
                2,
                BacktestProperties.defaults());
    }

    /** The runner a slice test configures itself: on {@code threads} threads, with its own page size. */
    static BacktestRunner runner(
            DecisionLog decisionLog,
            CompiledRulesetCache rulesets,
            RulesetLifecycle lifecycle,
            JdbcClient jdbc,
            Clock clock,
            MeterRegistry meters,
            JdbcBacktestChanges changes,
            int threads,
            BacktestProperties properties) {
        return new BacktestRunner(
                decisionLog,
                rulesets,
                lifecycle,
                jdbc,
                clock,
                meters,
                JobProperties.of(threads),
                changes,
                properties,
                new BackgroundPace(JobProperties.of(threads), new ForegroundTraffic(List.of()), meters));
    }
}
