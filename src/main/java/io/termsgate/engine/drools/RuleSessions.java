package io.termsgate.engine.drools;

import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.facts.KnockoutFindings;
import io.termsgate.engine.facts.RiskScore;
import io.termsgate.engine.facts.RiskScorecard;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.drools.kiesession.session.StatefulKnowledgeSessionImpl;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.AgendaEventListener;
import org.kie.api.event.rule.AgendaGroupPoppedEvent;
import org.kie.api.event.rule.AgendaGroupPushedEvent;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.MatchCancelledEvent;
import org.kie.api.event.rule.MatchCreatedEvent;
import org.kie.api.event.rule.RuleFlowGroupActivatedEvent;
import org.kie.api.event.rule.RuleFlowGroupDeactivatedEvent;
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
 * <p>Sessions are reused: a new session allocates its agenda, entry points and node memories afresh, a reset one keeps
 * them (a few per cent of a compiled decision, docs/performance.md). A session that came to rest is
 * {@linkplain StatefulKnowledgeSessionImpl#reset() reset} (node memories, agenda, facts, globals, listeners, fact
 * handle and propagation counters, the pseudo clock back to 0: what Drools' own session pool does) and kept for the
 * next decision, up to {@link #MAX_IDLE} idle sessions per ruleset. A reset session numbers its facts and
 * propagations from zero again, so it fires the same rules in the same order as a new one; {@code
 * RuleSessionReuseTest} holds that against fresh sessions. A session whose rules failed or ran away is disposed, never
 * reused: whatever state the failure left in it goes with it.
 */
final class RuleSessions {

    /** Idle sessions kept per ruleset: more than the threads that decide at once on a small machine; more are disposed. */
    static final int MAX_IDLE = 64;

    private final KieBase kieBase;
    private final KieSessionConfiguration configuration;
    private final boolean declaresFindings;
    private final boolean declaresScorecard;
    private final int maxRuleFirings;
    /** Reset sessions ready for a decision; last in, first out, so the warmest session is taken. */
    private final ConcurrentLinkedDeque<KieSession> idle = new ConcurrentLinkedDeque<>();

    private final AtomicInteger idleCount = new AtomicInteger();

    private final int maxIdle;

    RuleSessions(KieBase kieBase, int maxRuleFirings) {
        this(kieBase, maxRuleFirings, MAX_IDLE);
    }

    /** @param maxIdle idle sessions kept for reuse; 0 builds a new session for every decision */
    RuleSessions(KieBase kieBase, int maxRuleFirings, int maxIdle) {
        this.kieBase = kieBase;
        this.maxRuleFirings = maxRuleFirings;
        this.maxIdle = maxIdle;
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
     * @param listener sees every rule that fires (the decision's trace)
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
        KieSession session = take();
        Firing firing = new Firing(listener);
        boolean cameToRest = false;
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
            cameToRest = true;
        } catch (DroolsCompiledRuleset.EngineFailure e) {
            throw e;
        } catch (Throwable e) { // rule code may throw anything, a StackOverflowError or OutOfMemoryError included
            throw new RuleCodeFailed(firing.rule, e);
        } finally {
            if (cameToRest) {
                giveBack(session);
            } else {
                session.dispose();
            }
        }
    }

    private KieSession take() {
        KieSession session = idle.pollFirst();
        if (session == null) {
            return kieBase.newKieSession(configuration, null);
        }
        idleCount.decrementAndGet();
        return session;
    }

    /** Resets a session that came to rest and keeps it, unless enough are idle already. */
    private void giveBack(KieSession session) {
        try {
            ((StatefulKnowledgeSessionImpl) session).reset();
        } catch (RuntimeException e) {
            session.dispose();
            return;
        }
        if (idleCount.incrementAndGet() > maxIdle) {
            idleCount.decrementAndGet();
            session.dispose();
            return;
        }
        idle.offerFirst(session);
    }

    /** Idle sessions kept now (for tests). */
    int idleSessions() {
        return idleCount.get();
    }

    /**
     * The one agenda listener of a decision's session: it keeps the rule whose consequence is running, to name it when
     * rule code fails, and passes every event on to the decision's own listener (one listener rather than two: Drools
     * notifies each listener of every firing).
     */
    private static final class Firing implements AgendaEventListener {
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

        @Override
        public void matchCreated(MatchCreatedEvent event) {
            listener.matchCreated(event);
        }

        @Override
        public void matchCancelled(MatchCancelledEvent event) {
            listener.matchCancelled(event);
        }

        @Override
        public void agendaGroupPopped(AgendaGroupPoppedEvent event) {
            listener.agendaGroupPopped(event);
        }

        @Override
        public void agendaGroupPushed(AgendaGroupPushedEvent event) {
            listener.agendaGroupPushed(event);
        }

        @Override
        public void beforeRuleFlowGroupActivated(RuleFlowGroupActivatedEvent event) {
            listener.beforeRuleFlowGroupActivated(event);
        }

        @Override
        public void afterRuleFlowGroupActivated(RuleFlowGroupActivatedEvent event) {
            listener.afterRuleFlowGroupActivated(event);
        }

        @Override
        public void beforeRuleFlowGroupDeactivated(RuleFlowGroupDeactivatedEvent event) {
            listener.beforeRuleFlowGroupDeactivated(event);
        }

        @Override
        public void afterRuleFlowGroupDeactivated(RuleFlowGroupDeactivatedEvent event) {
            listener.afterRuleFlowGroupDeactivated(event);
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
