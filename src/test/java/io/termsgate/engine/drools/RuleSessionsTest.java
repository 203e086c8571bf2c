package io.termsgate.engine.drools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.facts.KnockoutFindings;
import io.termsgate.engine.facts.RiskScorecard;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.AgendaEventListener;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;

/**
 * How a decision runs its rules ({@link RuleSessions}): each decision is what a new session gives, however many
 * decisions came before on the same rule base, with every rule attribute the policy language allows (an activation
 * group fires one rule per decision, agenda groups and auto-focus, lock-on-active, no-loop, dates, salience); the
 * session clock is the decision's time; and a failure mid-firing names the rule that was firing.
 */
class RuleSessionsTest {

    private static final int MAX_FIRINGS = 10_000;

    /** Every attribute of the policy language, each in a rule whose findings show whether it held. */
    private static final String ATTRIBUTES = """
            package termsgate.attributes;
            import io.termsgate.engine.facts.Customer;
            import io.termsgate.engine.facts.Order;
            import io.termsgate.engine.facts.RiskScore;
            import io.termsgate.engine.facts.KnockoutFindings;
            global KnockoutFindings findings;

            rule "Group first" salience 10 activation-group "one of"
            when Customer( )
            then findings.refer("REF_GROUP_FIRST", "CREDIT_ANALYST");
            end

            rule "Group second" salience 5 activation-group "one of"
            when Customer( )
            then findings.refer("REF_GROUP_SECOND", "CREDIT_ANALYST");
            end

            rule "Grade group high" salience 10 activation-group "grade" auto-focus true
            when RiskScore( )
            then findings.refer("REF_GRADE_HIGH", "CREDIT_ANALYST");
            end

            rule "Grade group low" salience 1 activation-group "grade" auto-focus true
            when RiskScore( )
            then findings.refer("REF_GRADE_LOW", "CREDIT_ANALYST");
            end

            rule "In a focused agenda group" agenda-group "later" auto-focus true lock-on-active true
            when Order( )
            then findings.refer("REF_AGENDA_GROUP", "CREDIT_MANAGER");
            end

            rule "Never focused" agenda-group "never"
            when Order( )
            then findings.refer("REF_NEVER", "CFO");
            end

            rule "Once" no-loop true
            when Customer( )
            then findings.refer("REF_ONCE", "CREDIT_ANALYST");
            end

            rule "Not yet in force" date-effective "01-Jan-2030"
            when Customer( )
            then findings.refer("REF_FUTURE", "CREDIT_ANALYST");
            end

            rule "No longer in force" date-expires "01-Jan-2020"
            when Customer( )
            then findings.refer("REF_PAST", "CREDIT_ANALYST");
            end
            """;

    private static RuleBaseCompiler.RuleBase compile(String path, String drl) {
        List<RulesetProblem> problems = new ArrayList<>();
        RuleBaseCompiler.RuleBase ruleBase = RuleBaseCompiler.compile(Map.of(path, drl), List.of(), problems);
        assertThat(problems).isEmpty();
        return ruleBase;
    }

    private static List<String> reasons(RuleSessions sessions, CreditApplication application, Instant at) {
        KnockoutFindings findings = new KnockoutFindings();
        sessions.fire(application, at, findings, new RiskScorecard(), new DefaultAgendaEventListener());
        return List.copyOf(findings.getReasons());
    }

    @Test
    void everyDecisionIsWhatANewSessionGivesWithEveryAttribute() {
        RuleSessions sessions =
                new RuleSessions(compile("rules/attributes.drl", ATTRIBUTES).kieBase(), MAX_FIRINGS);
        CreditApplication[] examples = BenchFixtures.examples();
        Instant at = Instant.parse("2026-11-22T10:00:00Z");
        for (int i = 0; i < 3 * examples.length; i++) {
            assertThat(reasons(sessions, examples[i % examples.length], at))
                    .as("decision %d", i)
                    .containsExactlyInAnyOrder("REF_GROUP_FIRST", "REF_GRADE_HIGH", "REF_AGENDA_GROUP", "REF_ONCE");
        }
    }

