package io.termsgate.engine.drools;

import io.termsgate.bench.ExampleCursor;
import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.facts.KnockoutFindings;
import io.termsgate.engine.facts.RiskScorecard;
import java.math.BigDecimal;
import java.util.concurrent.TimeUnit;
import org.kie.dmn.api.core.DMNContext;
import org.kie.dmn.api.core.DMNDecisionResult;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How evaluation cost grows with the size of a table, single thread, on the 41 worked examples' customers:
 * <ul>
 * <li>{@code spreadsheetRows}: a generated scorecard workbook (the layout of decision-tables/risk-scorecard.xlsx)
 * with one RuleTable of {@code rows} non-overlapping annual revenue bands, converted and compiled as the engine does;
 * one evaluation is the engine's session (Customer and Order, fire, RiskScore, fire again);
 * <li>{@code dmnRows}: a generated DMN 1.5 model whose one decision is a UNIQUE decision table of {@code rows}
 * non-overlapping ranges on one number; one evaluation is {@code evaluateAll}.
 * </ul>
 * The setup prints how long the first compile of each size took; {@link CompileTimeBenchmark} measures it properly.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Threads(1)
public class RulesetGrowthBenchmark {

    @State(Scope.Benchmark)
    public static class Spreadsheet {
        @Param({"10", "100", "1000", "10000"})
        int rows;

        BenchFixtures.Rules rules;
        CreditApplication[] applications;

        @Setup(Level.Trial)
        public void compile() {
            applications = BenchFixtures.examples();
            byte[] xlsx = BenchFixtures.scorecardWorkbook(rows);
            long start = System.nanoTime();
            rules = BenchFixtures.compileSpreadsheet("decision-tables/generated.xlsx", xlsx);
            System.out.printf(
                    "%n# spreadsheet of %d rows (%d bytes): converted and compiled in %d ms%n",
                    rows, xlsx.length, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            for (CreditApplication application : applications) {
                RiskScorecard card = new RiskScorecard();
                rules.fire(application, new KnockoutFindings(), card);
                int expected =
                        BenchFixtures.expectedPoints(application.customer().getAnnualRevenue(), rows);
                if (card.getAwards().size() != 1 || card.getScore() != expected) {
                    throw new IllegalStateException(application.customer() + ": expected one band of " + expected
                            + " points, got " + card.getAwards());
                }
            }
        }
    }

    @State(Scope.Benchmark)
    public static class Dmn {
        @Param({"10", "100", "1000", "10000"})
        int rows;

        DMNRuntime runtime;
        DMNModel model;
        BigDecimal[] revenues;

        @Setup(Level.Trial)
        public void compile() {
            revenues = java.util.Arrays.stream(BenchFixtures.examples())
                    .map(a -> a.customer().getAnnualRevenue())
                    .toArray(BigDecimal[]::new);
            byte[] xml = BenchFixtures.decisionTableModel(rows);
            long start = System.nanoTime();
            DMNRuntime[] built = new DMNRuntime[1];
            model = BenchFixtures.buildDmn("decision-tables/generated.dmn", xml, built);
            runtime = built[0];
            System.out.printf(
                    "%n# DMN table of %d rows (%d bytes): runtime built in %d ms (without the validation "
                            + "and table analysis of DmnCompiler.compile: see CompileTimeBenchmark.dmnRows)%n",
                    rows, xml.length, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            for (BigDecimal revenue : revenues) {
                DMNResult result = evaluate(runtime, model, revenue);
                Object points = result.getDecisionResultByName(BenchFixtures.GROWTH_DECISION)
                        .getResult();
                int expected = BenchFixtures.expectedPoints(revenue, rows);
                if (result.hasErrors() || !(points instanceof BigDecimal p) || p.intValueExact() != expected) {
                    throw new IllegalStateException(
                            revenue + ": expected " + expected + ", got " + points + " " + result.getMessages());
                }
            }
        }
    }

    static DMNResult evaluate(DMNRuntime runtime, DMNModel model, BigDecimal revenue) {
        DMNContext context = runtime.newContext();
        context.set(BenchFixtures.GROWTH_INPUT, revenue);
        DMNResult result = runtime.evaluateAll(model, context);
        for (DMNDecisionResult decision : result.getDecisionResults()) {
            if (decision.getEvaluationStatus() != DMNDecisionResult.DecisionEvaluationStatus.SUCCEEDED) {
                throw new IllegalStateException(decision.getDecisionName() + " " + decision.getEvaluationStatus());
            }
        }
        return result;
    }

    @Benchmark
    public RiskScorecard spreadsheetRows(Spreadsheet sheet, ExampleCursor cursor) {
        RiskScorecard card = new RiskScorecard();
        sheet.rules.fire(sheet.applications[cursor.next(sheet.applications.length)], new KnockoutFindings(), card);
        return card;
    }

    @Benchmark
    public DMNResult dmnRows(Dmn dmn, ExampleCursor cursor) {
        return evaluate(dmn.runtime, dmn.model, dmn.revenues[cursor.next(dmn.revenues.length)]);
    }
}
