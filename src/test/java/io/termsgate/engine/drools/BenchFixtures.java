package io.termsgate.engine.drools;

import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.facts.KnockoutFindings;
import io.termsgate.engine.facts.RiskScorecard;
import io.termsgate.support.PolicyExamples;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.kie.api.KieServices;
import org.kie.api.io.Resource;
import org.kie.api.io.ResourceType;
import org.kie.dmn.api.core.DMNModel;
import org.kie.dmn.api.core.DMNRuntime;
import org.kie.dmn.core.compiler.RuntimeModeOption;
import org.kie.dmn.core.compiler.RuntimeTypeCheckOption;
import org.kie.dmn.core.impl.DMNRuntimeImpl;
import org.kie.dmn.core.internal.utils.DMNRuntimeBuilder;

/**
 * What the engine benchmarks share (not a test: JMH state and generators only). Rules run through the engine's
 * own {@link RuleSessions} and the DMN context is the engine's own ({@code DroolsCompiledRuleset.dmnContext}), so a
 * stage timed alone is the stage the engine runs.
 */
final class BenchFixtures {

    static final Instant DECISION_TIME = Instant.parse("2026-11-22T10:00:00Z");
    static final int MAX_RULE_FIRINGS = 10_000;
    static final String KNOCKOUTS = "rules/knockouts.drl";
    static final String SCORECARD = "decision-tables/risk-scorecard.xlsx";
    static final String CREDIT_TERMS = "decision-tables/credit-terms.dmn";

    private BenchFixtures() {}

