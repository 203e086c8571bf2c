package io.termsgate.ruleset.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.termsgate.engine.RulesetSource;
import io.termsgate.engine.drools.DroolsSpreadsheetRules;
import io.termsgate.ruleset.diff.DmnDiff.DecisionChange;
import io.termsgate.ruleset.diff.LineDiff.Line;
import io.termsgate.ruleset.diff.SpreadsheetDiff.CellChange;
import io.termsgate.ruleset.diff.SpreadsheetDiff.RuleChange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;
import org.junit.jupiter.api.Test;

/**
 * The diff an approver reads shows what will run: the repository's scorecard and DMN model edited the way analysts
 * edit them, and the exact changes reported.
 */
class RulesetDiffTest {

    static final String SCORECARD = "decision-tables/risk-scorecard.xlsx";
    static final String MODEL = "decision-tables/credit-terms.dmn";

    // --- spreadsheets ---

    @Test
    void aFormulaIsShownWithTheValueTheEngineComputesAndEveryEditedRowWithItsGeneratedRule() throws IOException {
        byte[] before = Files.readAllBytes(Path.of(SCORECARD));
        byte[] after = edit(before, sheet -> {
            points(sheet, 24, "2 to under 5 years").setCellValue(20);
            // the cached value POI leaves is the old 20; the engine evaluates the formula: 25
            points(sheet, 25, "5 to under 10 years").setCellFormula("E24+5");
            // the same value as before, 25, but only while the clock says so
            points(sheet, 26, "10 years or more").setCellFormula("IF(TODAY()>DATE(2000,1,1),25,0)");
        });

        RulesetDiff.FileDiff file = scorecardDiff(before, after);

        assertThat(file.change()).isEqualTo(RulesetDiff.Change.CHANGED);
        assertThat(file.behaviourChanged()).isTrue();
        assertThat(file.note()).isNull();
        assertThat(file.cells())
                .containsExactly(
                        new CellChange("Scorecard", "E24", "2 to under 5 years", "10", "20", null, null, null),
                        new CellChange("Scorecard", "E25", "5 to under 10 years", "20", "25", null, "=E24+5", null),
                        new CellChange(
                                "Scorecard",
                                "E26",
                                "10 years or more",
                                "25",
                                "25",
                                null,
                                "=IF(TODAY()>DATE(2000,1,1),25,0)",
                                "the formula's value depends on when or where it is "
                                        + "computed (TODAY): the engine computes it each time it compiles the table, so it "
                                        + "may differ from the value shown"));
        assertThat(file.rules())
                .extracting(
                        RuleChange::change,
                        RuleChange::sheet,
                        RuleChange::table,
                        RuleChange::rowBefore,
                        RuleChange::rowAfter)
                .containsExactly(
                        tuple("changed", "Scorecard", "Years in business", 24, 24),
                        tuple("changed", "Scorecard", "Years in business", 25, 25),
                        tuple("unchanged", "Scorecard", "Years in business", 26, 26));
        assertThat(file.rules().get(0).before())
                .isEqualTo(yearsRule(24, "2 to under 5 years", "yearsInBusiness >= 2, yearsInBusiness < 5", 10));
        assertThat(file.rules().get(0).after())
                .isEqualTo(yearsRule(24, "2 to under 5 years", "yearsInBusiness >= 2, yearsInBusiness < 5", 20));
        assertThat(file.rules().get(1).before())
                .isEqualTo(yearsRule(25, "5 to under 10 years", "yearsInBusiness >= 5, yearsInBusiness < 10", 20));
        assertThat(file.rules().get(1).after())
                .isEqualTo(yearsRule(25, "5 to under 10 years", "yearsInBusiness >= 5, yearsInBusiness < 10", 25));
        assertThat(file.rules().get(2).after())
                .isEqualTo(file.rules().get(2).before())
                .isEqualTo(yearsRule(26, "10 years or more", "yearsInBusiness >= 10", 25));
    }

