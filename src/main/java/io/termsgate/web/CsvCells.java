package io.termsgate.web;

import java.util.regex.Pattern;

/**
 * The one way the service writes a CSV cell (the decision export, backtest reports): quoted when it holds a separator,
 * a quote or a line break, and neutralised against formula injection — a text starting with {@code = + - @}, a tab
 * or a carriage return is prefixed with {@code '} so a spreadsheet shows it instead of running it. Plain numbers
 * (a negative amount) stay numbers.
 */
public final class CsvCells {

    private static final String FORMULA_LEADS = "=+-@\t\r";
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

    private CsvCells() {}

    /** A value as a cell; null is an empty cell. */
    public static String cell(String value) {
        if (value == null) {
            return "";
        }
        String safe = !value.isEmpty()
                        && FORMULA_LEADS.indexOf(value.charAt(0)) >= 0
                        && !NUMBER.matcher(value).matches()
                ? "'" + value
                : value;
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }
}
