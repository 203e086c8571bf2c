package io.termsgate.engine.drools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.DecisionTrace;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.facts.KnockoutFindings;
import io.termsgate.engine.facts.RiskScorecard;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.AgendaEventListener;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;

/**
 * A reused (reset) rule session decides exactly as a new one: the same findings, scorecard and trace (rules in firing
 * order, sheet rows and their effects), whatever the session decided before, at any decision time; and a session whose
 * rules failed is never reused.
 */
class RuleSessionReuseTest {

    private static final int MAX_FIRINGS = 10_000;

    /** What one decision's rules produced, as comparable values. */
    private record Fired(
            List<String> reasons,
            boolean declined,
            List<String> referralRoutes,
            List<RiskScorecard.Award> awards,
            List<String> grades,
            DecisionTrace trace) {}

    private static Fired fire(
            RuleSessions sessions,
            TraceCollector.Origins origins,
            CreditApplication application,
            Instant decisionTime) {
        KnockoutFindings findings = new KnockoutFindings();
        RiskScorecard scorecard = new RiskScorecard();
        TraceCollector trace = new TraceCollector(origins, Map.of(), scorecard);
        sessions.fire(application, decisionTime, findings, scorecard, trace);
        return new Fired(
                List.copyOf(findings.getReasons()),
                findings.isDeclined(),
                List.copyOf(findings.getReferralRoutes()),
                List.copyOf(scorecard.getAwards()),
                List.copyOf(scorecard.getGrades()),
                trace.build());
    }

    @Test
    void aReusedSessionDecidesAsANewOneInAnyOrder() {
        BenchFixtures.Rules rules = BenchFixtures.compileRules(
                BenchFixtures.KNOCKOUTS,
                new String(BenchFixtures.read(BenchFixtures.KNOCKOUTS), StandardCharsets.UTF_8),
                BenchFixtures.SCORECARD,
                BenchFixtures.read(BenchFixtures.SCORECARD));
        RuleSessions reused = new RuleSessions(rules.ruleBase().kieBase(), MAX_FIRINGS);
        RuleSessions fresh = new RuleSessions(rules.ruleBase().kieBase(), MAX_FIRINGS, 0);
        CreditApplication[] examples = BenchFixtures.examples();
        List<CreditApplication> order = new ArrayList<>(Arrays.asList(examples));
        Random random = new Random(7);
        int compared = 0;
        for (int pass = 0; pass < 4; pass++) {
            Collections.shuffle(order, random);
            for (CreditApplication application : order) {
                // decision times that go back as well as forward: a reset session's clock starts again at 0
                Instant at = BenchFixtures.DECISION_TIME.minusSeconds(random.nextInt(1_000_000) - 500_000L);
                assertThat(fire(reused, rules.origins(), application, at))
                        .as("%s in pass %d", application.customer().getId(), pass)
                        .isEqualTo(fire(fresh, rules.origins(), application, at));
                compared++;
            }
        }
        assertThat(compared).isEqualTo(4 * examples.length);
        assertThat(reused.idleSessions()).isEqualTo(1);
        assertThat(fresh.idleSessions()).isZero();
    }

    private static final String ANY_CUSTOMER = """
            package termsgate.any;
            import io.termsgate.engine.facts.Customer;
            import io.termsgate.engine.facts.KnockoutFindings;
            global KnockoutFindings findings;
            rule "Fraud alert"
            when
                Customer( flags contains "FRAUD_ALERT" )
            then
                findings.refer("REF_FRAUD", "CREDIT_MANAGER");
            end
            rule "Any customer"
            when
                Customer( )
            then
                findings.refer("REF_ANY", "CREDIT_ANALYST");
            end
            """;

    private static RuleBaseCompiler.RuleBase anyCustomer() {
        List<RulesetProblem> problems = new ArrayList<>();
        RuleBaseCompiler.RuleBase ruleBase =
                RuleBaseCompiler.compile(Map.of("rules/any.drl", ANY_CUSTOMER), List.of(), problems);
        assertThat(problems).isEmpty();
        return ruleBase;
    }

