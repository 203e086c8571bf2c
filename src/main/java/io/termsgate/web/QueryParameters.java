package io.termsgate.web;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/** Reading query parameters the same way on every endpoint, collecting what is wrong for one 400 problem. */
public final class QueryParameters {

    private QueryParameters() {}

    /** An ISO-8601 instant ({@code 2026-11-01T00:00:00Z}), or null when absent; a bad one is added to errors. */
    public static Instant instant(String name, Optional<String> value, List<FieldError> errors) {
        if (value.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value.get());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(name, "must be an ISO-8601 instant in UTC, e.g. 2026-11-01T00:00:00Z"));
            return null;
        }
    }

    /** A whole number from min to max, or {@code whenAbsent} when absent; a bad one is added to errors. */
    public static int integer(
            String name, Optional<String> value, int whenAbsent, int min, int max, List<FieldError> errors) {
        if (value.isEmpty()) {
            return whenAbsent;
        }
        try {
            int number = Integer.parseInt(value.get());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new FieldError(name, "must be an integer from " + min + " to " + max));
        return whenAbsent;
    }

    /** A window [from, to): both optional, from before to. */
    public static void checkWindow(Instant from, Instant to, List<FieldError> errors) {
        if (from != null && to != null && !from.isBefore(to)) {
            errors.add(new FieldError("to", "must be after from"));
        }
    }
}
