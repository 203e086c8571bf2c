package io.termsgate.audit;

import io.micrometer.core.instrument.MeterRegistry;
import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.CreditApplication;
import io.termsgate.ruleset.CompiledRulesetCache;
import io.termsgate.support.DefaultRuleset;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** The real decision log for a slice test, on the slice's database, with replay, verification and export. */
@TestConfiguration(proxyBeanMethods = false)
public class AuditSlice {

    /**
     * Decides {@code application} under the default ruleset at {@code at}, as the demo checkout key, and logs it: a
     * real logged decision for a test to look up, search, replay or backtest.
     */
    public static LoggedDecision decideAndLog(DecisionLog decisionLog, CreditApplication application, Instant at) {
        CompiledRuleset ruleset = DefaultRuleset.compiled();
        return decisionLog.record(new Decided(
                UUID.randomUUID(),
                at,
                "demo-checkout",
                null,
                CanonicalRequest.of(application),
                application,
                null,
                ruleset.version(),
                DefaultRuleset.engine().versions(),
                ruleset.evaluate(application, at),
                100));
    }

    @Bean
    PersonalData personalData(JdbcClient jdbc, TransactionTemplate transactions) {
        return AuditDatabase.personalData(jdbc, transactions);
    }

    @Bean(destroyMethod = "close")
    JdbcDecisionLog decisionLog(
            JdbcClient jdbc,
            JdbcTemplate template,
            TransactionTemplate transactions,
            MeterRegistry meters,
            PersonalData personalData) {
        return new JdbcDecisionLog(
                jdbc,
                template,
                transactions,
                AuditDatabase.properties(Duration.ofSeconds(3)),
                new AuditMetrics(meters),
                personalData);
    }

    @Bean
    Replays replays(DecisionLog decisionLog, CompiledRulesetCache rulesets) {
        return new Replays(decisionLog, rulesets);
    }

    @Bean
    AccessLog accessLog(
            JdbcClient jdbc, TransactionTemplate transactions, java.time.Clock clock, PersonalData personalData) {
        return new AccessLog(jdbc, transactions, clock, personalData);
    }

    @Bean
    ChainVerifier chainVerifier(DecisionLog decisionLog, AccessLog accessLog) {
        return new ChainVerifier(
                decisionLog, null, accessLog, new RetentionProperties(null), java.time.Clock.systemUTC());
    }

    /** A signing key of the slice's own (the public-key endpoint); the slice writes no checkpoints. */
    @Bean
    AuditSigningKey auditSigningKey() throws java.security.GeneralSecurityException {
        return new AuditSigningKey(java.security.KeyPairGenerator.getInstance("Ed25519")
                .generateKeyPair()
                .getPrivate());
    }

    @Bean
    AuditQueries auditQueries(ChainVerifier verifier, DecisionExport export) {
        return new AuditQueries(verifier, export);
    }

    @Bean
    DecisionExport decisionExport(DecisionLog decisionLog, com.fasterxml.jackson.databind.ObjectMapper json) {
        return new DecisionExport(decisionLog, json);
    }
}
