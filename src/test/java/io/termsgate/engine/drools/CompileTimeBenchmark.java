package io.termsgate.engine.drools;

import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.ruleset.RulesetFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What an analyst waits for: one compile, timed as a single shot (the warm-up shot is the first compile in a fresh
 * JVM, the measured shots are compiles in a JVM that has compiled before, as in a running service).
 * <ul>
 * <li>{@code defaultRuleset}: the whole default ruleset through {@code DroolsDecisionEngine.compile} (DRL,
 * workbook and DMN, the DMN on a second thread);
 * <li>{@code spreadsheetRows}: the generated scorecard workbook of {@code rows} bands through
 * {@link SpreadsheetTables#convert} and {@link RuleBaseCompiler#compile};
 * <li>{@code dmnRows}: the generated DMN table of {@code rows} ranges through {@link DmnCompiler#compile}: schema and
 * model validation, decision table analysis (gaps and overlaps), build. The generated model is not a credit terms
 * contract, so the compiler rejects it at the very end for that alone; everything before has run.
 * </ul>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class CompileTimeBenchmark {

    static {
        BenchFixtures.productionLogging();
    }

    @State(Scope.Benchmark)
    public static class Spreadsheet {
        @Param({"10", "100", "1000", "10000"})
        int rows;

        byte[] xlsx;

        @Setup(Level.Trial)
        public void generate() {
            xlsx = BenchFixtures.scorecardWorkbook(rows);
        }
    }

    @State(Scope.Benchmark)
    public static class Dmn {
        @Param({"10", "100", "1000", "10000"})
        int rows;

        byte[] xml;

        @Setup(Level.Trial)
        public void generate() {
            xml = BenchFixtures.decisionTableModel(rows);
        }
    }

    @Benchmark
    public CompiledRuleset defaultRuleset() {
        return new DroolsDecisionEngine(new EngineProperties(10_000)).compile(RulesetFiles.readFolder(Path.of(".")));
    }

    @Benchmark
    public Object spreadsheetRows(Spreadsheet sheet) {
        return BenchFixtures.compileSpreadsheet("decision-tables/generated.xlsx", sheet.xlsx);
    }

    @Benchmark
    public Object dmnRows(Dmn dmn) {
        List<RulesetProblem> problems = new ArrayList<>();
        DmnCompiler.compile(Map.of("decision-tables/generated.dmn", dmn.xml), problems);
        List<RulesetProblem> errors =
                problems.stream().filter(RulesetProblem::isError).toList();
        if (errors.size() != 1 || !errors.get(0).toString().contains("no DMN model decides")) {
            throw new IllegalStateException("expected only the contract error, got " + problems);
        }
        return problems;
    }
}
