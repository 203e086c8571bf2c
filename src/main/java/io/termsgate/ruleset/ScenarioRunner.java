package io.termsgate.ruleset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.swagger.v3.oas.annotations.media.Schema;
import io.termsgate.creditapplication.DecisionRequestReader;
import io.termsgate.engine.ApplicationField;
import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.DecisionMath;
import io.termsgate.engine.Evaluation;
import io.termsgate.engine.ResultField;
import io.termsgate.engine.RulesetPaths;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.RulesetSource;
import io.termsgate.web.FieldError;
import io.termsgate.web.InvalidRequestException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;

/**
 * The analysts' own test cases: {@code decision-tables/scenarios/*.csv} or {@code *.xlsx}, one row per case, a
 * header row naming the columns. Input columns are the request's fields by path ({@code customer.country},
 * {@code customer.paymentHistory.invoicesPaid}, {@code order.amount}, ...); expected columns are
 * {@code expected.<output>} ({@code expected.outcome}, {@code expected.creditLimit}, {@code expected.reasons}, ...).
 * An empty input cell leaves the field out (its default applies); an empty expected cell is not checked. Lists
 * (flags, reasons) are written with spaces between values; {@code none} is the empty list. Optional columns:
 * {@code name}, and {@code decisionTime} (ISO-8601; default: when the scenarios run).
 *
 * <p>A file named after a DMN model of the ruleset ({@code decision-tables/scenarios/dunning.csv} for the model
 * {@code dunning}) holds that model's scenarios instead: see {@link ModelScenarios}.
 */
public final class ScenarioRunner {

    /** The request's fields by path, as {@link ApplicationField} lists them. */
    static final List<String> INPUT_COLUMNS = ApplicationField.paths();
    /** The result's fields a scenario can expect, as {@link ResultField} lists them. */
    static final List<String> OUTPUTS =
            ResultField.expectable().stream().map(ResultField::fieldName).toList();

    private static final CsvMapper CSV = new CsvMapper();
    private static final int MAX_ROWS = 10_000;

    /** An expected output that came out otherwise. */
    @Schema(name = "ScenarioMismatch")
    public record Mismatch(String output, String expected, String actual) {}

    /** One case: where it is, whether it passed, and if not why. */
    @Schema(name = "ScenarioResult")
    public record Result(
            String file, int row, String name, boolean passed, List<Mismatch> mismatches, List<String> engineErrors) {}

    /** Every case of the ruleset; {@code problems} are files or rows that could not be read as scenarios. */
    @Schema(name = "ScenarioReport")
    public record Report(int total, int passed, int failed, List<Result> results, List<RulesetProblem> problems) {

        public boolean allPassed() {
            return failed == 0 && problems.stream().noneMatch(RulesetProblem::isError);
        }

        /** Failing cases and unreadable rows as problems with their file and row, for a rejection. */
        public List<RulesetProblem> asProblems() {
            List<RulesetProblem> all = new ArrayList<>(problems);
            for (Result result : results) {
                if (!result.passed()) {
                    String message = "scenario '" + result.name() + "' failed: "
                            + String.join(
                                    "; ",
                                    result.mismatches().stream()
                                            .map(m ->
                                                    m.output() + " expected " + m.expected() + " but was " + m.actual())
                                            .toList())
                            + (result.engineErrors().isEmpty() ? "" : " (engine: " + result.engineErrors() + ")");
                    all.add(RulesetProblem.error(result.file(), "row " + result.row(), message));
                }
            }
            return all;
        }
    }

    private ScenarioRunner() {}

    public static boolean hasScenarios(RulesetSource source) {
        return source.files().keySet().stream().anyMatch(p -> RulesetPaths.kindOf(p) == RulesetPaths.Kind.SCENARIOS);
    }

    /** Runs every scenario file of {@code source} against {@code ruleset}. */
    public static Report run(RulesetSource source, CompiledRuleset ruleset, Instant now) {
        List<Result> results = new ArrayList<>();
        List<RulesetProblem> problems = new ArrayList<>();
        source.files().forEach((path, bytes) -> {
            if (RulesetPaths.kindOf(path) != RulesetPaths.Kind.SCENARIOS) {
                return;
            }
            List<List<String>> rows;
            try {
                rows = path.toLowerCase(Locale.ROOT).endsWith(".csv") ? csv(bytes) : xlsx(bytes);
            } catch (IOException | RuntimeException e) {
                problems.add(RulesetProblem.error(path, "", "cannot be read as scenarios: " + e.getMessage()));
                return;
            }
            String base = path.substring(path.lastIndexOf('/') + 1).replaceFirst("\\.[^.]*$", "");
            java.util.Optional<io.termsgate.engine.ModelDescription> model =
                    ruleset.models().stream().filter(m -> m.name().equals(base)).findFirst();
            if (model.isPresent()) {
                ModelScenarios.runFile(path, rows, model.get(), ruleset, results, problems);
            } else {
                runFile(path, rows, ruleset, now, results, problems);
            }
        });
        int passed = (int) results.stream().filter(Result::passed).count();
        return new Report(results.size(), passed, results.size() - passed, results, problems);
    }

