package io.termsgate.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.termsgate.audit.AuditDatabase;
import io.termsgate.audit.AuditLogUnavailableException;
import io.termsgate.audit.DecisionLog;
import io.termsgate.creditapplication.DecisionRequestReader.Requested;
import io.termsgate.creditline.CreditLinesForTests;
import io.termsgate.engine.ApplicationField;
import io.termsgate.engine.ApprovalRoute;
import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.Outcome;
import io.termsgate.engine.drools.DroolsDecisionEngine;
import io.termsgate.engine.drools.EngineProperties;
import io.termsgate.referral.ReferralsForTests;
import io.termsgate.ruleset.ActiveRulesets;
import io.termsgate.ruleset.RulesetFiles;
import io.termsgate.support.Applications;
import io.termsgate.support.DatabaseCable;
import io.termsgate.support.DefaultRuleset;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The checkout use case without Spring or HTTP: the compiled default ruleset, a real decision log on H2, a fixed
 * clock. What idempotency keys mean, that an answer exists only once it is logged, and what an engine or log
 * failure becomes.
 */
class CreditDecisionServiceTest {

    static final Instant NOW = Instant.parse("2026-11-22T10:15:30.123456Z");
    static final String CHECKOUT = "checkout-web";
    static final DecisionLog.DecisionQuery EVERYTHING = new DecisionLog.DecisionQuery(null, null, null, null, null);

    DatabaseCable database;
    DecisionLog decisionLog;
    CreditDecisionService decisions;

    @BeforeEach
    void service() {
        decisions = serviceUnder(DefaultRuleset.compiled());
    }

    @AfterEach
    void closeLog() throws Exception {
        ((AutoCloseable) decisionLog).close();
    }

    CreditDecisionService serviceUnder(CompiledRuleset ruleset) {
        database = DatabaseCable.h2("decision-unit");
        AuditDatabase audit = new AuditDatabase(database);
        audit.storeVersion(ruleset.version());
        decisionLog = audit.log();
        DroolsDecisionEngine engine = DefaultRuleset.engine();
        var rulesets = ActiveRulesets.serving(ruleset, engine, database);
        var creditLines = CreditLinesForTests.on(database, decisionLog, Clock.fixed(NOW, ZoneOffset.UTC));
        return new CreditDecisionService(
                rulesets,
                decisionLog,
                creditLines,
                ReferralsForTests.on(database, decisionLog, creditLines, rulesets, Clock.fixed(NOW, ZoneOffset.UTC)),
                new DecisionIds(),
                Clock.fixed(NOW, ZoneOffset.UTC),
                engine,
                new DecisionMetrics(new SimpleMeterRegistry()),
                io.termsgate.shadow.ShadowEvaluations.NONE);
    }

    static Requested typical() {
        return requested(Applications.typical().build());
    }

    /** An application as a request that gave every field (its balance among them). */
    static Requested requested(CreditApplication application) {
        return new Requested(application, EnumSet.allOf(ApplicationField.class));
    }

    @Test
    void aDecisionIsAnsweredAsLoggedUnderTheLiveVersionAtTheClocksTime() {
        CreditDecisionService.Answer answer = decisions.decide(typical(), CHECKOUT, null);

        assertThat(answer.repeated()).isFalse();
        var record = answer.decision().record();
        assertThat(decisionLog.find(record.decisionId())).contains(answer.decision());
        assertThat(record.decidedAt()).isEqualTo(Instant.parse("2026-11-22T10:15:30.123Z"));
        assertThat(record.rulesetVersion()).isEqualTo(DefaultRuleset.compiled().version());
        assertThat(record.client()).isEqualTo(CHECKOUT);
        assertThat(record.outcome())
                .isEqualTo(DefaultRuleset.evaluate(typical().application())
                        .outcome()
                        .name());
    }

    @Test
    void withoutAnIdempotencyKeyEveryRequestIsANewDecision() {
        UUID first =
                decisions.decide(typical(), CHECKOUT, null).decision().record().decisionId();
        UUID second =
                decisions.decide(typical(), CHECKOUT, null).decision().record().decisionId();

        assertThat(second).isNotEqualTo(first);
        assertThat(decisionLog.count(EVERYTHING)).isEqualTo(2);
    }

