package io.termsgate.ruleset.diff;

import io.termsgate.engine.SpreadsheetRules;
import io.termsgate.engine.SpreadsheetRules.GeneratedRule;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.CellValue;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.FormulaError;
import org.apache.poi.ss.usermodel.FormulaEvaluator;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;
import org.apache.poi.ss.util.CellReference;

/**
 * Cell-level difference of two workbooks: every cell whose value differs, by sheet and address, with the row's
 * label (column B, where the scorecard names each band) to say what the row is, and for a cell that holds a formula
 * the formula beside the value it computes. Formatting is ignored. For a decision table, also the rules the engine
 * generates from the workbook, before and after, wherever they differ or a row of theirs was edited.
 */
final class SpreadsheetDiff {

    /**
     * A cell whose value changed; empty text is an empty cell. A value of a formula is the one the engine computes
     * from it when it compiles the table (as the spreadsheet compiler does: the formula is evaluated, the value
     * cached in the file is used only when it cannot be); {@code formulaBefore}/{@code formulaAfter} hold the
     * formula, null when the cell holds a plain value. {@code note} warns when a formula's value depends on when it
     * is computed.
     */
    record CellChange(
            String sheet,
            String cell,
            String rowLabel,
            String before,
            String after,
            String formulaBefore,
            String formulaAfter,
            String note) {}

    /**
     * A rule the engine generates from the workbook, before and after: "changed", "added", "removed", or
     * "unchanged" for a row whose cells were edited without changing its rule. {@code table} is null for the
     * preamble (package, imports, globals: what the RuleSet rows generate), rows are 1-based sheet rows.
     */
    record RuleChange(
            String change,
            String sheet,
            String table,
            Integer rowBefore,
            Integer rowAfter,
            String before,
            String after) {}

    /** The cells and rules that changed; {@code behaviourChanged} is null when the rules could not be generated. */
    record Comparison(List<CellChange> cells, List<RuleChange> rules, Boolean behaviourChanged, String note) {}

    /** Functions whose value depends on when, or in which surroundings, the formula is computed. */
    private static final Pattern VOLATILE = Pattern.compile(
            "\\b(NOW|TODAY|RAND|RANDBETWEEN|RANDARRAY|INDIRECT|OFFSET|INFO|CELL)\\s*\\(|\\[\\d+\\]",
            Pattern.CASE_INSENSITIVE);

    private static final Pattern RULE_NAME = Pattern.compile("^(rule \".*)_\\d+(\"\\s*)$");

    private record Value(String value, String formula) {}

    private SpreadsheetDiff() {}

    /** The cells only: for workbooks that are not decision tables (scenarios). */
    static List<CellChange> cells(byte[] before, byte[] after) {
        Map<String, Map<String, Value>> a = read(before);
        Map<String, Map<String, Value>> b = read(after);
        Set<String> sheets = new LinkedHashSet<>(a.keySet());
        sheets.addAll(b.keySet());
        List<CellChange> changes = new ArrayList<>();
        for (String sheet : sheets) {
            Map<String, Value> cellsA = a.getOrDefault(sheet, Map.of());
            Map<String, Value> cellsB = b.getOrDefault(sheet, Map.of());
            Set<String> addresses = new TreeSet<>(SpreadsheetDiff::byRowThenColumn);
            addresses.addAll(cellsA.keySet());
            addresses.addAll(cellsB.keySet());
            for (String address : addresses) {
                Value va = cellsA.getOrDefault(address, new Value("", null));
                Value vb = cellsB.getOrDefault(address, new Value("", null));
                String timing = volatility(va.formula(), vb.formula());
                // the engine reads values, so a formula rewritten to the same value changes nothing, unless the
                // value depends on when it is computed
                if (!va.value().equals(vb.value()) || (timing != null && !Objects.equals(va.formula(), vb.formula()))) {
                    String row = "B" + (new CellReference(address).getRow() + 1);
                    String label = cellsB.getOrDefault(row, cellsA.getOrDefault(row, new Value("", null)))
                            .value();
                    changes.add(new CellChange(
                            sheet,
                            address,
                            label.isEmpty() ? null : label,
                            va.value(),
                            vb.value(),
                            va.formula(),
                            vb.formula(),
                            timing));
                }
            }
        }
        return changes;
    }