    @Test
    void aTemplateEditChangesEveryRuleOfItsTableThoughNoBandRowChanged() throws IOException {
        byte[] before = Files.readAllBytes(Path.of(SCORECARD));
        byte[] after = edit(before, sheet -> {
            Row template = sheet.getRow(20); // row 21: the condition templates of "Years in business"
            assertThat(template.getCell(2).getStringCellValue()).isEqualTo("yearsInBusiness >= $param");
            template.getCell(2).setCellValue("yearsInBusiness > $param");
        });

        RulesetDiff.FileDiff file = scorecardDiff(before, after);

        assertThat(file.cells())
                .extracting(CellChange::cell, CellChange::before, CellChange::after)
                .containsExactly(tuple("C21", "yearsInBusiness >= $param", "yearsInBusiness > $param"));
        assertThat(file.rules())
                .extracting(RuleChange::change, RuleChange::rowAfter)
                .containsExactly(
                        tuple("changed", 23), tuple("changed", 24), tuple("changed", 25), tuple("changed", 26));
        assertThat(file.rules().get(1).after()).contains("Customer(yearsInBusiness > 2, yearsInBusiness < 5)");
        assertThat(file.behaviourChanged()).isTrue();
    }

    @Test
    void aWorkbookSavedAgainUnchangedChangesNoBehaviour() throws IOException {
        byte[] before = Files.readAllBytes(Path.of(SCORECARD));
        byte[] after = edit(before, sheet -> sheet.setColumnWidth(1, 12_000));
        assertThat(after).isNotEqualTo(before);

        RulesetDiff.FileDiff file = scorecardDiff(before, after);

        assertThat(file.change()).isEqualTo(RulesetDiff.Change.CHANGED);
        assertThat(file.cells()).isEmpty();
        assertThat(file.rules()).isEmpty();
        assertThat(file.behaviourChanged()).isFalse();
        assertThat(file.note())
                .isEqualTo("no change in behaviour: the workbook generates the same rules (only "
                        + "formatting or other content the engine does not read changed)");
    }

    // --- DMN ---

    /** Assessed Limit as a context: the revenue limit, then the rounded minimum with the cap. */
    static final String LITERAL = """
            <literalExpression id="_AssessedLimit_le" typeRef="number">
                  <text>floor(min(Customer.annualRevenue * Revenue Share, Limit Cap) / 1000) * 1000</text>
                </literalExpression>""";

    static final String CONTEXT = """
            <context id="_AssessedLimit_ctx" typeRef="number">
                  <contextEntry id="_AssessedLimit_ce1">
                    <variable id="_AssessedLimit_ce1_var" name="Revenue Limit" typeRef="number"/>
                    <literalExpression id="_AssessedLimit_ce1_le"><text>Customer.annualRevenue * Revenue Share</text></literalExpression>
                  </contextEntry>
                  <contextEntry id="_AssessedLimit_ce2">
                    <literalExpression id="_AssessedLimit_ce2_le"><text>floor(min(Revenue Limit, Limit Cap) / 1000) * 1000</text></literalExpression>
                  </contextEntry>
                </context>""";