    @Test
    void theDefaultRulesDecideAlikeInAnyOrder() {
        BenchFixtures.Rules rules = BenchFixtures.compileRules(
                BenchFixtures.KNOCKOUTS,
                new String(BenchFixtures.read(BenchFixtures.KNOCKOUTS), java.nio.charset.StandardCharsets.UTF_8),
                BenchFixtures.SCORECARD,
                BenchFixtures.read(BenchFixtures.SCORECARD));
        CreditApplication[] examples = BenchFixtures.examples();
        List<List<Object>> first = new ArrayList<>();
        for (CreditApplication application : examples) {
            first.add(fired(rules, application));
        }
        List<Integer> reversed = new ArrayList<>();
        for (int i = examples.length - 1; i >= 0; i--) {
            reversed.add(i);
        }
        for (int i : reversed) {
            assertThat(fired(rules, examples[i])).as("example %d", i).isEqualTo(first.get(i));
        }
    }

    private static List<Object> fired(BenchFixtures.Rules rules, CreditApplication application) {
        KnockoutFindings findings = new KnockoutFindings();
        RiskScorecard scorecard = new RiskScorecard();
        TraceCollector trace = new TraceCollector(rules.origins(), Map.of(), scorecard);
        rules.sessions().fire(application, BenchFixtures.DECISION_TIME, findings, scorecard, trace);
        return List.of(
                List.copyOf(findings.getReasons()),
                List.copyOf(findings.getReferralRoutes()),
                List.copyOf(scorecard.getAwards()),
                List.copyOf(scorecard.getGrades()),
                trace.build());
    }

    /** The session clock, which rules may read, is the decision's time, later or earlier than the last one. */
    @Test
    void theSessionClockIsTheDecisionTime() {
        RuleSessions sessions =
                new RuleSessions(compile("rules/attributes.drl", ATTRIBUTES).kieBase(), MAX_FIRINGS);
        CreditApplication application = BenchFixtures.examples()[0];
        List<Long> seen = new ArrayList<>();
        AgendaEventListener clock = new DefaultAgendaEventListener() {
            @Override
            public void beforeMatchFired(BeforeMatchFiredEvent event) {
                seen.add(event.getKieRuntime().getSessionClock().getCurrentTime());
            }
        };
        for (Instant at : List.of(
                Instant.parse("2026-11-22T15:00:00Z"),
                Instant.parse("2025-01-02T09:00:00Z"),
                Instant.parse("2026-11-22T15:00:00Z"))) {
            seen.clear();
            sessions.fire(application, at, new KnockoutFindings(), new RiskScorecard(), clock);
            assertThat(seen).isNotEmpty().containsOnly(at.toEpochMilli());
        }
    }

    /** Whatever fails mid-firing (rule code, or here the decision's listener) is reported with the rule firing. */
    @Test
    void aFailureMidFiringNamesTheRule() {
        RuleSessions sessions =
                new RuleSessions(compile("rules/attributes.drl", ATTRIBUTES).kieBase(), MAX_FIRINGS);
        CreditApplication application = Arrays.stream(BenchFixtures.examples())
                .filter(a -> a.customer().getFlags().isEmpty())
                .findFirst()
                .orElseThrow();
        AgendaEventListener failing = new DefaultAgendaEventListener() {
            @Override
            public void afterMatchFired(AfterMatchFiredEvent event) {
                if (event.getMatch().getRule().getName().equals("Once")) {
                    throw new IllegalStateException("failed mid-firing");
                }
            }
        };
        assertThatThrownBy(() -> sessions.fire(
                        application, BenchFixtures.DECISION_TIME, new KnockoutFindings(), new RiskScorecard(), failing))
                .isInstanceOf(RuleSessions.RuleCodeFailed.class)
                .satisfies(e ->
                        assertThat(((RuleSessions.RuleCodeFailed) e).rule()).isEqualTo("Once"));
        // the next decision is whole
        assertThat(reasons(sessions, application, BenchFixtures.DECISION_TIME))
                .containsExactlyInAnyOrder("REF_GROUP_FIRST", "REF_GRADE_HIGH", "REF_AGENDA_GROUP", "REF_ONCE");
    }
}
