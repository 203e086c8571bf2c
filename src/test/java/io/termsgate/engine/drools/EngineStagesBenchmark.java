package io.termsgate.engine.drools;

import io.termsgate.bench.ExampleCursor;
import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.facts.KnockoutFindings;
import io.termsgate.engine.facts.RiskScorecard;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.kie.dmn.api.core.DMNContext;
import org.kie.dmn.api.core.DMNDecisionResult;
import org.kie.dmn.api.core.DMNMessage;
import org.kie.dmn.api.core.DMNModel;
import org.kie.dmn.api.core.DMNResult;
import org.kie.dmn.api.core.DMNRuntime;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Each stage of one decision alone, on the default ruleset and the 41 worked examples, single thread, so that the
 * expensive stage shows:
 * <ul>
 * <li>{@code knockoutsDrl}: a rule base of rules/knockouts.drl only, run as the engine runs rules
 * ({@link RuleSessions}: pseudo clock, trace listener, globals, Customer and Order, fire, RiskScore, fire, dispose);
 * <li>{@code scorecardSpreadsheet}: a rule base of decision-tables/risk-scorecard.xlsx only (converted and compiled
 * as the engine does), run the same way;
 * <li>{@code rulesCombined}: both in one rule base and one session, as the engine runs them;
 * <li>{@code dmn}: decision-tables/credit-terms.dmn compiled by {@link DmnCompiler}; the context the engine builds,
 * {@code evaluateAll}, and reading the decisions back, without a runtime listener;
 * <li>{@code dmnWithTrace}: the same on a runtime carrying the engine's trace listener, with the trace collector in
 * the context metadata, as in production.
 * </ul>
 * Run with src/bench/jmh.sh EngineStagesBenchmark.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Threads(1)
public class EngineStagesBenchmark {

    /** What the DMN stage gets from the rules stages, per example: computed once in setup. */
    record DmnInput(CreditApplication application, int score, String grade, KnockoutFindings findings) {}

    @State(Scope.Benchmark)
    public static class Stages {
        BenchFixtures.Rules knockouts;
        BenchFixtures.Rules scorecard;
        BenchFixtures.Rules rules;
        DMNRuntime dmnRuntime;
        DMNModel dmnModel;
        DMNRuntime tracedRuntime;
        DMNModel tracedModel;
        Map<String, List<String>> tracedRuleIds;
        CreditApplication[] applications;
        DmnInput[] dmnInputs;

        @Setup(Level.Trial)
        public void compile() {
            applications = BenchFixtures.examples();
            knockouts = BenchFixtures.compileDrl(
                    BenchFixtures.KNOCKOUTS,
                    new String(BenchFixtures.read(BenchFixtures.KNOCKOUTS), StandardCharsets.UTF_8));
            scorecard = BenchFixtures.compileSpreadsheet(
                    BenchFixtures.SCORECARD, BenchFixtures.read(BenchFixtures.SCORECARD));
            rules = BenchFixtures.compileRules(
                    BenchFixtures.KNOCKOUTS,
                    new String(BenchFixtures.read(BenchFixtures.KNOCKOUTS), StandardCharsets.UTF_8),
                    BenchFixtures.SCORECARD,
                    BenchFixtures.read(BenchFixtures.SCORECARD));
            byte[] dmn = BenchFixtures.read(BenchFixtures.CREDIT_TERMS);
            DmnCompiler.Compiled plain = compileDmn(dmn);
            dmnRuntime = plain.runtime();
            dmnModel = plain.model();
            DmnCompiler.Compiled traced = compileDmn(dmn);
            traced.runtime().addListener(DroolsDecisionEngine.TRACE_LISTENER);
            tracedRuntime = traced.runtime();
            tracedModel = traced.model();
            tracedRuleIds = traced.ruleIdsByTable();

            dmnInputs = new DmnInput[applications.length];
            for (int i = 0; i < applications.length; i++) {
                CreditApplication application = applications[i];
                KnockoutFindings findings = new KnockoutFindings();
                knockouts.fire(application, findings, new RiskScorecard());
                RiskScorecard card = new RiskScorecard();
                scorecard.fire(application, new KnockoutFindings(), card);
                if (card.getGrades().size() != 1) {
                    throw new IllegalStateException(application.customer() + ": grades " + card.getGrades());
                }
                dmnInputs[i] = new DmnInput(
                        application, card.getScore(), card.getGrades().get(0), findings);
                // the DMN stage must decide, not fail: a failing model would be measured as a fast error path
                decide(dmnRuntime, dmnModel, dmnInputs[i], null, true);
            }
        }

