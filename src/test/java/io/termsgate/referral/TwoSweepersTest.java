package io.termsgate.referral;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.termsgate.audit.AuditDatabase;
import io.termsgate.audit.DecisionLog;
import io.termsgate.creditline.CreditLines;
import io.termsgate.creditline.CreditLinesForTests;
import io.termsgate.engine.ApprovalRoute;
import io.termsgate.ruleset.ActiveRuleset;
import io.termsgate.ruleset.ActiveRulesets;
import io.termsgate.support.DefaultRuleset;
import io.termsgate.support.PostgresDatabase;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two instances of the service sweeping the same overdue cases at the same moment, each with its own connection pool
 * on one PostgreSQL database: every case escalates once, every expired case expires once, and the referrals' chain
 * holds exactly one event for each.
 */
class TwoSweepersTest {

    static final Instant DECIDED = Instant.parse("2026-11-30T10:00:00Z"); // a Monday
    static final int CASES = 60;

    @Test
    void twoInstancesNeverEscalateOrExpireACaseTwice() throws Exception {
        PostgresDatabase.Database db = PostgresDatabase.newDatabase();
        try (HikariDataSource first = pool(db);
                HikariDataSource second = pool(db)) {
            DecisionLog log = new AuditDatabase(first).log(); // the migrations; sweeps read no decision
            SettableClock clock = new SettableClock(DECIDED);
            Referrals one = instance(first, log, clock);
            Referrals other = instance(second, log, clock);
            JdbcReferrals cases = new JdbcReferrals(JdbcClient.create(first));
            List<UUID> overdue = new ArrayList<>();
            List<UUID> expiring = new ArrayList<>();
            for (int i = 0; i < CASES; i++) {
                boolean expires = i % 3 == 0;
                ReferralCase c = openCase(
                        expires ? DECIDED.minus(Duration.ofHours(80)) : DECIDED,
                        expires ? DECIDED.minus(Duration.ofHours(8)) : DECIDED.plus(Duration.ofHours(4)));
                cases.insert(c);
                (expires ? expiring : overdue).add(c.id());
            }

            clock.set(DECIDED.plus(Duration.ofHours(4))); // every case is now overdue; a third past expiry too
            CyclicBarrier together = new CyclicBarrier(2);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                Future<Referrals.Sweep> a = threads.submit(() -> {
                    together.await();
                    return one.sweep();
                });
                Future<Referrals.Sweep> b = threads.submit(() -> {
                    together.await();
                    return other.sweep();
                });
                Referrals.Sweep sa = a.get();
                Referrals.Sweep sb = b.get();
                assertThat(sa.escalated() + sb.escalated()).isEqualTo(overdue.size());
                assertThat(sa.expired() + sb.expired()).isEqualTo(expiring.size());
            } finally {
                threads.shutdownNow();
            }
            for (UUID id : overdue) {
                ReferralCase c = cases.find(id).orElseThrow();
                assertThat(c.escalations()).isEqualTo(1);
                assertThat(c.route()).isEqualTo(ApprovalRoute.CREDIT_MANAGER);
                assertThat(cases.eventsOf(id)).extracting(ReferralEvent::event).containsExactly("ESCALATED");
            }
            for (UUID id : expiring) {
                assertThat(cases.find(id).orElseThrow().status()).isEqualTo(ReferralStatus.EXPIRED);
                assertThat(cases.eventsOf(id)).extracting(ReferralEvent::event).containsExactly("EXPIRED");
            }
            // and again: nothing more to do on either
            assertThat(one.sweep()).isEqualTo(new Referrals.Sweep(0, 0));
            assertThat(other.sweep()).isEqualTo(new Referrals.Sweep(0, 0));
            Referrals.ChainReport chain = one.verifyChain();
            assertThat(chain.valid()).as(chain.toString()).isTrue();
            assertThat(chain.checked()).isEqualTo(CASES);
        }
    }

    static ReferralCase openCase(Instant createdAt, Instant dueAt) {
        return new ReferralCase(
                UUID.randomUUID(),
                UUID.randomUUID(),
                "TWO-" + UUID.randomUUID().toString().substring(0, 8),
                null,
                new BigDecimal("5000"),
                "EUR",
                ApprovalRoute.CREDIT_ANALYST,
                ApprovalRoute.CREDIT_ANALYST,
                List.of("REF_RISK_GRADE"),
                "D",
                new BigDecimal("40000"),
                30,
                DefaultRuleset.compiled().version(),
                ReferralStatus.OPEN,
                createdAt,
                dueAt,
                createdAt.plus(Duration.ofHours(72)),
                0,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    static Referrals instance(DataSource dataSource, DecisionLog log, SettableClock clock) {
        CreditLines lines = CreditLinesForTests.on(dataSource, log, clock);
        ActiveRuleset rulesets = ActiveRulesets.serving(DefaultRuleset.compiled(), DefaultRuleset.engine(), dataSource);
        return ReferralsForTests.on(dataSource, log, lines, rulesets, clock);
    }

    static HikariDataSource pool(PostgresDatabase.Database db) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(db.url());
        pool.setUsername(db.user());
        pool.setPassword(db.password());
        pool.setMaximumPoolSize(4);
        return pool;
    }
}
