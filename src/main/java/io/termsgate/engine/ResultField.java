package io.termsgate.engine;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * The one description of a decision's result: every field once, in the order checkout reads them, with how it is
 * read from an {@link Evaluation} (the currency is the order's). The canonical JSON of the log, the scenario columns
 * ({@code expected.<name>}), the CSV exports and the replay comparison are derived from this list.
 */
public enum ResultField {
    OUTCOME("outcome", Kind.TEXT, true, true, (e, currency) -> e.outcome().name()),
    APPROVAL_ROUTE(
            "approvalRoute",
            Kind.TEXT,
            true,
            true,
            (e, currency) -> e.approvalRoute().name()),
    /** {@code null} only when the engine failed before scoring. */
    RISK_SCORE("riskScore", Kind.INTEGER, true, false, (e, currency) -> e.riskScore()),
    /** {@code null} only when the engine failed before grading. */
    RISK_GRADE("riskGrade", Kind.TEXT, true, true, (e, currency) -> e.riskGrade()),
    CREDIT_LIMIT("creditLimit", Kind.AMOUNT, true, true, (e, currency) -> e.creditLimit()),
    AVAILABLE_CREDIT("availableCredit", Kind.AMOUNT, true, true, (e, currency) -> e.availableCredit()),
    TERM_DAYS("termDays", Kind.COUNT, true, true, (e, currency) -> e.termDays()),
    CURRENCY("currency", Kind.TEXT, false, false, (e, currency) -> currency),
    REASONS("reasons", Kind.LIST, true, true, (e, currency) -> e.reasons());

    /** How a value is written and compared. */
    public enum Kind {
        TEXT,
        INTEGER,
        COUNT,
        AMOUNT,
        LIST;

        /** Compared as numbers: {@code 400000} is {@code 400000.00}. */
        public boolean numeric() {
            return this == INTEGER || this == COUNT || this == AMOUNT;
        }
    }

    private final String fieldName;
    private final Kind kind;
    private final boolean expectable;
    private final boolean inBacktestExport;
    private final BiFunction<Evaluation, String, Object> reader;

    ResultField(
            String fieldName,
            Kind kind,
            boolean expectable,
            boolean inBacktestExport,
            BiFunction<Evaluation, String, Object> reader) {
        this.fieldName = fieldName;
        this.kind = kind;
        this.expectable = expectable;
        this.inBacktestExport = inBacktestExport;
        this.reader = reader;
    }

    /** The field names in order: {@code outcome, approvalRoute, ...}. */
    public static List<String> names() {
        return Arrays.stream(values()).map(ResultField::fieldName).toList();
    }

    /** The fields a scenario can expect (its {@code expected.<name>} columns); the currency is the request's. */
    public static List<ResultField> expectable() {
        return Arrays.stream(values()).filter(f -> f.expectable).toList();
    }

    /** The fields a backtest's CSV shows before and after. */
    public static List<ResultField> inBacktestExport() {
        return Arrays.stream(values()).filter(f -> f.inBacktestExport).toList();
    }

    /** {@code creditLimit} */
    public String fieldName() {
        return fieldName;
    }

    /** Its column in CSV exports: {@code credit_limit}. */
    public String column() {
        return fieldName.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
    }

    public Kind kind() {
        return kind;
    }

    /** The field named {@code name}, or {@code null}. */
    public static ResultField byName(String name) {
        return Arrays.stream(values())
                .filter(f -> f.fieldName.equals(name))
                .findFirst()
                .orElse(null);
    }

    /** Its value: String, Integer (may be null), BigDecimal or a List of String. */
    public Object of(Evaluation evaluation, String currency) {
        return reader.apply(evaluation, currency);
    }
}
