package io.termsgate.engine.drools;

import io.termsgate.engine.DecisionMath;
import io.termsgate.engine.ModelResult;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.chrono.ChronoPeriod;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kie.dmn.api.core.DMNType;
import org.kie.dmn.api.core.DMNUnaryTest;
import org.kie.dmn.feel.lang.types.impl.ComparablePeriod;
import org.kie.dmn.feel.runtime.custom.ZoneTime;

/**
 * FEEL values to and from the plain values of a JSON document, exactly (docs/decision-services.md): numbers are
 * {@link BigDecimal}s both ways; {@code date}, {@code time}, {@code date and time} and both kinds of duration are ISO
 * 8601 strings; contexts are maps, lists are lists, null is null. An input is read by its declared type: a value of
 * another type is a problem naming the input, never a silent null.
 */
final class FeelValues {

    static final Set<String> BUILT_IN = Set.of(
            "number",
            "string",
            "boolean",
            "date",
            "time",
            "date and time",
            "dateTime",
            "days and time duration",
            "dayTimeDuration",
            "years and months duration",
            "yearMonthDuration",
            "duration",
            "context",
            "list",
            "Any",
            "range",
            "function");

    private FeelValues() {}

    /** The FEEL type of a declared type's values (of each element, for a collection). */
    static String feelOf(DMNType type) {
        DMNType at = type;
        for (int depth = 0; at != null && depth < 50; depth++) {
            if (at.isComposite()) {
                return "context";
            }
            if (at.getBaseType() == null && BUILT_IN.contains(at.getName())) {
                return switch (at.getName()) {
                    case "dateTime" -> "date and time";
                    case "dayTimeDuration" -> "days and time duration";
                    case "yearMonthDuration" -> "years and months duration";
                    default -> at.getName();
                };
            }
            at = at.getBaseType();
        }
        return "Any";
    }

    /** The type of each element of a collection type. */
    private static DMNType elementOf(DMNType collection) {
        if (collection.isComposite()) {
            return null; // the fields are the element's: handled by the caller
        }
        DMNType base = collection.getBaseType();
        return base != null && base != collection ? base : null;
    }

    static String allowedValues(DMNType type) {
        for (DMNType at = type; at != null; at = at.getBaseType()) {
            List<DMNUnaryTest> allowed = at.getAllowedValues();
            if (allowed != null && !allowed.isEmpty()) {
                return String.join(", ", allowed.stream().map(Object::toString).toList());
            }
            if (at.getBaseType() == at) {
                break;
            }
        }
        return null;
    }

    /**
     * Reads an input by its declared type.
     *
     * @param name the input's name (a path below it for fields and elements), for problems
     * @param problems where a value of the wrong type is reported
     */
    static Object toFeel(String name, DMNType type, Object value, List<ModelResult.InputProblem> problems) {
        int before = problems.size();
        Object feel = read(name, type, value, problems, 0);
        if (problems.size() == before && feel != null && type != null && !type.isAssignableValue(feel)) {
            String allowed = allowedValues(type);
            problems.add(new ModelResult.InputProblem(
                    name,
                    "is not a value of type '" + type.getName() + "'"
                            + (allowed == null ? "" : " (allowed: " + allowed + ")")));
        }
        return feel;
    }