    @Test
    void aRetryWithTheSameKeyGetsTheOriginalAndLogsNothingNew() {
        CreditDecisionService.Answer first = decisions.decide(typical(), CHECKOUT, "key-1");

        CreditDecisionService.Answer retry = decisions.decide(typical(), CHECKOUT, "key-1");

        assertThat(retry.repeated()).isTrue();
        assertThat(retry.decision()).isEqualTo(first.decision());
        assertThat(decisionLog.count(EVERYTHING)).isEqualTo(1);
    }

    @Test
    void theSameKeyForAnotherRequestIsRefusedNamingTheOriginal() {
        UUID original = decisions
                .decide(typical(), CHECKOUT, "key-1")
                .decision()
                .record()
                .decisionId();
        CreditApplication other = Applications.typical().amount("26000").build();

        assertThatThrownBy(() -> decisions.decide(requested(other), CHECKOUT, "key-1"))
                .isInstanceOfSatisfying(
                        IdempotencyKeyReusedException.class,
                        e -> assertThat(e.originalDecision()).isEqualTo(original));
        assertThat(decisionLog.count(EVERYTHING)).isEqualTo(1);
    }

    @Test
    void keysBelongToTheirClient() {
        CreditDecisionService.Answer mine = decisions.decide(typical(), CHECKOUT, "key-1");

        CreditDecisionService.Answer theirs = decisions.decide(typical(), "checkout-app", "key-1");

        assertThat(theirs.repeated()).isFalse();
        assertThat(theirs.decision().record().decisionId())
                .isNotEqualTo(mine.decision().record().decisionId());
    }

    @Test
    void concurrentRetriesWithOneKeyProduceOneDecision() throws Exception {
        int retries = 8;
        ExecutorService pool = Executors.newFixedThreadPool(retries);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<CreditDecisionService.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < retries; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return decisions.decide(typical(), CHECKOUT, "key-1");
                }));
            }
            go.countDown();
            List<CreditDecisionService.Answer> all = new ArrayList<>();
            for (Future<CreditDecisionService.Answer> answer : answers) {
                all.add(answer.get());
            }

            assertThat(all.stream().map(a -> a.decision().record().decisionId()).distinct())
                    .hasSize(1);
            assertThat(all.stream().filter(a -> !a.repeated())).hasSize(1);
            assertThat(decisionLog.count(EVERYTHING)).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void whenTheLogCannotBeWrittenNothingIsAnsweredAndNothingLogged() {
        database.cut();

        assertThatThrownBy(() -> decisions.decide(typical(), CHECKOUT, null))
                .isInstanceOf(AuditLogUnavailableException.class);

        database.restore();
        assertThat(decisionLog.count(EVERYTHING)).isZero();
    }

    @Test
    void whenTheLogCannotBeReadARequestWithAKeyIsRefusedAndItsRetryIsDecidedLater() {
        database.cut();
        assertThatThrownBy(() -> decisions.decide(typical(), CHECKOUT, "key-1"))
                .isInstanceOf(AuditLogUnavailableException.class);
        database.restore();

        CreditDecisionService.Answer retry = decisions.decide(typical(), CHECKOUT, "key-1");

        assertThat(retry.repeated()).isFalse();
        assertThat(decisionLog.count(EVERYTHING)).isEqualTo(1);
    }

    @Test
    void anEngineErrorIsLoggedAndAnsweredAsASafeReferral() throws Exception {
        // the default ruleset under an engine allowed a single rule firing: every evaluation overruns it
        CompiledRuleset overrunning =
                new DroolsDecisionEngine(new EngineProperties(1)).compile(RulesetFiles.readFolder(Path.of(".")));
        ((AutoCloseable) decisionLog).close();
        CreditDecisionService underOverrun = serviceUnder(overrunning);

        CreditDecisionService.Answer answer = underOverrun.decide(typical(), CHECKOUT, null);

        var record = answer.decision().record();
        assertThat(record.outcome()).isEqualTo(Outcome.REFERRED.name());
        assertThat(record.approvalRoute()).isEqualTo(ApprovalRoute.CREDIT_ANALYST.name());
        assertThat(record.resultJson()).contains("ENGINE_ERROR");
        assertThat(decisionLog.find(record.decisionId())).isPresent();
    }
}