    private static void runFile(
            String file,
            List<List<String>> rows,
            CompiledRuleset ruleset,
            Instant now,
            List<Result> results,
            List<RulesetProblem> problems) {
        if (rows.isEmpty()) {
            problems.add(RulesetProblem.warning(file, "", "no header row and no scenarios"));
            return;
        }
        List<String> header = rows.get(0).stream().map(String::strip).toList();
        boolean ok = true;
        for (int c = 0; c < header.size(); c++) {
            String column = header.get(c);
            if (column.isEmpty()
                    || column.equals("name")
                    || column.equals("decisionTime")
                    || INPUT_COLUMNS.contains(column)
                    || (column.startsWith("expected.") && OUTPUTS.contains(column.substring(9)))) {
                continue;
            }
            problems.add(RulesetProblem.error(
                    file,
                    "row 1, column " + columnName(c),
                    "unknown column '" + column
                            + "'; inputs are " + INPUT_COLUMNS + ", outputs expected." + OUTPUTS
                            + ", and name, decisionTime"));
            ok = false;
        }
        if (!ok) {
            return;
        }
        if (rows.size() - 1 > MAX_ROWS) {
            problems.add(RulesetProblem.error(file, "", "more than " + MAX_ROWS + " scenarios in one file"));
            return;
        }
        for (int r = 1; r < rows.size(); r++) {
            List<String> cells = rows.get(r);
            if (cells.stream().allMatch(String::isBlank)) {
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                row.put(header.get(c), c < cells.size() ? cells.get(c).strip() : "");
            }
            int rowNumber = r + 1;
            String name = row.getOrDefault("name", "").isEmpty() ? "row " + rowNumber : row.get("name");
            CreditApplication application;
            Instant at = now;
            try {
                application = DecisionRequestReader.readInputs(request(row));
                String time = row.getOrDefault("decisionTime", "");
                if (!time.isEmpty()) {
                    at = Instant.parse(time);
                }
            } catch (InvalidRequestException e) {
                for (FieldError error : e.errors()) {
                    problems.add(RulesetProblem.error(
                            file,
                            "row " + rowNumber + ", column "
                                    + columnName(header.indexOf(error.field().replaceAll("\\[\\d+]$", ""))) + " ("
                                    + error.field() + ")",
                            "scenario '" + name + "': " + error.message()));
                }
                continue;
            } catch (DateTimeParseException e) {
                problems.add(RulesetProblem.error(
                        file,
                        "row " + rowNumber + ", column " + columnName(header.indexOf("decisionTime")),
                        "decisionTime must be an ISO-8601 instant"));
                continue;
            }
            List<RulesetProblem> badExpectations = expectedNumbers(file, header, row, rowNumber, name);
            if (!badExpectations.isEmpty()) {
                problems.addAll(badExpectations);
                continue;
            }
            Evaluation evaluation = ruleset.evaluate(application, at);
            List<Mismatch> mismatches = new ArrayList<>();
            for (String output : OUTPUTS) {
                String expected = row.getOrDefault("expected." + output, "");
                if (expected.isEmpty()) {
                    continue;
                }
                String actual = actual(evaluation, output);
                if (!matches(output, expected, actual)) {
                    mismatches.add(new Mismatch(output, expected, actual));
                }
            }
            results.add(new Result(
                    file,
                    rowNumber,
                    name,
                    mismatches.isEmpty(),
                    mismatches,
                    evaluation.trace().errors()));
        }
    }

    private static JsonNode request(Map<String, String> row) {
        return DecisionRequestReader.requestOfCells(row);
    }