        private static DmnCompiler.Compiled compileDmn(byte[] dmn) {
            List<RulesetProblem> problems = new ArrayList<>();
            DmnCompiler.Compiled compiled = DmnCompiler.compile(Map.of(BenchFixtures.CREDIT_TERMS, dmn), problems);
            BenchFixtures.requireNoErrors(BenchFixtures.CREDIT_TERMS, problems, compiled);
            return compiled;
        }
    }

    /** As {@code DroolsCompiledRuleset.decide}: the engine's context, evaluateAll, the decisions read back. */
    static Map<String, Object> decide(
            DMNRuntime runtime, DMNModel model, DmnInput in, TraceCollector trace, boolean check) {
        DMNContext context =
                DroolsCompiledRuleset.dmnContext(runtime, in.application(), in.score(), in.grade(), in.findings());
        if (trace != null) {
            context.getMetadata().set(DroolsCompiledRuleset.TRACE_KEY, trace);
        }
        DMNResult result = runtime.evaluateAll(model, context);
        Map<String, Object> decided = new TreeMap<>();
        boolean failed = false;
        for (DMNDecisionResult decision : result.getDecisionResults()) {
            decided.put(decision.getDecisionName(), DmnValues.toPlain(decision.getResult()));
            failed |= decision.getEvaluationStatus() != DMNDecisionResult.DecisionEvaluationStatus.SUCCEEDED
                    || decision.getResult() == null;
        }
        if (trace != null) {
            trace.decisions(decided);
        }
        if (check && (failed || !result.getMessages(DMNMessage.Severity.ERROR).isEmpty())) {
            throw new IllegalStateException(in.application().customer() + ": the DMN stage failed: "
                    + result.getMessages(DMNMessage.Severity.ERROR));
        }
        return decided;
    }

    @Benchmark
    public KnockoutFindings knockoutsDrl(Stages stages, ExampleCursor cursor) {
        KnockoutFindings findings = new KnockoutFindings();
        stages.knockouts.fire(
                stages.applications[cursor.next(stages.applications.length)], findings, new RiskScorecard());
        return findings;
    }

    @Benchmark
    public RiskScorecard scorecardSpreadsheet(Stages stages, ExampleCursor cursor) {
        RiskScorecard card = new RiskScorecard();
        stages.scorecard.fire(
                stages.applications[cursor.next(stages.applications.length)], new KnockoutFindings(), card);
        return card;
    }

    /** Both rule stages in one rule base and one session, as the engine runs them. */
    @Benchmark
    public RiskScorecard rulesCombined(Stages stages, ExampleCursor cursor) {
        RiskScorecard card = new RiskScorecard();
        stages.rules.fire(stages.applications[cursor.next(stages.applications.length)], new KnockoutFindings(), card);
        return card;
    }

    @Benchmark
    public Map<String, Object> dmn(Stages stages, ExampleCursor cursor) {
        return decide(
                stages.dmnRuntime,
                stages.dmnModel,
                stages.dmnInputs[cursor.next(stages.dmnInputs.length)],
                null,
                false);
    }

    @Benchmark
    public Object dmnWithTrace(Stages stages, ExampleCursor cursor) {
        TraceCollector trace =
                new TraceCollector(new TraceCollector.Origins(Map.of()), stages.tracedRuleIds, new RiskScorecard());
        decide(
                stages.tracedRuntime,
                stages.tracedModel,
                stages.dmnInputs[cursor.next(stages.dmnInputs.length)],
                trace,
                false);
        return trace.build();
    }
}