    private static Object read(
            String name, DMNType type, Object value, List<ModelResult.InputProblem> problems, int depth) {
        if (value == null) {
            return null;
        }
        if (depth > 32) {
            problems.add(new ModelResult.InputProblem(name, "is nested too deeply"));
            return null;
        }
        if (type == null) {
            return plain(name, value, problems, depth);
        }
        if (type.isCollection()) {
            if (!(value instanceof List<?> list)) {
                problems.add(new ModelResult.InputProblem(name, "must be a list (a JSON array)"));
                return null;
            }
            List<Object> feel = new ArrayList<>(list.size());
            DMNType element = elementOf(type);
            for (int i = 0; i < list.size(); i++) {
                String at = name + "[" + i + "]";
                feel.add(
                        type.isComposite()
                                ? context(at, type, list.get(i), problems, depth + 1)
                                : read(at, element, list.get(i), problems, depth + 1));
            }
            return feel;
        }
        if (type.isComposite()) {
            return context(name, type, value, problems, depth);
        }
        String feel = feelOf(type);
        try {
            return switch (feel) {
                case "number" ->
                    value instanceof BigDecimal number
                            ? number
                            : value instanceof BigInteger || value instanceof Long || value instanceof Integer
                                    ? new BigDecimal(value.toString())
                                    : wrong(name, "a number", problems);
                case "string" -> value instanceof String text ? text : wrong(name, "a string", problems);
                case "boolean" -> value instanceof Boolean b ? b : wrong(name, "true or false", problems);
                case "date" ->
                    value instanceof String text
                            ? LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE)
                            : wrong(name, "a date (yyyy-mm-dd)", problems);
                case "time" -> value instanceof String text ? time(text) : wrong(name, "a time (hh:mm:ss)", problems);
                case "date and time" ->
                    value instanceof String text
                            ? dateTime(text)
                            : wrong(name, "a date and time (yyyy-mm-ddThh:mm:ss, with an offset or not)", problems);
                case "days and time duration" ->
                    value instanceof String text
                            ? Duration.parse(text)
                            : wrong(name, "a days and time duration (ISO 8601, e.g. P2DT3H)", problems);
                case "years and months duration" ->
                    value instanceof String text
                            ? yearsAndMonths(text)
                            : wrong(name, "a years and months duration (ISO 8601, e.g. P1Y2M)", problems);
                case "duration" ->
                    value instanceof String text
                            ? (text.contains("Y") || (text.contains("M") && !text.contains("T"))
                                    ? yearsAndMonths(text)
                                    : Duration.parse(text))
                            : wrong(name, "a duration (ISO 8601)", problems);
                case "context" -> plain(name, value, problems, depth);
                case "list" ->
                    value instanceof List<?> ? plain(name, value, problems, depth) : wrong(name, "a list", problems);
                default -> plain(name, value, problems, depth); // Any: as JSON gives it
            };
        } catch (DateTimeParseException | ArithmeticException e) {
            return wrong(
                    name,
                    switch (feel) {
                        case "date" -> "a date (yyyy-mm-dd)";
                        case "time" -> "a time (hh:mm:ss, with an offset or a zone id or neither)";
                        case "date and time" ->
                            "a date and time (yyyy-mm-ddThh:mm:ss, with an offset or a zone id or neither)";
                        case "days and time duration" -> "a days and time duration (ISO 8601, e.g. P2DT3H)";
                        case "years and months duration" -> "a years and months duration (ISO 8601, e.g. P1Y2M)";
                        default -> "a duration (ISO 8601)";
                    },
                    problems);
        }
    }

    private static Object context(
            String name, DMNType type, Object value, List<ModelResult.InputProblem> problems, int depth) {
        if (!(value instanceof Map<?, ?> map)) {
            problems.add(new ModelResult.InputProblem(
                    name,
                    "must be an object with the fields " + type.getFields().keySet()));
            return null;
        }
        Map<String, Object> feel = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String field = String.valueOf(entry.getKey());
            if (!type.getFields().containsKey(field)) {
                problems.add(new ModelResult.InputProblem(
                        name + "." + field,
                        "is not a field of type '" + type.getName() + "'; its fields are "
                                + type.getFields().keySet()));
                continue;
            }
            feel.put(field, toFeel(name + "." + field, type.getFields().get(field), entry.getValue(), problems));
        }
        return feel;
    }

    /** A value of no declared type: as JSON gives it (strings stay strings). */
    private static Object plain(String name, Object value, List<ModelResult.InputProblem> problems, int depth) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> feel = new LinkedHashMap<>();
            map.forEach((k, v) -> feel.put(String.valueOf(k), read(name + "." + k, null, v, problems, depth + 1)));
            return feel;
        }
        if (value instanceof List<?> list) {
            List<Object> feel = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                feel.add(read(name + "[" + i + "]", null, list.get(i), problems, depth + 1));
            }
            return feel;
        }
        if (value instanceof BigInteger integer) {
            return new BigDecimal(integer);
        }
        return value;
    }

    private static Object wrong(String name, String expected, List<ModelResult.InputProblem> problems) {
        problems.add(new ModelResult.InputProblem(name, "must be " + expected));
        return null;
    }

    /**
     * A FEEL time: {@code hh:mm:ss} local, with an offset ({@code 10:00:00+01:00}, {@code 10:00:00Z}), or with a zone
     * id in FEEL's form ({@code 10:00:00@Europe/Paris}: ISO 8601 has none for a time, whose offset depends on a date).
     */
    private static Object time(String text) {
        int at = text.indexOf('@');
        if (at >= 0) {
            return ZoneTime.of(
                    LocalTime.parse(text.substring(0, at), DateTimeFormatter.ISO_LOCAL_TIME),
                    zone(text.substring(at + 1), text),
                    true);
        }
        TemporalAccessor parsed = DateTimeFormatter.ISO_TIME.parse(text);
        return parsed.isSupported(java.time.temporal.ChronoField.OFFSET_SECONDS)
                ? OffsetTime.from(parsed)
                : LocalTime.from(parsed);
    }

    /**
     * A FEEL date and time: local, with an offset, with an offset and a zone id as Java and RFC 9557 write it
     * ({@code 2026-12-01T10:00:00+01:00[Europe/Paris]}), with a zone id alone ({@code 2026-12-01T10:00:00[Europe/Paris]})
     * or in FEEL's form ({@code 2026-12-01T10:00:00@Europe/Paris}). A zone id is kept, not turned into an offset.
     */
    private static Object dateTime(String text) {
        int at = text.indexOf('@');
        int bracket = text.indexOf('[');
        if (at >= 0 || (bracket >= 0 && !hasOffset(text.substring(0, bracket)))) {
            int split = at >= 0 ? at : bracket;
            if (bracket >= 0 && !text.endsWith("]")) {
                throw new DateTimeParseException("an unclosed zone id", text, bracket);
            }
            String zone = at >= 0 ? text.substring(at + 1) : text.substring(bracket + 1, text.length() - 1);
            LocalDateTime local = LocalDateTime.parse(text.substring(0, split), DateTimeFormatter.ISO_LOCAL_DATE_TIME);
            return ZonedDateTime.ofLocal(local, zone(zone, text), null);
        }
        TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parse(text);
        if (parsed.query(java.time.temporal.TemporalQueries.zone()) != null) {
            return ZonedDateTime.from(parsed);
        }
        return LocalDateTime.from(parsed);
    }

    private static boolean hasOffset(String dateTime) {
        int time = dateTime.indexOf('T');
        return time >= 0
                && (dateTime.endsWith("Z") || dateTime.indexOf('+', time) >= 0 || dateTime.indexOf('-', time) >= 0);
    }

    private static ZoneId zone(String id, String text) {
        try {
            return ZoneId.of(id);
        } catch (java.time.DateTimeException e) {
            throw new DateTimeParseException("an unknown zone id", text, 0, e);
        }
    }

    private static ComparablePeriod yearsAndMonths(String text) {
        Period period = Period.parse(text);
        if (period.getDays() != 0) {
            throw new DateTimeParseException("days in a years and months duration", text, 0);
        }
        return new ComparablePeriod(period.normalized());
    }

    /** A FEEL value as a plain, exact, JSON-friendly value. */
    static Object toPlain(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof BigDecimal number) {
            return DecisionMath.canonical(number);
        }
        if (value instanceof Number number) {
            return DecisionMath.canonical(new BigDecimal(number.toString()));
        }
        if (value instanceof LocalDate date) {
            return date.toString();
        }
        if (value instanceof LocalTime time) {
            return DateTimeFormatter.ISO_LOCAL_TIME.format(time);
        }
        if (value instanceof OffsetTime time) {
            return DateTimeFormatter.ISO_OFFSET_TIME.format(time);
        }
        if (value instanceof LocalDateTime dateTime) {
            return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(dateTime);
        }
        if (value instanceof OffsetDateTime dateTime) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(dateTime);
        }
        if (value instanceof ZonedDateTime dateTime) {
            return dateTime.getZone() instanceof ZoneOffset
                    ? DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(dateTime)
                    : DateTimeFormatter.ISO_ZONED_DATE_TIME.format(dateTime);
        }
        if (value instanceof Duration duration) {
            return duration(duration);
        }
        if (value instanceof ChronoPeriod period) {
            long months = ComparablePeriod.toTotalMonths(period);
            if (months == 0) {
                return "P0M";
            }
            long abs = Math.abs(months);
            String text = "P" + (abs / 12 == 0 && abs % 12 != 0 ? "" : (abs / 12) + "Y")
                    + (abs % 12 == 0 && abs / 12 != 0 ? "" : (abs % 12) + "M");
            return months < 0 ? "-" + text : text;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> plain = new LinkedHashMap<>();
            map.forEach((k, v) -> plain.put(String.valueOf(k), toPlain(v)));
            return plain;
        }
        if (value instanceof Collection<?> list) {
            List<Object> plain = new ArrayList<>(list.size());
            list.forEach(v -> plain.add(toPlain(v)));
            return plain;
        }
        if (value instanceof ZoneTime time) {
            // FEEL's form, always with seconds like a local time: 10:00:00@Europe/Paris
            return DateTimeFormatter.ISO_LOCAL_TIME.format(LocalTime.from(time)) + "@" + time.getTimezone();
        }
        // a range, a function: their FEEL text
        return value.toString();
    }

    /** ISO 8601 with days, as FEEL writes it: {@code P1DT2H}, {@code -PT30M}, {@code PT0S}. */
    static String duration(Duration duration) {
        Duration abs = duration.abs();
        long days = abs.toDays();
        Duration rest = abs.minusDays(days);
        StringBuilder text = new StringBuilder(duration.isNegative() ? "-P" : "P");
        if (days > 0) {
            text.append(days).append('D');
        }
        if (!rest.isZero() || days == 0) {
            text.append(rest.toString().substring(1));
        }
        return text.toString();
    }
}
