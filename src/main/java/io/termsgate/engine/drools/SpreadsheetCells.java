package io.termsgate.engine.drools;

import io.termsgate.engine.RulesetProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.CellValue;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.util.CellReference;

/**
 * The spreadsheet half of the policy language, checked on the workbook before it is turned into DRL.
 *
 * <p>The spreadsheet compiler pastes each data cell into its column's template ({@code creditScore >= $param},
 * {@code scorecard.award("Bureau score", $param);}). A cell is a value: where the template puts it outside quotes
 * it must be a number, a boolean or a list of them; where inside quotes it must not hold a quote or a backslash, so
 * that no cell can close the template's string or parenthesis and add code of its own. The grey template rows are
 * policy-language code, checked with the DRL the workbook compiles to ({@link DrlPolicyLanguage}). Only the RuleSet
 * keywords and column types the scorecard layout uses are accepted.
 */
final class SpreadsheetCells {

    /** RuleSet keywords: imports and the engine's globals are checked again in the generated DRL. */
    private static final Set<String> KEYWORDS = Set.of(
            "IMPORT",
            "VARIABLES",
            "NOTES",
            "IGNORENUMERICFORMAT",
            "SEQUENTIAL",
            "SEQUENTIALMAXPRIORITY",
            "SEQUENTIALMINPRIORITY",
            "ESCAPEQUOTES",
            "NUMERICDISABLED");

    private static final Set<String> CODE_COLUMNS = Set.of("CONDITION", "C", "ACTION", "A", "METADATA", "@");
    private static final Set<String> TEXT_COLUMNS =
            Set.of("NAME", "N", "DESCRIPTION", "I", "ACTIVATION-GROUP", "X", "AGENDA-GROUP", "G");
    private static final Set<String> NUMBER_COLUMNS = Set.of("PRIORITY", "P", "SALIENCE");
    private static final Set<String> FLAG_COLUMNS = Set.of("NO-LOOP", "U", "LOCK-ON-ACTIVE", "L");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$(param|\\d+)?");
    private static final Pattern LITERAL = Pattern.compile("\\s*(-?\\d{1,15}(\\.\\d{1,10})?|(?i:true|false))\\s*");
    private static final Pattern SAFE_TEXT = Pattern.compile("[^\"\\\\\\p{Cntrl}]{0,500}");
    private static final Pattern INTEGER = Pattern.compile("\\s*-?\\d{1,9}\\s*");

    private SpreadsheetCells() {}

    static List<RulesetProblem> check(String file, Workbook workbook) {
        List<RulesetProblem> problems = new ArrayList<>();
        for (Sheet sheet : workbook) {
            for (Row row : sheet) {
                for (Cell cell : row) {
                    String text = text(cell);
                    if (text.equalsIgnoreCase("RuleSet")) {
                        checkKeywords(file, sheet, cell, problems);
                    } else if (text.regionMatches(true, 0, "RuleTable", 0, 9)) {
                        checkTable(file, sheet, cell, text.substring(9).strip(), problems);
                    }
                }
            }
        }
        return problems;
    }

    private static void checkKeywords(String file, Sheet sheet, Cell ruleSet, List<RulesetProblem> problems) {
        int column = ruleSet.getColumnIndex();
        for (int r = ruleSet.getRowIndex() + 1; r <= sheet.getLastRowNum(); r++) {
            Row row = sheet.getRow(r);
            String keyword = row == null ? "" : text(row.getCell(column));
            if (keyword.regionMatches(true, 0, "RuleTable", 0, 9)) {
                return;
            }
            if (!keyword.isEmpty() && !KEYWORDS.contains(keyword.toUpperCase(Locale.ROOT))) {
                problems.add(RulesetProblem.error(
                        file,
                        place(sheet, row.getCell(column), null),
                        "the RuleSet "
                                + "keyword '" + keyword
                                + "' is not part of the policy language; a workbook may use Import, "
                                + "Variables, Notes, IgnoreNumericFormat and Sequential (no Functions, Queries, Declare or "
                                + "rule attributes)"));
            }
        }
    }