    @Test
    void nestedExpressionsItemDefinitionsAndDefaultOutputsAreAllShown() throws IOException {
        String base = replace(Files.readString(Path.of(MODEL)), LITERAL, CONTEXT);
        String edited = replace(
                base,
                "<text>Customer.annualRevenue * Revenue Share</text>",
                "<text>Customer.annualRevenue * Revenue Share * 2</text>");
        edited = replace(
                edited,
                "<allowedValues id=\"_tGrade_av\"><text>\"A\",\"B\",\"C\",\"D\",\"E\"</text>",
                "<allowedValues id=\"_tGrade_av\"><text>\"A\",\"B\",\"C\",\"D\",\"E\",\"F\"</text>");
        edited = replace(
                edited,
                "<output id=\"_Outcome_dt_out1\"/>",
                "<output id=\"_Outcome_dt_out1\">"
                        + "<defaultOutputEntry id=\"_Outcome_dt_default\"><text>\"REFERRED\"</text></defaultOutputEntry></output>");

        RulesetDiff.FileDiff file = modelDiff(base, edited);

        assertThat(file.behaviourChanged()).isTrue();
        assertThat(file.note()).isNull();
        assertThat(file.decisions())
                .extracting(DecisionChange::decision, DecisionChange::kind, DecisionChange::change)
                .containsExactly(
                        tuple("tGrade (item definition)", "item definition", RulesetDiff.Change.CHANGED),
                        tuple("Assessed Limit", "decision", RulesetDiff.Change.CHANGED),
                        tuple("Outcome", "decision", RulesetDiff.Change.CHANGED));
        assertThat(file.decisions().get(0).lines())
                .containsExactly(
                        new Line(
                                "-",
                                2,
                                null,
                                "item definition 'tGrade' / allowed values: \"A\",\"B\",\"C\",\"D\",\"E\""),
                        new Line(
                                "+",
                                null,
                                2,
                                "item definition 'tGrade' / allowed values: \"A\",\"B\",\"C\",\"D\",\"E\",\"F\""));
        assertThat(file.decisions().get(1).lines())
                .containsExactly(
                        new Line(
                                "-",
                                6,
                                null,
                                "decision 'Assessed Limit' / context entry 'Revenue Limit' [number] / literal: "
                                        + "Customer.annualRevenue * Revenue Share"),
                        new Line(
                                "+",
                                null,
                                6,
                                "decision 'Assessed Limit' / context entry 'Revenue Limit' [number] / literal: "
                                        + "Customer.annualRevenue * Revenue Share * 2"));
        assertThat(file.decisions().get(1).expressionBefore()).isNull();
        assertThat(file.decisions().get(2).lines())
                .containsExactly(new Line(
                        "+", null, 7, "decision 'Outcome' / decision table / output 1 / default output: \"REFERRED\""));
        assertThat(file.decisions().get(2).rules()).isEmpty();
    }

    @Test
    void theWholeContextIsRenderedPathByPath() throws IOException {
        String model = replace(Files.readString(Path.of(MODEL)), LITERAL, CONTEXT);
        RulesetDiff.FileDiff file = modelDiff("", model);
        DecisionChange limit = file.decisions().stream()
                .filter(d -> d.decision().equals("Assessed Limit"))
                .findFirst()
                .orElseThrow();
        assertThat(limit.change()).isEqualTo(RulesetDiff.Change.ADDED);
        assertThat(limit.lines())
                .extracting(Line::text)
                .containsExactly(
                        "decision 'Assessed Limit': type number",
                        "decision 'Assessed Limit' / requires input 'Customer'",
                        "decision 'Assessed Limit' / requires decision 'Revenue Share'",
                        "decision 'Assessed Limit' / requires decision 'Limit Cap'",
                        "decision 'Assessed Limit' / context [number]",
                        "decision 'Assessed Limit' / context entry 'Revenue Limit' [number] / literal: "
                                + "Customer.annualRevenue * Revenue Share",
                        "decision 'Assessed Limit' / context result / literal: floor(min(Revenue Limit, Limit Cap) / 1000) "
                                + "* 1000");
    }

    @Test
    void aFunctionOfAnotherKindIsShownWithItsKind() throws IOException {
        String base = Files.readString(Path.of(MODEL));
        String edited = replace(base, "  <decision id=\"_RevenueShare\"", """
                  <businessKnowledgeModel id="_Exit" name="Exit">
                    <variable id="_Exit_var" name="Exit"/>
                    <encapsulatedLogic id="_Exit_fn" kind="Java">
                      <formalParameter id="_Exit_p" name="code" typeRef="number"/>
                      <context id="_Exit_ctx">
                        <contextEntry><variable id="_Exit_c" name="class"/><literalExpression><text>"java.lang.System"</text></literalExpression></contextEntry>
                        <contextEntry><variable id="_Exit_m" name="method signature"/><literalExpression><text>"exit(int)"</text></literalExpression></contextEntry>
                      </context>
                    </encapsulatedLogic>
                  </businessKnowledgeModel>
                  <decision id="_RevenueShare\"""");

        RulesetDiff.FileDiff file = modelDiff(base, edited);

        assertThat(file.decisions()).hasSize(1);
        assertThat(file.decisions().get(0).decision()).isEqualTo("Exit (business knowledge model)");
        assertThat(file.decisions().get(0).change()).isEqualTo(RulesetDiff.Change.ADDED);
        assertThat(file.decisions().get(0).lines())
                .extracting(Line::op, Line::text)
                .containsExactly(
                        tuple("+", "business knowledge model 'Exit': type (none)"),
                        tuple("+", "business knowledge model 'Exit' / function (code [number]): " + "kind Java"),
                        tuple(
                                "+",
                                "business knowledge model 'Exit' / function (code [number]) / "
                                        + "context entry 'class' / literal: \"java.lang.System\""),
                        tuple(
                                "+",
                                "business knowledge model 'Exit' / function (code [number]) / "
                                        + "context entry 'method signature' / literal: \"exit(int)\""));
    }

