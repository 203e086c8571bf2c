package io.termsgate.audit;

import io.micrometer.core.instrument.MeterRegistry;
import io.termsgate.ruleset.CompiledRulesetCache;
import java.time.Duration;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** The real decision log for a slice test, on the slice's database, with replay, verification and export. */
@TestConfiguration(proxyBeanMethods = false)
public class AuditSlice {

    @Bean(destroyMethod = "close")
    JdbcDecisionLog decisionLog(
            JdbcClient jdbc, JdbcTemplate template, TransactionTemplate transactions, MeterRegistry meters) {
        return new JdbcDecisionLog(
                jdbc,
                template,
                transactions,
                AuditDatabase.properties(Duration.ofSeconds(3)),
                new AuditMetrics(meters));
    }

    @Bean
    Replays replays(DecisionLog decisionLog, CompiledRulesetCache rulesets) {
        return new Replays(decisionLog, rulesets);
    }

    @Bean
    ChainVerifier chainVerifier(DecisionLog decisionLog) {
        return new ChainVerifier(decisionLog);
    }

    @Bean
    DecisionExport decisionExport(DecisionLog decisionLog) {
        return new DecisionExport(decisionLog);
    }
}
