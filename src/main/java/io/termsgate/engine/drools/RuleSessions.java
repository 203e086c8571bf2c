package io.termsgate.engine.drools;

import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.facts.KnockoutFindings;
import io.termsgate.engine.facts.RiskScore;
import io.termsgate.engine.facts.RiskScorecard;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.AgendaEventListener;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionConfiguration;
import org.kie.api.runtime.conf.ClockTypeOption;
import org.kie.api.time.SessionPseudoClock;

/**
 * How one decision runs a ruleset's rules (the DRL knock-outs and the spreadsheet scorecard, one shared immutable
 * KieBase): a clean session per decision with its clock at the decision time, the findings and scorecard as
 * globals, Customer and Order inserted, fired to rest; then the scorecard total inserted as a RiskScore and fired
 * again, so the grade rows see the final total only. A session that does not come to rest within the firing limit
 * is an engine failure. The engine and the benchmarks both run the rules through here.
 *
 * <p>Every decision gets a new session (0.87 µs with its disposal, against 0.25 µs for a {@code reset()}). Reusing
 * sessions through Drools' {@code reset()}, what its session pool does, was tried and dropped: {@code reset()}
 * leaves state of the previous decision in the agenda (in Drools 10.2 an activation group keeps the last decision's recency, so from the
 * second decision on every rule of the group fires), and a decision must be exactly what a new session gives.
 * {@code RuleSessionsTest} decides twice in a row with activation groups, agenda groups and the other attributes the
 * policy language allows, to hold any future change here to that.
 */
final class RuleSessions {

    private final KieBase kieBase;
    private final KieSessionConfiguration configuration;
    private final boolean declaresFindings;
    private final boolean declaresScorecard;
    private final int maxRuleFirings;

    RuleSessions(KieBase kieBase, int maxRuleFirings) {
        this.kieBase = kieBase;
        this.maxRuleFirings = maxRuleFirings;
        KieSessionConfiguration sessionConfiguration = KieServices.get().newKieSessionConfiguration();
        // rules see the decision time, not the wall clock: replay must give the same answer years later
        sessionConfiguration.setOption(ClockTypeOption.PSEUDO);
        this.configuration = sessionConfiguration;
        this.declaresFindings = declaresGlobal(kieBase, "findings");
        this.declaresScorecard = declaresGlobal(kieBase, "scorecard");
    }

    private static boolean declaresGlobal(KieBase kieBase, String name) {
        return kieBase.getKiePackages().stream()
                .anyMatch(p -> p.getGlobalVariables().stream()
                        .anyMatch(g -> g.getName().equals(name)));
    }

    /**
     * @param listener sees every rule that fires, before and after (the decision's trace)
     * @throws DroolsCompiledRuleset.EngineFailure when the rules do not come to rest within the firing limit
     * @throws RuleCodeFailed when rule code throws anything at all, an {@link Error} such as a
     *         {@link StackOverflowError} from a rule that recurses included: the rule that was firing, and the cause
     */
    void fire(
            CreditApplication application,
            Instant decisionTime,
            KnockoutFindings findings,
            RiskScorecard scorecard,
            AgendaEventListener listener) {
        KieSession session = kieBase.newKieSession(configuration, null);
        Firing firing = new Firing(listener);
        try {
            SessionPseudoClock clock = session.getSessionClock();
            clock.advanceTime(decisionTime.toEpochMilli(), TimeUnit.MILLISECONDS);
            session.addEventListener(firing);
            if (declaresFindings) {
                session.setGlobal("findings", findings);
            }
            if (declaresScorecard) {
                session.setGlobal("scorecard", scorecard);
            }
            session.insert(application.customer());
            session.insert(application.order());
            int fired = session.fireAllRules(maxRuleFirings);
            if (fired >= maxRuleFirings) {
                throw runaway(fired);
            }
            // grade rows match the final total only: it exists from here on
            session.insert(new RiskScore(scorecard.getScore()));
            int graded = session.fireAllRules(maxRuleFirings - fired);
            if (fired + graded >= maxRuleFirings) {
                throw runaway(fired + graded);
            }
        } catch (DroolsCompiledRuleset.EngineFailure e) {
            throw e;
        } catch (Throwable e) { // rule code may throw anything, a StackOverflowError or OutOfMemoryError included
            throw new RuleCodeFailed(firing.rule, e);
        } finally {
            session.dispose();
        }
    }

    /**
     * The one agenda listener of a decision's session: it keeps the rule whose consequence is running, to name it when
     * rule code fails, and passes each firing (before and after) on to the decision's own listener: one listener
     * rather than two, as Drools notifies each listener of every firing. Other agenda events are not passed on; the
     * decision's listener is there for the firings (the trace).
     */
    private static final class Firing extends DefaultAgendaEventListener {
        private final AgendaEventListener listener;
        private String rule;

        Firing(AgendaEventListener listener) {
            this.listener = listener;
        }

        @Override
        public void beforeMatchFired(BeforeMatchFiredEvent event) {
            rule = event.getMatch().getRule().getName();
            listener.beforeMatchFired(event);
        }

        @Override
        public void afterMatchFired(AfterMatchFiredEvent event) {
            listener.afterMatchFired(event);
            rule = null;
        }
    }

    /**
     * Rule code failed: {@code rule} is the rule whose consequence was running ({@code null} when the failure came
     * from a condition or elsewhere). The cause is for the log only; its message may carry anything rule code put in
     * it and never reaches a caller.
     */
    static final class RuleCodeFailed extends RuntimeException {
        private final String rule;

        RuleCodeFailed(String rule, Throwable cause) {
            super(null, cause, false, false);
            this.rule = rule;
        }

        String rule() {
            return rule;
        }
    }

    private DroolsCompiledRuleset.EngineFailure runaway(int fired) {
        return new DroolsCompiledRuleset.EngineFailure("the rules fired " + fired + " times without coming to rest "
                + "(limit " + maxRuleFirings + "); a rule probably re-triggers itself");
    }
}
