package io.termsgate.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.termsgate.audit.AuditDatabase;
import io.termsgate.audit.AuditSlice;
import io.termsgate.audit.DecisionLog;
import io.termsgate.audit.LoggedDecision;
import io.termsgate.engine.AuthorityAnswer;
import io.termsgate.engine.AuthorityQuestion;
import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.Evaluation;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.jobs.BackgroundPace;
import io.termsgate.jobs.ForegroundTraffic;
import io.termsgate.jobs.JobProperties;
import io.termsgate.support.Applications;
import io.termsgate.support.DefaultRuleset;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The bounded queue: while the workers are busy, decisions beyond its capacity are dropped at once (the caller never
 * waits) and counted, on the instance's meter and in the run's shared count; the rest are evaluated and stored.
 * Sampling is a function of the decision id.
 */
class ShadowQueueTest {

    static final String CHALLENGER = "sha256:" + "c".repeat(64);

    private final CountDownLatch release = new CountDownLatch(1);
    private QueuedShadowEvaluations evaluations;
    private DecisionLog decisionLog;

    /** The default ruleset under another version's name, whose evaluations wait until the test lets them go. */
    private final CompiledRuleset slow = new CompiledRuleset() {
        @Override
        public String version() {
            return CHALLENGER;
        }

        @Override
        public List<RulesetProblem> warnings() {
            return List.of();
        }

        @Override
        public Evaluation evaluate(CreditApplication application, Instant decisionTime) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return DefaultRuleset.compiled().evaluate(application, decisionTime);
        }

        @Override
        public AuthorityAnswer authority(AuthorityQuestion question) {
            return DefaultRuleset.compiled().authority(question);
        }
    };

    @AfterEach
    void close() throws Exception {
        release.countDown();
        if (evaluations != null) {
            evaluations.destroy();
        }
        if (decisionLog instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Test
    void aFullQueueDropsAndCountsWithoutWaiting() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:shadow-queue-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        AuditDatabase database = new AuditDatabase(h2);
        database.storeVersion(DefaultRuleset.compiled().version()); // the live decisions name it
        decisionLog = database.log();
        JdbcClient jdbc = JdbcClient.create(h2);
        jdbc.sql("INSERT INTO shadow_run (ruleset_version, status, sample_rate, started_at, started_by, resumed_at, "
                        + "dropped) VALUES (?, 'RUNNING', 1, CURRENT_TIMESTAMP, 'test', CURRENT_TIMESTAMP, 0)")
                .param(CHALLENGER)
                .update();
        jdbc.sql("UPDATE shadow_challenger SET ruleset_version = ? WHERE id = 1")
                .param(CHALLENGER)
                .update();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        evaluations = new QueuedShadowEvaluations(
                jdbc,
                new JdbcTemplate(h2),
                version -> Optional.of(slow).filter(r -> r.version().equals(version)),
                Clock.systemUTC(),
                new ShadowProperties(2, 1, Duration.ofHours(1)),
                meters,
                new BackgroundPace(JobProperties.of(1), new ForegroundTraffic(List.of()), meters));
        evaluations.afterSingletonsInstantiated(); // its first refresh finds the challenger
        await().atMost(Duration.ofSeconds(10))
                .until(() -> meters.get("termsgate.shadow.active").gauge().value() == 1.0);

        List<LoggedDecision> live = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            live.add(AuditSlice.decideAndLog(
                    decisionLog, Applications.typical().id("Q-" + i).build(), DefaultRuleset.DECISION_TIME));
        }
        evaluations.offer(live.get(0));
        // the worker has taken it and waits in its evaluation: the queue is empty again
        await().atMost(Duration.ofSeconds(10))
                .until(() -> meters.get("termsgate.shadow.queue").gauge().value() == 0.0);
        long start = System.nanoTime();
        live.subList(1, 10).forEach(evaluations::offer);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("offering never waits for the busy worker")
                .isLessThan(Duration.ofSeconds(5));

        // 1 in evaluation, 2 queued, 7 dropped
        assertThat(meters.get("termsgate.shadow.dropped").counter().count()).isEqualTo(7.0);
        release.countDown();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jdbc.sql("SELECT COUNT(*) FROM shadow_decision")
                                .query(Long.class)
                                .single()
                        == 3);
        evaluations.refresh(); // adds this instance's drops to the run's shared count
        assertThat(jdbc.sql("SELECT dropped FROM shadow_run").query(Long.class).single())
                .isEqualTo(7);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM shadow_decision WHERE changed")
                        .query(Long.class)
                        .single())
                .as("the same rules under another name change nothing")
                .isZero();
    }

    @Test
    void samplingIsAFunctionOfTheDecisionId() {
        int sampled = 0;
        for (int i = 0; i < 20_000; i++) {
            UUID id = UUID.randomUUID();
            assertThat(QueuedShadowEvaluations.sampled(id, 1.0)).isTrue();
            assertThat(QueuedShadowEvaluations.sampled(id, 0.0)).isFalse();
            boolean quarter = QueuedShadowEvaluations.sampled(id, 0.25);
            assertThat(QueuedShadowEvaluations.sampled(id, 0.25)).isEqualTo(quarter);
            if (quarter) {
                assertThat(QueuedShadowEvaluations.sampled(id, 0.5))
                        .as("a larger sample holds the smaller")
                        .isTrue();
                sampled++;
            }
        }
        assertThat(sampled).isBetween(4_500, 5_500);
    }
}