    /**
     * The expected numbers of a row, checked by the request's own rules before any is compared (comparing means
     * reading, and {@code 1E+300000000} read in full is 300 million digits): amounts as amounts, counts as integers.
     */
    private static List<RulesetProblem> expectedNumbers(
            String file, List<String> header, Map<String, String> row, int rowNumber, String name) {
        List<RulesetProblem> problems = new ArrayList<>();
        for (ResultField output : ResultField.expectable()) {
            String column = "expected." + output.fieldName();
            String expected = row.getOrDefault(column, "");
            if (expected.isEmpty() || !output.kind().numeric()) {
                continue;
            }
            JsonNode number = DecisionRequestReader.numberNode(expected);
            String problem = switch (output.kind()) {
                case AMOUNT -> DecisionRequestReader.amountProblem(number);
                case COUNT -> DecisionRequestReader.integerProblem(number, 0, Integer.MAX_VALUE);
                default -> DecisionRequestReader.integerProblem(number, Integer.MIN_VALUE, Integer.MAX_VALUE);
            };
            if (problem != null) {
                problems.add(RulesetProblem.error(
                        file,
                        "row " + rowNumber + ", column " + columnName(header.indexOf(column)) + " (" + column + ")",
                        "scenario '" + name + "': " + problem));
            }
        }
        return problems;
    }

    private static String actual(Evaluation e, String output) {
        Object value = ResultField.byName(output).of(e, null);
        if (value instanceof List<?> list) {
            return list.isEmpty()
                    ? "none"
                    : String.join(" ", list.stream().map(String::valueOf).toList());
        }
        return value instanceof BigDecimal number ? number.toPlainString() : String.valueOf(value);
    }

    private static boolean matches(String output, String expected, String actual) {
        ResultField.Kind kind = ResultField.byName(output).kind();
        if (kind.numeric()) {
            try {
                return DecisionMath.canonical(new BigDecimal(expected)).compareTo(new BigDecimal(actual)) == 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        if (kind == ResultField.Kind.LIST) {
            return list(expected).stream()
                    .sorted()
                    .toList()
                    .equals(list(actual).stream().sorted().toList());
        }
        return expected.equals(actual);
    }

    /** Values separated by spaces, commas or semicolons; "none" or "-" is the empty list. */
    private static List<String> list(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty() || trimmed.equalsIgnoreCase("none") || trimmed.equals("-")) {
            return List.of();
        }
        return Arrays.stream(trimmed.split("[\\s,;]+"))
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /** A1-style column letters for a 0-based index. */
    static String columnName(int index) {
        if (index < 0) {
            return "?";
        }
        StringBuilder name = new StringBuilder();
        for (int i = index; i >= 0; i = i / 26 - 1) {
            name.insert(0, (char) ('A' + i % 26));
        }
        return name.toString();
    }

    /**
     * RFC 4180 CSV read by Jackson: quoted fields (with commas, doubled quotes and line breaks), CRLF, LF or CR line
     * ends, an optional UTF-8 byte order mark. An empty line stays a row, so row numbers are the file's.
     *
     * @throws IllegalArgumentException when the text is not CSV
     */
    static List<List<String>> csv(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<List<String>> rows = new ArrayList<>();
        try (MappingIterator<String[]> records = CSV.readerFor(String[].class)
                .with(CsvParser.Feature.WRAP_AS_ARRAY)
                .readValues(text)) {
            while (records.hasNext()) {
                rows.add(List.of(records.next()));
            }
        } catch (IOException | RuntimeException e) {
            String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new IllegalArgumentException(
                    message.contains("closing quote") ? "a quoted field is never closed" : "not CSV: " + message, e);
        }
        return rows;
    }

    /** The first sheet of a workbook, as text; numbers keep their exact decimal value. */
    static List<List<String>> xlsx(byte[] bytes) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        DataFormatter formatter = new DataFormatter(Locale.ROOT);
        try (Workbook workbook = WorkbookFactory.create(new ByteArrayInputStream(bytes))) {
            Sheet sheet = workbook.getSheetAt(0);
            for (int r = 0; r <= sheet.getLastRowNum(); r++) {
                Row row = sheet.getRow(r);
                List<String> cells = new ArrayList<>();
                if (row != null) {
                    for (int c = 0; c < row.getLastCellNum(); c++) {
                        Cell cell = row.getCell(c);
                        CellType type = cell == null
                                ? CellType.BLANK
                                : cell.getCellType() == CellType.FORMULA
                                        ? cell.getCachedFormulaResultType()
                                        : cell.getCellType();
                        if (cell == null) {
                            cells.add("");
                        } else if (type == CellType.NUMERIC) {
                            cells.add(DecisionMath.canonical(BigDecimal.valueOf(cell.getNumericCellValue()))
                                    .toPlainString());
                        } else if (type == CellType.BOOLEAN) {
                            cells.add(String.valueOf(cell.getBooleanCellValue()));
                        } else if (type == CellType.STRING && cell.getCellType() == CellType.FORMULA) {
                            cells.add(cell.getStringCellValue());
                        } else {
                            cells.add(Objects.requireNonNullElse(formatter.formatCellValue(cell), ""));
                        }
                    }
                }
                rows.add(cells);
            }
        }
        return rows;
    }
}
