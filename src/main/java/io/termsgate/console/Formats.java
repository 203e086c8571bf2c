package io.termsgate.console;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * How the pages write times, versions and amounts. Every time is UTC, as the service decides in UTC; the
 * datetime-local fields of the forms are read as UTC too.
 */
final class Formats {

    static final Formats INSTANCE = new Formats();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter INPUT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Formats() {}

    public String time(Instant at) {
        return at == null ? "—" : TIME.format(at);
    }

    /** The value of a datetime-local field. */
    public String input(Instant at) {
        return at == null ? "" : INPUT.format(at);
    }

    /** {@code sha256:} and the first 12 hex digits: enough to tell versions apart on a page. */
    public String version(String version) {
        if (version == null) {
            return "—";
        }
        return version.length() > 19 ? version.substring(0, 19) + "…" : version;
    }

    /** Money with thousands separators, exact: 150000 becomes 150,000; 1234.5 becomes 1,234.5. */
    public String amount(Object value) {
        if (value == null) {
            return "—";
        }
        BigDecimal number;
        try {
            number = value instanceof BigDecimal b ? b : new BigDecimal(value.toString());
        } catch (NumberFormatException e) {
            return value.toString();
        }
        DecimalFormat format = new DecimalFormat("#,##0.##########", DecimalFormatSymbols.getInstance(Locale.ROOT));
        format.setParseBigDecimal(true);
        return format.format(number);
    }

    public String percent(double share) {
        return String.format(Locale.ROOT, "%.1f %%", share * 100);
    }

    /**
     * Reads a form's time: a datetime-local value ({@code 2026-11-22T10:00} or with seconds), read as UTC, or an
     * ISO-8601 instant ({@code 2026-11-22T10:00:00Z}). Empty is null.
     *
     * @throws DateTimeParseException when it is neither
     */
    static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String value = text.strip();
        if (value.endsWith("Z") || value.endsWith("z")) {
            return Instant.parse(value.toUpperCase(Locale.ROOT));
        }
        return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
    }
}