    /** The session clock, which rules may read, is the decision's time in a reused session as in a new one. */
    @Test
    void aReusedSessionsClockIsTheDecisionTime() {
        RuleSessions sessions = new RuleSessions(anyCustomer().kieBase(), MAX_FIRINGS);
        CreditApplication application = BenchFixtures.examples()[0];
        List<Long> seen = new ArrayList<>();
        AgendaEventListener clock = new DefaultAgendaEventListener() {
            @Override
            public void beforeMatchFired(BeforeMatchFiredEvent event) {
                seen.add(event.getKieRuntime().getSessionClock().getCurrentTime());
            }
        };
        Instant later = Instant.parse("2026-11-22T15:00:00Z");
        Instant earlier = Instant.parse("2025-01-02T09:00:00Z");
        for (Instant at : List.of(later, earlier, later)) {
            seen.clear();
            sessions.fire(application, at, new KnockoutFindings(), new RiskScorecard(), clock);
            assertThat(seen).containsOnly(at.toEpochMilli()).isNotEmpty();
            assertThat(sessions.idleSessions()).isEqualTo(1);
        }
    }

    /** Whatever fails mid-firing (rule code, or as here the decision's listener) takes its session with it. */
    @Test
    void aSessionWhoseFiringFailedIsNotReused() {
        RuleBaseCompiler.RuleBase ruleBase = anyCustomer();
        RuleSessions sessions = new RuleSessions(ruleBase.kieBase(), MAX_FIRINGS);
        RuleSessions fresh = new RuleSessions(ruleBase.kieBase(), MAX_FIRINGS, 0);
        TraceCollector.Origins origins = new TraceCollector.Origins(ruleBase.origins());
        CreditApplication fraud = Arrays.stream(BenchFixtures.examples())
                .filter(a -> a.customer().getFlags().contains("FRAUD_ALERT"))
                .findFirst()
                .orElseThrow();
        CreditApplication plain = Arrays.stream(BenchFixtures.examples())
                .filter(a -> a.customer().getFlags().isEmpty())
                .findFirst()
                .orElseThrow();
        AgendaEventListener failing = new DefaultAgendaEventListener() {
            @Override
            public void afterMatchFired(AfterMatchFiredEvent event) {
                if (event.getMatch().getRule().getName().equals("Fraud alert")) {
                    throw new IllegalStateException("failed mid-firing");
                }
            }
        };

        fire(sessions, origins, plain, BenchFixtures.DECISION_TIME);
        assertThat(sessions.idleSessions()).isEqualTo(1);
        // the failing decision takes the idle session and does not give it back
        assertThatThrownBy(() -> sessions.fire(
                        fraud, BenchFixtures.DECISION_TIME, new KnockoutFindings(), new RiskScorecard(), failing))
                .isInstanceOf(RuleSessions.RuleCodeFailed.class)
                .satisfies(e ->
                        assertThat(((RuleSessions.RuleCodeFailed) e).rule()).isEqualTo("Fraud alert"));
        assertThat(sessions.idleSessions()).isZero();
        for (CreditApplication application : List.of(plain, fraud, plain)) {
            assertThat(fire(sessions, origins, application, BenchFixtures.DECISION_TIME))
                    .isEqualTo(fire(fresh, origins, application, BenchFixtures.DECISION_TIME));
        }
        assertThat(sessions.idleSessions()).isEqualTo(1);
    }

    @Test
    void atMostMaxIdleSessionsAreKept() throws Exception {
        RuleBaseCompiler.RuleBase ruleBase = anyCustomer();
        RuleSessions sessions = new RuleSessions(ruleBase.kieBase(), MAX_FIRINGS, 2);
        CreditApplication application = BenchFixtures.examples()[0];
        // five decisions at once, each waiting in its rule for the others: five sessions; two are kept afterwards
        CyclicBarrier together = new CyclicBarrier(5);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 5; t++) {
            Thread thread = new Thread(() -> {
                try {
                    AgendaEventListener waiting = new DefaultAgendaEventListener() {
                        @Override
                        public void beforeMatchFired(BeforeMatchFiredEvent event) {
                            try {
                                together.await(30, TimeUnit.SECONDS);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    };
                    sessions.fire(
                            application,
                            BenchFixtures.DECISION_TIME,
                            new KnockoutFindings(),
                            new RiskScorecard(),
                            waiting);
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(60_000);
        }
        assertThat(failures).isEmpty();
        assertThat(sessions.idleSessions()).isEqualTo(2);
    }
}
