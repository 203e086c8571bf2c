package io.termsgate.engine.drools;

import io.termsgate.engine.RulesetProblem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;
import org.apache.poi.ss.util.CellReference;
import org.drools.decisiontable.InputType;
import org.drools.decisiontable.SpreadsheetCompiler;

/**
 * Turns a spreadsheet decision table into DRL, remembering which sheet row each generated rule came from, so that
 * traces and compile errors name the row an analyst edits rather than a line of generated code.
 *
 * <p>Also reads which scorecard characteristics the workbook defines (each {@code scorecard.award("<name>", ...)}
 * action), so the engine can insist that every characteristic scores exactly once.
 */
final class SpreadsheetTables {

    /** What the spreadsheet compiler writes above each generated rule. */
    private static final Pattern ROW_COMMENT =
            Pattern.compile("^// rule values at ([A-Z]+)(\\d+), header at ([A-Z]+)(\\d+)\\s*$");

    private static final Pattern RULE_NAME = Pattern.compile("^rule \"(.*)\"\\s*$");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;?\\s*$");
    private static final Pattern AWARD = Pattern.compile("scorecard\\.award\\(\\s*\"([^\"]+)\"");

    /** A workbook converted to DRL. {@code rowOfLine[i]} is the sheet row of the rule around DRL line i+1 (0: none). */
    record Converted(
            String file,
            String drl,
            String packageName,
            Map<String, RuleOrigin> rules,
            int[] rowOfLine,
            Map<String, String> sheetOfTable,
            Set<String> characteristics,
            byte[] workbook) {

        /**
         * The cell of the row around DRL {@code line} whose text contains {@code token}, as "sheet 'Scorecard', cell
         * D15 (table 'Bureau score')"; the row alone when no cell holds it.
         */
        String locate(int line, String token) {
            String row = locate(line);
            if (row.isEmpty() || token == null || token.isBlank()) {
                return row;
            }
            int rowNumber = rowOfLine[line - 1];
            String table = rules.values().stream()
                    .filter(o -> o.row() == rowNumber)
                    .map(RuleOrigin::table)
                    .findFirst()
                    .orElse(null);
            String sheetName = table == null ? null : sheetOfTable.get(table);
            try (Workbook book = WorkbookFactory.create(new ByteArrayInputStream(workbook))) {
                Sheet sheet = sheetName == null ? book.getSheetAt(0) : book.getSheet(sheetName);
                Row r = sheet.getRow(rowNumber - 1);
                if (r != null) {
                    DataFormatter formatter = new DataFormatter();
                    for (Cell cell : r) {
                        String text = formatter.formatCellValue(cell).strip();
                        if (!text.isEmpty() && (text.equals(token) || text.contains(token))) {
                            return "sheet '" + sheet.getSheetName() + "', cell "
                                    + new CellReference(cell).formatAsString(false)
                                    + (table == null ? "" : " (table '" + table + "')");
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the row is still a good answer
            }
            return row;
        }

        /**
         * Like {@link #locate(int, String)}, but when the line is not a rule row's (an import, a global, a
         * function) the first cell anywhere in the workbook that holds {@code token}.
         */
        String locateAnywhere(Integer line, String token) {
            String place = line == null || line < 1 ? "" : locate(line, token);
            if (!place.isEmpty() || token == null || token.isBlank()) {
                return place;
            }
            try (Workbook book = WorkbookFactory.create(new ByteArrayInputStream(workbook))) {
                DataFormatter formatter = new DataFormatter();
                for (Sheet sheet : book) {
                    for (Row r : sheet) {
                        for (Cell cell : r) {
                            if (formatter.formatCellValue(cell).contains(token)) {
                                return "sheet '" + sheet.getSheetName() + "', cell "
                                        + new CellReference(cell).formatAsString(false);
                            }
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no better place than none
            }
            return "";
        }

        /** The 1-based DRL line holding {@code text}, or 0. */
        int lineOf(String text) {
            String[] lines = drl.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].contains(text) && rowOfLine[i] > 0) {
                    return i + 1;
                }
            }
            return 0;
        }

        /** A location an analyst can find: sheet, row and table of a line of the generated DRL. */
        String locate(int line) {
            if (line < 1 || line > rowOfLine.length || rowOfLine[line - 1] == 0) {
                return "";
            }
            int row = rowOfLine[line - 1];
            String table = rules.values().stream()
                    .filter(o -> o.row() == row)
                    .map(RuleOrigin::table)
                    .findFirst()
                    .orElse(null);
            String sheet = table == null ? null : sheetOfTable.get(table);
            return (sheet == null ? "" : "sheet '" + sheet + "', ") + "row " + row
                    + (table == null ? "" : " (table '" + table + "')");
        }
    }

    private SpreadsheetTables() {}

    /**
     * @return the conversion, or {@code null} when the workbook cannot be read as a decision table at all (the
     *         reason is added to {@code problems})
     */
    static Converted convert(String file, byte[] bytes, List<RulesetProblem> problems) {
        Map<String, String> sheetOfTable = tablesBySheet(file, bytes, problems);
        if (sheetOfTable == null) {
            return null;
        }
        String drl;
        try {
            drl = new SpreadsheetCompiler().compile(new ByteArrayInputStream(bytes), InputType.XLS);
        } catch (RuntimeException e) {
            // the decision table parser names the cell in its message, e.g. "... at cell C12"
            problems.add(RulesetProblem.error(file, "", "not a valid spreadsheet decision table: " + rootMessage(e)));
            return null;
        }
        if (drl == null || drl.isBlank()) {
            problems.add(RulesetProblem.error(file, "", "no RuleSet / RuleTable found in the workbook"));
            return null;
        }
        String[] lines = drl.split("\n", -1);
        int[] rowOfLine = new int[lines.length];
        Map<String, RuleOrigin> rules = new HashMap<>();
        String packageName = "defaultpkg";
        int currentRow = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            Matcher comment = ROW_COMMENT.matcher(line);
            Matcher rule = RULE_NAME.matcher(line);
            Matcher pkg = PACKAGE.matcher(line);
            if (comment.matches()) {
                currentRow = Integer.parseInt(comment.group(2));
            } else if (rule.matches()) {
                String name = rule.group(1);
                int underscore = name.lastIndexOf('_');
                String table = underscore > 0 ? name.substring(0, underscore) : name;
                rules.put(name, new RuleOrigin(file, table, currentRow));
            } else if (pkg.matches()) {
                packageName = pkg.group(1);
            } else if (line.equals("end")) {
                rowOfLine[i] = currentRow;
                currentRow = 0;
                continue;
            }
            rowOfLine[i] = currentRow;
        }
        Set<String> characteristics = new LinkedHashSet<>();
        Matcher award = AWARD.matcher(drl);
        while (award.find()) {
            characteristics.add(award.group(1));
        }
        return new Converted(
                file,
                drl,
                packageName,
                Map.copyOf(rules),
                rowOfLine,
                Map.copyOf(sheetOfTable),
                Set.copyOf(characteristics),
                bytes);
    }

    /** Finds each "RuleTable <name>" cell's sheet; {@code null} when the file is not a readable workbook. */
    private static Map<String, String> tablesBySheet(String file, byte[] bytes, List<RulesetProblem> problems) {
        Map<String, String> tables = new HashMap<>();
        try (Workbook workbook = WorkbookFactory.create(new ByteArrayInputStream(bytes))) {
            for (Sheet sheet : workbook) {
                for (Row row : sheet) {
                    for (Cell cell : row) {
                        if (cell.getCellType() == CellType.STRING) {
                            String text = cell.getStringCellValue().strip();
                            if (text.regionMatches(true, 0, "RuleTable ", 0, 10)) {
                                tables.put(text.substring(10).strip(), sheet.getSheetName());
                            }
                        }
                    }
                }
            }
            // the policy language's spreadsheet half, before the workbook becomes DRL
            List<RulesetProblem> refused = SpreadsheetCells.check(file, workbook);
            if (!refused.isEmpty()) {
                problems.addAll(refused);
                return null;
            }
            return tables;
        } catch (IOException | RuntimeException e) {
            problems.add(RulesetProblem.error(
                    file, "", "cannot be read as an Excel workbook (.xlsx/.xls): " + rootMessage(e)));
            return null;
        }
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.strip();
    }
}