    /** Cells and generated rules of a spreadsheet decision table. */
    static Comparison decisionTable(String path, byte[] before, byte[] after, SpreadsheetRules generator) {
        List<CellChange> cells = cells(before, after);
        SpreadsheetRules.Generated a;
        SpreadsheetRules.Generated b;
        try {
            a = before.length == 0 ? new SpreadsheetRules.Generated("", List.of()) : generator.generate(path, before);
            b = after.length == 0 ? new SpreadsheetRules.Generated("", List.of()) : generator.generate(path, after);
        } catch (IllegalArgumentException e) {
            return new Comparison(
                    cells, List.of(), null, "the rules generated from the workbook cannot be shown: " + e.getMessage());
        }
        Set<String> editedRows = new HashSet<>();
        cells.forEach(c -> editedRows.add(c.sheet() + "!" + (new CellReference(c.cell()).getRow() + 1)));
        List<RuleChange> rules = new ArrayList<>();
        if (!a.preamble().equals(b.preamble())) {
            rules.add(new RuleChange(
                    before.length == 0 ? "added" : after.length == 0 ? "removed" : "changed",
                    null,
                    null,
                    null,
                    null,
                    before.length == 0 ? null : a.preamble(),
                    after.length == 0 ? null : b.preamble()));
        }
        rules.addAll(align(a.rules(), b.rules(), editedRows));
        boolean same = a.preamble().equals(b.preamble())
                && a.rules().size() == b.rules().size()
                && rules.stream().allMatch(r -> r.change().equals("unchanged"));
        String note = same
                ? "no change in behaviour: the workbook generates the same rules"
                        + (cells.isEmpty()
                                ? " (only formatting or other content the engine does not read changed)"
                                : "")
                : null;
        return new Comparison(cells, rules, !same, note);
    }

