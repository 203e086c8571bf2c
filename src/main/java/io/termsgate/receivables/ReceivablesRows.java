package io.termsgate.receivables;

import com.fasterxml.jackson.databind.JsonNode;
import io.termsgate.creditapplication.DecisionRequestReader;
import io.termsgate.web.CsvRows;
import io.termsgate.web.FieldError;
import io.termsgate.web.RowSource;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Checks one row of a receivables file: every column by the rule of the decision request field it stands for
 * ({@link DecisionRequestReader#cell} for CSV text, {@link DecisionRequestReader#field} for JSON values), and
 * {@code asOf} as an instant or a date. A blank (CSV) or {@code null}/absent (JSON) optional column is unknown.
 */
final class ReceivablesRows {

    static final String AS_OF_RULE = "must be an ISO-8601 instant (2026-11-30T00:00:00Z, or with an offset such as "
            + "+01:00; at most 6 decimal places of seconds) or a date (2026-11-30: the start of that day in UTC), "
            + "from 1970 on and not in the future";

    /** An as-of time may run this far ahead of the service's clock (the ERP's clock is another clock). */
    static final java.time.Duration CLOCK_LEEWAY = java.time.Duration.ofMinutes(5);

    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

    private ReceivablesRows() {}

    /** The row, or {@code null} with every problem of it added to {@code errors}. */
    static ReceivablesRow read(RowSource.RawRow raw, Instant now, List<RowError> errors) {
        if (!raw.problems().isEmpty()) {
            raw.problems().forEach(p -> errors.add(new RowError(raw.line(), p.field(), p.message())));
            return null;
        }
        int before = errors.size();
        for (String name : raw.values().keySet()) {
            if (!Column.NAMES.contains(name)) {
                errors.add(new RowError(
                        raw.line(),
                        printable(name),
                        "is not a column of a receivables file; allowed: " + Column.allowed()));
            }
        }
        Map<Column, Object> values = new EnumMap<>(Column.class);
        List<FieldError> problems = new ArrayList<>();
        for (Column column : Column.values()) {
            Object value = raw.values().get(column.columnName());
            if (value == null
                    || (value instanceof String text && text.isEmpty())
                    || (value instanceof JsonNode node && node.isNull())) {
                if (column.required()) {
                    problems.add(new FieldError(column.columnName(), "is required"));
                }
                continue;
            }
            Object read;
            if (column == Column.AS_OF) {
                read = asOf(value, now);
                if (read == null) {
                    problems.add(new FieldError(column.columnName(), AS_OF_RULE));
                }
            } else if (value instanceof String text) {
                read = DecisionRequestReader.cell(text, column.field(), column.columnName(), problems);
            } else {
                read = DecisionRequestReader.field((JsonNode) value, column.field(), column.columnName(), problems);
            }
            if (read != null) {
                values.put(column, read);
            }
        }
        problems.forEach(p -> errors.add(new RowError(raw.line(), p.field(), p.message())));
        if (errors.size() > before) {
            return null;
        }
        return new ReceivablesRow(
                raw.line(),
                (String) values.get(Column.CUSTOMER_ID),
                (Instant) values.get(Column.AS_OF),
                (BigDecimal) values.get(Column.OUTSTANDING_BALANCE),
                (Integer) values.get(Column.INVOICES_PAID),
                (BigDecimal) values.get(Column.AVG_DAYS_BEYOND_TERMS),
                (Integer) values.get(Column.MAX_DAYS_PAST_DUE));
    }

    /** An instant with an offset, or a date meaning the start of its day in UTC; {@code null} when it is neither. */
    static Instant asOf(Object value, Instant now) {
        String text;
        if (value instanceof String s) {
            text = s;
        } else if (value instanceof JsonNode node && node.isTextual()) {
            text = node.textValue();
        } else {
            return null;
        }
        if (text.length() > 40) {
            return null;
        }
        Instant instant;
        try {
            instant = text.length() == 10
                    ? LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE)
                            .atStartOfDay(ZoneOffset.UTC)
                            .toInstant()
                    : OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                            .toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
        // the database keeps microseconds: a finer time would not read back as the same snapshot
        if (instant.getNano() % 1000 != 0 || instant.isBefore(EARLIEST) || instant.isAfter(now.plus(CLOCK_LEEWAY))) {
            return null;
        }
        return instant;
    }

    /** Names come from the file: keep them short and printable before echoing them back. */
    static String printable(String name) {
        return CsvRows.printable(name);
    }
}