    @Test
    void aShapeMovedInTheDiagramIsShownAsNoChangeInBehaviour() throws IOException {
        String base = Files.readString(Path.of(MODEL));
        String moved = replace(base, """
                <dmndi:DMNShape id="_Reasons_shape" dmnElementRef="_Reasons" isCollapsed="false">
                        <dc:Bounds x="60" y="60\"""", """
                <dmndi:DMNShape id="_Reasons_shape" dmnElementRef="_Reasons" isCollapsed="false">
                        <dc:Bounds x="420" y="75\"""");

        RulesetDiff.FileDiff file = modelDiff(base, moved);

        assertThat(file.change()).isEqualTo(RulesetDiff.Change.CHANGED);
        assertThat(file.decisions()).isEmpty();
        assertThat(file.behaviourChanged()).isFalse();
        assertThat(file.note())
                .isEqualTo("no change in behaviour: only the diagram (the shapes and edges of DMNDI) "
                        + "changed; every decision, business knowledge model, decision service and item definition is as "
                        + "before");
    }

    @Test
    void editorIdsAndDescriptionsChangeNoBehaviourEither() throws IOException {
        String base = Files.readString(Path.of(MODEL));
        String edited = base.replace("_LimitCap_dt_r", "_3f9a0c_r")
                .replace("Step 3: the most credit", "Step three: the most credit");

        RulesetDiff.FileDiff file = modelDiff(base, edited);

        assertThat(file.decisions()).isEmpty();
        assertThat(file.behaviourChanged()).isFalse();
        assertThat(file.note()).startsWith("no change in behaviour: only descriptions, annotations, labels, ids");
    }

    // --- helpers ---

    private static RulesetDiff.FileDiff scorecardDiff(byte[] before, byte[] after) {
        return only(RulesetDiff.between(
                RulesetSource.of(Map.of(SCORECARD, before)),
                RulesetSource.of(Map.of(SCORECARD, after)),
                new DroolsSpreadsheetRules()));
    }

    private static RulesetDiff.FileDiff modelDiff(String before, String after) {
        Map<String, byte[]> a = before.isEmpty() ? Map.of() : Map.of(MODEL, before.getBytes(StandardCharsets.UTF_8));
        return only(RulesetDiff.between(
                RulesetSource.of(a),
                RulesetSource.of(Map.of(MODEL, after.getBytes(StandardCharsets.UTF_8))),
                new DroolsSpreadsheetRules()));
    }

    private static RulesetDiff.FileDiff only(RulesetDiff.Report report) {
        assertThat(report.files()).hasSize(1);
        return report.files().get(0);
    }

    private static String yearsRule(int row, String band, String conditions, int points) {
        return "// rule values at B" + row + ", header at B18\n"
                + "rule \"Years in business_" + row + "\"\n"
                + "    @band(\"" + band + "\")\n"
                + "    when\n"
                + "        Customer(" + conditions + ")\n"
                + "    then\n"
                + "        scorecard.award(\"Years in business\", " + points + ");\n"
                + "end";
    }

    private static org.apache.poi.ss.usermodel.Cell points(Sheet sheet, int row, String band) {
        Row r = sheet.getRow(row - 1);
        assertThat(r.getCell(1).getStringCellValue()).isEqualTo(band);
        return r.getCell(4);
    }

    private static String replace(String text, String target, String replacement) {
        assertThat(text).contains(target);
        return text.replace(target, replacement);
    }

    private interface SheetEdit {
        void apply(Sheet sheet);
    }

    private static byte[] edit(byte[] xlsx, SheetEdit edit) throws IOException {
        try (Workbook workbook = WorkbookFactory.create(new ByteArrayInputStream(xlsx));
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            edit.apply(workbook.getSheet("Scorecard"));
            workbook.write(out);
            return out.toByteArray();
        }
    }
}