    /**
     * Aligns generated rules by what they say (longest common subsequence, ignoring the row number in the rule's
     * name and comment, so inserting a row does not make every rule below it look changed); within each gap,
     * removed and added rules pair up as changed. Identical rules are listed only when a cell of their row changed.
     */
    private static List<RuleChange> align(List<GeneratedRule> a, List<GeneratedRule> b, Set<String> editedRows) {
        List<String> ka = a.stream().map(SpreadsheetDiff::logic).toList();
        List<String> kb = b.stream().map(SpreadsheetDiff::logic).toList();
        int n = a.size();
        int m = b.size();
        int[][] lcs = CommonSubsequence.table(n, m, (x, y) -> ka.get(x).equals(kb.get(y)));
        List<RuleChange> changes = new ArrayList<>();
        List<GeneratedRule> removed = new ArrayList<>();
        List<GeneratedRule> added = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && ka.get(i).equals(kb.get(j))) {
                flush(removed, added, changes);
                GeneratedRule x = a.get(i++);
                GeneratedRule y = b.get(j++);
                if (editedRows.contains(x.sheet() + "!" + x.row()) || editedRows.contains(y.sheet() + "!" + y.row())) {
                    changes.add(
                            new RuleChange("unchanged", y.sheet(), y.table(), x.row(), y.row(), x.text(), y.text()));
                }
            } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
                added.add(b.get(j++));
            } else {
                removed.add(a.get(i++));
            }
        }
        flush(removed, added, changes);
        return changes;
    }

    private static void flush(List<GeneratedRule> removed, List<GeneratedRule> added, List<RuleChange> changes) {
        int paired = Math.min(removed.size(), added.size());
        for (int k = 0; k < paired; k++) {
            GeneratedRule x = removed.get(k);
            GeneratedRule y = added.get(k);
            changes.add(new RuleChange("changed", y.sheet(), y.table(), x.row(), y.row(), x.text(), y.text()));
        }
        for (GeneratedRule x : removed.subList(paired, removed.size())) {
            changes.add(new RuleChange("removed", x.sheet(), x.table(), x.row(), null, x.text(), null));
        }
        for (GeneratedRule y : added.subList(paired, added.size())) {
            changes.add(new RuleChange("added", y.sheet(), y.table(), null, y.row(), null, y.text()));
        }
        removed.clear();
        added.clear();
    }

    /** A rule without the row number that the compiler writes into its comment and its name. */
    private static String logic(GeneratedRule rule) {
        StringBuilder logic = new StringBuilder(String.valueOf(rule.sheet())).append('\n');
        for (String line : rule.text().split("\n")) {
            if (line.startsWith("// rule values at ")) {
                continue;
            }
            Matcher name = RULE_NAME.matcher(line.strip());
            logic.append(name.matches() ? name.group(1) + name.group(2) : line).append('\n');
        }
        return logic.toString();
    }

    private static String volatility(String... formulas) {
        Set<String> found = new TreeSet<>(Comparator.naturalOrder());
        for (String formula : formulas) {
            if (formula != null) {
                Matcher m = VOLATILE.matcher(formula);
                while (m.find()) {
                    found.add(
                            m.group(1) == null
                                    ? "a link to another workbook"
                                    : m.group(1).toUpperCase(Locale.ROOT));
                }
            }
        }
        return found.isEmpty()
                ? null
                : "the formula's value depends on when or where it is computed ("
                        + String.join(", ", found)
                        + "): the engine computes it each time it compiles the table, so it may "
                        + "differ from the value shown";
    }

    private static int byRowThenColumn(String x, String y) {
        CellReference a = new CellReference(x);
        CellReference b = new CellReference(y);
        return a.getRow() != b.getRow()
                ? Integer.compare(a.getRow(), b.getRow())
                : Short.compare(a.getCol(), b.getCol());
    }

    private static Map<String, Map<String, Value>> read(byte[] bytes) {
        Map<String, Map<String, Value>> sheets = new LinkedHashMap<>();
        if (bytes.length == 0) {
            return sheets;
        }
        DataFormatter formatter = new DataFormatter(Locale.ROOT);
        try (Workbook workbook = WorkbookFactory.create(new ByteArrayInputStream(bytes))) {
            FormulaEvaluator evaluator = workbook.getCreationHelper().createFormulaEvaluator();
            for (Sheet sheet : workbook) {
                Map<String, Value> cells = new LinkedHashMap<>();
                for (Row row : sheet) {
                    for (Cell cell : row) {
                        boolean formula = cell.getCellType() == CellType.FORMULA;
                        String value = formula ? computed(cell, evaluator, formatter) : value(cell, formatter);
                        if (!value.isEmpty() || formula) {
                            cells.put(
                                    new CellReference(cell).formatAsString(false),
                                    new Value(value, formula ? "=" + cell.getCellFormula() : null));
                        }
                    }
                }
                sheets.put(sheet.getSheetName(), cells);
            }
            return sheets;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A formula's value as the spreadsheet compiler takes it: computed now, or the value cached in the file when it
     * cannot be (LibreOffice saves TRUE as the formula TRUE(): the same value to an analyst, and to the table).
     */
    private static String computed(Cell cell, FormulaEvaluator evaluator, DataFormatter formatter) {
        CellValue result;
        try {
            result = evaluator.evaluate(cell);
        } catch (RuntimeException e) {
            return value(cell, formatter);
        }
        if (result == null) {
            return "";
        }
        return switch (result.getCellType()) {
            case NUMERIC -> number(result.getNumberValue());
            case BOOLEAN -> String.valueOf(result.getBooleanValue()).toUpperCase(Locale.ROOT);
            case STRING -> result.getStringValue().strip();
            case ERROR -> FormulaError.forInt(result.getErrorValue()).getString();
            default -> "";
        };
    }

    /** A plain cell's value, or for a formula the value cached in the file. */
    private static String value(Cell cell, DataFormatter formatter) {
        CellType type = cell.getCellType() == CellType.FORMULA ? cell.getCachedFormulaResultType() : cell.getCellType();
        if (type == CellType.NUMERIC) {
            return number(cell.getNumericCellValue());
        }
        if (type == CellType.BOOLEAN) {
            return String.valueOf(cell.getBooleanCellValue()).toUpperCase(Locale.ROOT);
        }
        if (type == CellType.STRING && cell.getCellType() == CellType.FORMULA) {
            return cell.getStringCellValue().strip();
        }
        if (type == CellType.ERROR && cell.getCellType() == CellType.FORMULA) {
            return FormulaError.forInt(cell.getErrorCellValue()).getString();
        }
        return formatter.formatCellValue(cell).strip();
    }

    private static String number(double value) {
        BigDecimal number = BigDecimal.valueOf(value).stripTrailingZeros();
        return (number.scale() < 0 ? number.setScale(0) : number).toPlainString();
    }
}