    /**
     * Logging as in the service: root at INFO (or {@code -Dtermsgate.bench.log=DEBUG} to see what logging costs).
     * Without a logback file on the class path logback logs everything at DEBUG, which no deployment does.
     */
    static void productionLogging() {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.toLevel(System.getProperty("termsgate.bench.log", "INFO")));
    }

    /** The 41 worked examples of the credit policy, as the engine sees them. */
    static CreditApplication[] examples() {
        productionLogging();
        return PolicyExamples.all().stream()
                .map(PolicyExamples.Example::application)
                .toArray(CreditApplication[]::new);
    }

    static byte[] read(String path) {
        try {
            return Files.readAllBytes(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException("run the benchmarks from the repository root", e);
        }
    }

    static void requireNoErrors(String what, List<RulesetProblem> problems, Object compiled) {
        if (compiled == null || problems.stream().anyMatch(RulesetProblem::isError)) {
            throw new IllegalStateException(what + " did not compile: " + problems);
        }
    }

    // ---------------------------------------------------------------- rule bases and sessions

    /** A compiled rule base, run as the engine runs it ({@link RuleSessions}), with the trace collector listening. */
    record Rules(RuleBaseCompiler.RuleBase ruleBase, RuleSessions sessions, TraceCollector.Origins origins) {

        static Rules of(RuleBaseCompiler.RuleBase ruleBase) {
            return new Rules(
                    ruleBase,
                    new RuleSessions(ruleBase.kieBase(), MAX_RULE_FIRINGS),
                    new TraceCollector.Origins(ruleBase.origins()));
        }

        void fire(CreditApplication application, KnockoutFindings findings, RiskScorecard scorecard) {
            sessions.fire(
                    application, DECISION_TIME, findings, scorecard, new TraceCollector(origins, Map.of(), scorecard));
        }
    }

    static Rules compileDrl(String path, String drl) {
        List<RulesetProblem> problems = new ArrayList<>();
        RuleBaseCompiler.RuleBase ruleBase = RuleBaseCompiler.compile(Map.of(path, drl), List.of(), problems);
        requireNoErrors(path, problems, ruleBase);
        return Rules.of(ruleBase);
    }

    /** The real path for a workbook: {@link SpreadsheetTables#convert} and {@link RuleBaseCompiler#compile}. */
    static Rules compileSpreadsheet(String path, byte[] xlsx) {
        List<RulesetProblem> problems = new ArrayList<>();
        SpreadsheetTables.Converted converted = SpreadsheetTables.convert(path, xlsx, problems);
        requireNoErrors(path, problems, converted);
        RuleBaseCompiler.RuleBase ruleBase = RuleBaseCompiler.compile(Map.of(), List.of(converted), problems);
        requireNoErrors(path, problems, ruleBase);
        return Rules.of(ruleBase);
    }

    /** DRL and workbook in one rule base, as the engine compiles a ruleset's rules. */
    static Rules compileRules(String drlPath, String drl, String sheetPath, byte[] xlsx) {
        List<RulesetProblem> problems = new ArrayList<>();
        SpreadsheetTables.Converted converted = SpreadsheetTables.convert(sheetPath, xlsx, problems);
        requireNoErrors(sheetPath, problems, converted);
        RuleBaseCompiler.RuleBase ruleBase =
                RuleBaseCompiler.compile(Map.of(drlPath, drl), List.of(converted), problems);
        requireNoErrors(drlPath + " and " + sheetPath, problems, ruleBase);
        return Rules.of(ruleBase);
    }

    // ---------------------------------------------------------------- DMN

    /**
     * A DMN runtime built with exactly the options {@link DmnCompiler#compile} uses (type checks on, strict mode),
     * without its validation and contract check: for generated models that are not a credit terms contract.
     */
    static DMNModel buildDmn(String path, byte[] xml, DMNRuntime[] runtimeOut) {
        Resource resource = KieServices.get().getResources().newByteArrayResource(xml);
        resource.setSourcePath(path);
        resource.setResourceType(ResourceType.DMN);
        DMNRuntime runtime = DMNRuntimeBuilder.fromDefaults()
                .setRootClassLoader(DmnCompiler.class.getClassLoader())
                .setOption(new RuntimeTypeCheckOption(true))
                .buildConfiguration()
                .fromResources(List.of(resource))
                .getOrElseThrow(e -> new IllegalStateException("DMN did not compile", e));
        ((DMNRuntimeImpl) runtime).setOption(new RuntimeModeOption(RuntimeModeOption.MODE.STRICT));
        DMNModel model = runtime.getModels().get(0);
        if (model.hasErrors()) {
            throw new IllegalStateException("DMN has errors: " + model.getMessages());
        }
        runtimeOut[0] = runtime;
        return model;
    }

    // ---------------------------------------------------------------- generated rulesets of N rows

    /** Revenue bands of the generated tables: N bands of equal width over [0, 100,000,000), the last open-ended. */
    static final long REVENUE_SPAN = 100_000_000L;

    static long bandWidth(int rows) {
        return REVENUE_SPAN / rows;
    }

    static int points(int row) {
        return row % 16;
    }

    /**
     * A scorecard workbook laid out as decision-tables/risk-scorecard.xlsx (RuleSet, Import, Variables,
     * IgnoreNumericFormat, then one RuleTable with a METADATA band column, two CONDITION columns on
     * {@code Customer.annualRevenue} and an ACTION column awarding points), with {@code rows} non-overlapping bands.
     */
    static byte[] scorecardWorkbook(int rows) {
        try (XSSFWorkbook book = new XSSFWorkbook();
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Sheet sheet = book.createSheet("Scorecard");
            text(sheet, 0, "RuleSet", "termsgate.generated");
            text(
                    sheet,
                    1,
                    "Import",
                    "io.termsgate.engine.facts.Customer, io.termsgate.engine.facts.RiskScore, "
                            + "io.termsgate.engine.facts.RiskScorecard");
            text(sheet, 2, "Variables", "io.termsgate.engine.facts.RiskScorecard scorecard");
            text(sheet, 3, "IgnoreNumericFormat", "true");
            text(sheet, 5, "RuleTable Annual revenue");
            text(sheet, 6, "METADATA", "CONDITION", "CONDITION", "ACTION");
            text(sheet, 7, "", "Customer", "");
            sheet.addMergedRegion(new CellRangeAddress(7, 7, 2, 3));
            text(
                    sheet,
                    8,
                    "band(\"$param\")",
                    "annualRevenue >= $param",
                    "annualRevenue < $param",
                    "scorecard.award(\"Annual revenue\", $param);");
            text(sheet, 9, "Annual revenue: band", "Revenue from (inclusive)", "Revenue below (exclusive)", "Points");
            long width = bandWidth(rows);
            for (int i = 0; i < rows; i++) {
                Row row = sheet.createRow(10 + i);
                long from = i * width;
                boolean last = i == rows - 1;
                row.createCell(1).setCellValue(last ? from + " or more" : from + " to under " + (from + width));
                row.createCell(2).setCellValue(from);
                if (!last) {
                    row.createCell(3).setCellValue(from + width);
                }
                row.createCell(4).setCellValue(points(i));
            }
            book.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void text(Sheet sheet, int rowIndex, String... cells) {
        Row row = sheet.createRow(rowIndex);
        for (int i = 0; i < cells.length; i++) {
            row.createCell(1 + i).setCellValue(cells[i]);
        }
    }

    static final String GROWTH_INPUT = "Annual Revenue";
    static final String GROWTH_DECISION = "Revenue Points";

    /**
     * A DMN 1.5 model with one input ({@code Annual Revenue}, a number) and one decision whose UNIQUE decision
     * table has {@code rows} non-overlapping ranges {@code [from..to)} on it, the last {@code >= from}.
     */
    static byte[] decisionTableModel(int rows) {
        StringBuilder xml = new StringBuilder(256 * rows + 2048);
        xml.append("""
                <?xml version="1.0" encoding="UTF-8"?>
                <definitions xmlns="https://www.omg.org/spec/DMN/20230324/MODEL/" id="_growth" name="growth" \
                namespace="https://termsgate.io/dmn/growth" \
                expressionLanguage="https://www.omg.org/spec/DMN/20230324/FEEL/" \
                typeLanguage="https://www.omg.org/spec/DMN/20230324/FEEL/">
                  <inputData id="_Revenue" name="Annual Revenue">
                    <variable id="_Revenue_var" name="Annual Revenue" typeRef="number"/>
                  </inputData>
                  <decision id="_Points" name="Revenue Points">
                    <variable id="_Points_var" name="Revenue Points" typeRef="number"/>
                    <informationRequirement id="_Points_ir1">
                      <requiredInput href="#_Revenue"/>
                    </informationRequirement>
                    <decisionTable id="_Points_dt" hitPolicy="UNIQUE" outputLabel="Revenue Points">
                      <input id="_Points_dt_in1" label="Annual Revenue">
                        <inputExpression id="_Points_dt_in1_expr" typeRef="number"><text>Annual Revenue</text></inputExpression>
                      </input>
                      <output id="_Points_dt_out1"/>
                """);
        long width = bandWidth(rows);
        for (int i = 0; i < rows; i++) {
            long from = i * width;
            String entry = i == rows - 1 ? "&gt;= " + from : "[" + from + ".." + (from + width) + ")";
            String id = "_Points_dt_r" + (i + 1);
            xml.append("      <rule id=\"")
                    .append(id)
                    .append("\">")
                    .append("<inputEntry id=\"")
                    .append(id)
                    .append("_i1\"><text>")
                    .append(entry)
                    .append("</text></inputEntry>")
                    .append("<outputEntry id=\"")
                    .append(id)
                    .append("_o1\"><text>")
                    .append(points(i))
                    .append("</text></outputEntry>")
                    .append("</rule>\n");
        }
        xml.append("""
                    </decisionTable>
                  </decision>
                </definitions>
                """);
        return xml.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The points the generated tables award for {@code revenue}. */
    static int expectedPoints(BigDecimal revenue, int rows) {
        long band = Math.min(rows - 1, revenue.longValue() / bandWidth(rows));
        return points((int) band);
    }
}
