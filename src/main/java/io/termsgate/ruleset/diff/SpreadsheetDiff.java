package io.termsgate.ruleset.diff;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;
import org.apache.poi.ss.util.CellReference;

/**
 * Cell-level difference of two workbooks: every cell whose value differs, by sheet and address, with the row's
 * label (column B, where the scorecard names each band) to say what the row is. Formatting is ignored.
 */
final class SpreadsheetDiff {

    /** A cell whose value changed; empty text is an empty cell. */
    record CellChange(String sheet, String cell, String rowLabel, String before, String after) {
    }

    private SpreadsheetDiff() {
    }

    static List<CellChange> cells(byte[] before, byte[] after) {
        Map<String, Map<String, String>> a = read(before);
        Map<String, Map<String, String>> b = read(after);
        Set<String> sheets = new LinkedHashSet<>(a.keySet());
        sheets.addAll(b.keySet());
        List<CellChange> changes = new ArrayList<>();
        for (String sheet : sheets) {
            Map<String, String> cellsA = a.getOrDefault(sheet, Map.of());
            Map<String, String> cellsB = b.getOrDefault(sheet, Map.of());
            Set<String> addresses = new java.util.TreeSet<>(SpreadsheetDiff::byRowThenColumn);
            addresses.addAll(cellsA.keySet());
            addresses.addAll(cellsB.keySet());
            for (String address : addresses) {
                String va = cellsA.getOrDefault(address, "");
                String vb = cellsB.getOrDefault(address, "");
                if (!va.equals(vb)) {
                    String row = "B" + (new CellReference(address).getRow() + 1);
                    String label = cellsB.getOrDefault(row, cellsA.getOrDefault(row, ""));
                    changes.add(new CellChange(sheet, address, label.isEmpty() ? null : label, va, vb));
                }
            }
        }
        return changes;
    }

    private static int byRowThenColumn(String x, String y) {
        CellReference a = new CellReference(x);
        CellReference b = new CellReference(y);
        return a.getRow() != b.getRow() ? Integer.compare(a.getRow(), b.getRow()) : Short.compare(a.getCol(), b.getCol());
    }

    private static Map<String, Map<String, String>> read(byte[] bytes) {
        Map<String, Map<String, String>> sheets = new LinkedHashMap<>();
        if (bytes.length == 0) {
            return sheets;
        }
        DataFormatter formatter = new DataFormatter(Locale.ROOT);
        try (Workbook workbook = WorkbookFactory.create(new ByteArrayInputStream(bytes))) {
            for (Sheet sheet : workbook) {
                Map<String, String> cells = new LinkedHashMap<>();
                for (Row row : sheet) {
                    for (Cell cell : row) {
                        String value = value(cell, formatter);
                        if (!value.isEmpty()) {
                            cells.put(new CellReference(cell).formatAsString(false), value);
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
     * A cell's value; for a formula, its computed value (LibreOffice saves TRUE as the formula TRUE(): the same
     * value to an analyst, and to the decision table).
     */
    private static String value(Cell cell, DataFormatter formatter) {
        CellType type = cell.getCellType() == CellType.FORMULA ? cell.getCachedFormulaResultType() : cell.getCellType();
        if (type == CellType.NUMERIC) {
            BigDecimal number = BigDecimal.valueOf(cell.getNumericCellValue()).stripTrailingZeros();
            return (number.scale() < 0 ? number.setScale(0) : number).toPlainString();
        }
        if (type == CellType.BOOLEAN) {
            return String.valueOf(cell.getBooleanCellValue()).toUpperCase(Locale.ROOT);
        }
        if (type == CellType.STRING && cell.getCellType() == CellType.FORMULA) {
            return cell.getStringCellValue().strip();
        }
        return formatter.formatCellValue(cell).strip();
    }
}
