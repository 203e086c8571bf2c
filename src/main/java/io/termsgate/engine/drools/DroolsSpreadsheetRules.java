package io.termsgate.engine.drools;

import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.SpreadsheetRules;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Generated rules through the same conversion the engine compiles ({@link SpreadsheetTables}): each rule is the
 * block from the compiler's "// rule values at B15, header at B7" comment to its {@code end}.
 */
@Component
public class DroolsSpreadsheetRules implements SpreadsheetRules {

    @Override
    public Generated generate(String file, byte[] workbook) {
        List<RulesetProblem> problems = new ArrayList<>();
        SpreadsheetTables.Converted converted = SpreadsheetTables.convert(file, workbook, problems);
        if (converted == null) {
            throw new IllegalArgumentException(
                    problems.stream().map(RulesetProblem::message).collect(Collectors.joining("; ")));
        }
        String[] lines = converted.drl().split("\n", -1);
        List<GeneratedRule> rules = new ArrayList<>();
        List<String> preamble = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < lines.length; i++) {
            int row = converted.rowOfLine()[i];
            if (row == 0) {
                if (!lines[i].isBlank()) {
                    preamble.add(lines[i].stripTrailing().replace("\t", "    "));
                }
                start = -1;
                continue;
            }
            if (start < 0) {
                start = i;
            }
            if (lines[i].strip().equals("end")) {
                int first = start;
                int last = i;
                RuleOrigin origin = converted.rules().values().stream()
                        .filter(o -> o.row() == row && ruleNamed(lines, first, last, o.table()))
                        .findFirst()
                        .orElse(null);
                String table = origin == null ? null : origin.table();
                String sheet = table == null ? null : converted.sheetOfTable().get(table);
                rules.add(new GeneratedRule(
                        sheet,
                        row,
                        table,
                        String.join("\n", List.of(lines).subList(start, i + 1)).replace("\t", "    ")));
                start = -1;
            }
        }
        return new Generated(String.join("\n", preamble), List.copyOf(rules));
    }

    private static boolean ruleNamed(String[] lines, int from, int to, String table) {
        for (int i = from; i <= to; i++) {
            if (lines[i].strip().startsWith("rule \"" + table + "_")) {
                return true;
            }
        }
        return false;
    }
}
