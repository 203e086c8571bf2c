package io.termsgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.termsgate.engine.RulesetSource;
import io.termsgate.engine.drools.DroolsSpreadsheetRules;
import io.termsgate.ruleset.diff.RulesetDiff;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;
import org.junit.jupiter.api.Test;

/** The candidate page's diff carries what the API's diff says: formulas, generated rules, DMN lines, no-change. */
class DiffViewTest {

    static final String SCORECARD = "decision-tables/risk-scorecard.xlsx";
    static final String MODEL = "decision-tables/credit-terms.dmn";

    @Test
    void thePageShowsFormulasGeneratedRulesDmnLinesAndADiagramOnlyChange() throws IOException {
        byte[] xlsx = Files.readAllBytes(Path.of(SCORECARD));
        byte[] edited;
        try (Workbook workbook = WorkbookFactory.create(new ByteArrayInputStream(xlsx));
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            workbook.getSheet("Scorecard").getRow(24).getCell(4).setCellFormula("E24+5"); // E25: 20 -> 15
            workbook.write(out);
            edited = out.toByteArray();
        }
        String dmn = Files.readString(Path.of(MODEL));
        String cap = dmn.replace("<text>400000</text>", "<text>300000</text>");
        String moved = dmn.replace("<dc:Bounds x=\"60\" y=\"60\"", "<dc:Bounds x=\"90\" y=\"60\"");
        assertThat(cap).isNotEqualTo(dmn);
        assertThat(moved).isNotEqualTo(dmn);

        RulesetSource from =
                RulesetSource.of(Map.of(SCORECARD, xlsx, MODEL, bytes(dmn), "decision-tables/b.dmn", bytes(dmn)));
        RulesetSource to =
                RulesetSource.of(Map.of(SCORECARD, edited, MODEL, bytes(cap), "decision-tables/b.dmn", bytes(moved)));
        DiffView view = DiffView.of(RulesetDiff.between(from, to, new DroolsSpreadsheetRules()), new ObjectMapper());

        DiffView.FileView sheet = file(view, SCORECARD);
        assertThat(sheet.cells())
                .containsExactly(new DiffView.CellRow(
                        "Scorecard", "E25", "5 to under 10 years", "20", "15", null, "=E24+5", null));
        assertThat(sheet.rules()).hasSize(1);
        assertThat(sheet.rules().get(0).change()).isEqualTo("changed");
        assertThat(sheet.rules().get(0).before()).contains("scorecard.award(\"Years in business\", 20);");
        assertThat(sheet.rules().get(0).after()).contains("scorecard.award(\"Years in business\", 15);");
        assertThat(sheet.isBehaviourUnchanged()).isFalse();

        DiffView.FileView model = file(view, MODEL);
        assertThat(model.decisions()).hasSize(1);
        DiffView.DecisionTableChange limitCap = model.decisions().get(0);
        assertThat(limitCap.kind()).isEqualTo("decision");
        assertThat(limitCap.lines())
                .containsExactly(new DiffView.LinePair(
                        10,
                        "decision 'Limit Cap' / decision table / rule: \"B\" | - → 400000",
                        10,
                        "decision 'Limit Cap' / decision table / rule: \"B\" | - → 300000",
                        false));
        assertThat(limitCap.rules()).hasSize(1);

        DiffView.FileView diagram = file(view, "decision-tables/b.dmn");
        assertThat(diagram.isBehaviourUnchanged()).isTrue();
        assertThat(diagram.decisions()).isEmpty();
        assertThat(diagram.note()).startsWith("no change in behaviour: only the diagram");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static DiffView.FileView file(DiffView view, String path) {
        return view.files().stream()
                .filter(f -> f.path().equals(path))
                .findFirst()
                .orElseThrow();
    }
}
