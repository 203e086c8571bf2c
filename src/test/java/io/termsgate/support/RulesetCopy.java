package io.termsgate.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;

/**
 * A copy of the default ruleset in a folder of the test's own, edited the way people edit it: cells of the
 * spreadsheet through Apache POI, the DMN and DRL as text.
 */
public final class RulesetCopy {

    private final Path root;

    private RulesetCopy(Path root) {
        this.root = root;
    }

    /** Copies rules/ and decision-tables/ of this repository into {@code target}. */
    public static RulesetCopy of(Path target) {
        try {
            for (String dir : new String[] {"rules", "decision-tables"}) {
                Path source = Path.of(dir);
                try (Stream<Path> files = Files.walk(source)) {
                    for (Path file : (Iterable<Path>) files::iterator) {
                        Path copy = target.resolve(
                                source.relativize(file).toString().isEmpty()
                                        ? dir
                                        : dir + "/" + source.relativize(file));
                        if (Files.isDirectory(file)) {
                            Files.createDirectories(copy);
                        } else {
                            Files.copy(file, copy);
                        }
                    }
                }
            }
            return new RulesetCopy(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path root() {
        return root;
    }

    public Path file(String path) {
        return root.resolve(path);
    }

    /**
     * Sets a cell of the scorecard workbook, found by its row (1-based, as Excel shows it) and the text of the label
     * in column B of that row, which must match: an edit that lands on the wrong row fails loudly.
     */
    public RulesetCopy setScorecardCell(int row, String expectedBand, String column, Object value) {
        Path xlsx = file("decision-tables/risk-scorecard.xlsx");
        try (InputStream in = Files.newInputStream(xlsx);
                Workbook workbook = WorkbookFactory.create(in)) {
            Sheet sheet = workbook.getSheet("Scorecard");
            Row r = sheet.getRow(row - 1);
            String band = r.getCell(1).getStringCellValue();
            if (!band.equals(expectedBand)) {
                throw new IllegalStateException("row " + row + " is '" + band + "', not '" + expectedBand + "'");
            }
            int columnIndex = column.charAt(0) - 'A';
            Cell cell = r.getCell(columnIndex) == null ? r.createCell(columnIndex) : r.getCell(columnIndex);
            if (value == null) {
                cell.setBlank();
            } else if (value instanceof Number n) {
                cell.setCellValue(n.doubleValue());
            } else if (value instanceof Boolean b) {
                cell.setCellValue(b);
            } else {
                cell.setCellValue(value.toString());
            }
            try (OutputStream out = Files.newOutputStream(xlsx)) {
                workbook.write(out);
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the analysts' scenarios, for tests about something else than what the scenarios expect. */
    public RulesetCopy withoutScenarios() {
        try (Stream<Path> files = Files.walk(file("decision-tables/scenarios"))) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces text in a file that must contain it exactly once. */
    public RulesetCopy replace(String path, String text, String replacement) {
        try {
            Path file = file(path);
            String content = Files.readString(file, StandardCharsets.UTF_8);
            int at = content.indexOf(text);
            if (at < 0 || content.indexOf(text, at + 1) >= 0) {
                throw new IllegalStateException(path + " does not contain exactly one '" + text + "'");
            }
            Files.writeString(file, content.replace(text, replacement), StandardCharsets.UTF_8);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RulesetCopy delete(String path) {
        try {
            Files.delete(file(path));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RulesetCopy write(String path, String content) {
        try {
            Files.createDirectories(file(path).getParent());
            Files.writeString(file(path), content, StandardCharsets.UTF_8);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