    private static void checkTable(String file, Sheet sheet, Cell title, String table, List<RulesetProblem> problems) {
        int top = title.getRowIndex();
        Row types = sheet.getRow(top + 1);
        Row templates = sheet.getRow(top + 3);
        if (types == null) {
            return; // the spreadsheet compiler reports a table without columns
        }
        List<Integer> columns = new ArrayList<>();
        for (int c = title.getColumnIndex(); c < types.getLastCellNum(); c++) {
            String type = text(types.getCell(c)).toUpperCase(Locale.ROOT);
            if (type.isEmpty()) {
                break;
            }
            if (!CODE_COLUMNS.contains(type)
                    && !TEXT_COLUMNS.contains(type)
                    && !NUMBER_COLUMNS.contains(type)
                    && !FLAG_COLUMNS.contains(type)) {
                problems.add(RulesetProblem.error(
                        file,
                        place(sheet, types.getCell(c), table),
                        "the column type '"
                                + type
                                + "' is not part of the policy language; columns are CONDITION, ACTION, METADATA, "
                                + "NAME, DESCRIPTION, PRIORITY, SALIENCE, ACTIVATION-GROUP, AGENDA-GROUP, NO-LOOP or "
                                + "LOCK-ON-ACTIVE"));
                continue;
            }
            columns.add(c);
        }
        for (int r = top + 5; r <= sheet.getLastRowNum(); r++) {
            Row row = sheet.getRow(r);
            if (row == null
                    || columns.stream()
                            .allMatch(c -> text(row.getCell(c)).isEmpty()
                                    && (row.getCell(c) == null || row.getCell(c).getCellType() == CellType.BLANK))) {
                return; // a blank row ends the table
            }
            for (int c : columns) {
                Cell cell = row.getCell(c);
                if (cell == null || !holdsText(cell)) {
                    continue; // numbers and booleans are values by construction
                }
                String value = text(cell);
                if (value.isEmpty()) {
                    continue;
                }
                String type = text(types.getCell(c)).toUpperCase(Locale.ROOT);
                String template = templates == null ? "" : text(templates.getCell(c));
                String refused = refusal(type, template, value);
                if (refused != null) {
                    problems.add(RulesetProblem.error(file, place(sheet, cell, table), refused));
                }
            }
        }
    }

    /** Why a data cell is refused, or {@code null}. */
    static String refusal(String type, String template, String value) {
        if (TEXT_COLUMNS.contains(type)) {
            return SAFE_TEXT.matcher(value).matches()
                    ? null
                    : "a name or group must be plain text without quotes, backslashes or control characters";
        }
        if (NUMBER_COLUMNS.contains(type)) {
            return INTEGER.matcher(value).matches()
                    ? null
                    : "a priority must be a whole number, not '" + shortened(value) + "'";
        }
        if (FLAG_COLUMNS.contains(type)) {
            return value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false") ? null : "must be true or false";
        }
        Matcher placeholder = PLACEHOLDER.matcher(template);
        boolean any = false;
        boolean outsideQuotes = false;
        while (placeholder.find()) {
            any = true;
            outsideQuotes |= !insideQuotes(template, placeholder.start());
        }
        if (!any) {
            // Drools appends such a cell's text to the template: the cell would be code
            return type.startsWith("C")
                    ? "the column's template has no $param, so this cell would be pasted into "
                            + "the rule as code; put $param in the template (grey row) and a value here"
                    : null;
        }
        if (!SAFE_TEXT.matcher(value).matches()) {
            return "a cell holds a value; quotes, backslashes and control characters could turn it into code: '"
                    + shortened(value) + "'";
        }
        if (outsideQuotes) {
            for (String item : value.split(",", -1)) {
                if (!LITERAL.matcher(item).matches()) {
                    return "this column takes a number or true/false (the template uses it outside quotes), not '"
                            + shortened(value) + "'";
                }
            }
        }
        return null;
    }

    private static boolean insideQuotes(String template, int offset) {
        boolean inside = false;
        for (int i = 0; i < offset; i++) {
            char ch = template.charAt(i);
            if (ch == '\\') {
                i++;
            } else if (ch == '"') {
                inside = !inside;
            }
        }
        return inside;
    }

    private static String shortened(String value) {
        String flat = value.replaceAll("\\p{Cntrl}", " ");
        return flat.length() > 60 ? flat.substring(0, 57) + "..." : flat;
    }

    private static boolean holdsText(Cell cell) {
        return cell.getCellType() == CellType.STRING
                || cell.getCellType() == CellType.FORMULA && formulaText(cell) != null;
    }

    private static String text(Cell cell) {
        if (cell == null) {
            return "";
        }
        if (cell.getCellType() == CellType.STRING) {
            return cell.getStringCellValue().strip();
        }
        if (cell.getCellType() == CellType.FORMULA) {
            String value = formulaText(cell);
            return value == null ? "" : value.strip();
        }
        return "";
    }

    /**
     * The text a formula cell gives, as the spreadsheet compiler reads it: the formula evaluated now, or the value
     * cached in the file when it cannot be; {@code null} when the formula gives a number or a boolean.
     */
    private static String formulaText(Cell cell) {
        try {
            CellValue value = cell.getSheet()
                    .getWorkbook()
                    .getCreationHelper()
                    .createFormulaEvaluator()
                    .evaluate(cell);
            if (value != null) {
                return value.getCellType() == CellType.STRING ? value.getStringValue() : null;
            }
        } catch (RuntimeException e) {
            // an unsupported function: the compiler falls back to the cached value too
        }
        return cell.getCachedFormulaResultType() == CellType.STRING ? cell.getStringCellValue() : null;
    }

    private static String place(Sheet sheet, Cell cell, String table) {
        String where = "sheet '" + sheet.getSheetName() + "'";
        if (cell != null) {
            where += ", cell " + new CellReference(cell).formatAsString(false);
        }
        return where + (table == null ? "" : " (table '" + table + "')");
    }
}
