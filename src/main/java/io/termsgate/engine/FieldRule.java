package io.termsgate.engine;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What an {@link ApplicationField} may hold: the line of the policy's Inputs table that the request reader enforces.
 * Plain data, so that the engine stays free of JSON; the reader at the edge turns these into checks and messages.
 */
public sealed interface FieldRule {

    /** A reference to a buyer or an order (customer id, order id): its pattern, and the rule as a message says it. */
    Pattern REFERENCE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    String REFERENCE_RULE = "must be 1 to 64 characters of A-Z a-z 0-9 . _ : -";

    /** The value used when the field is left out, or {@code null} when it is required (or simply absent). */
    Object whenAbsent();

    /**
     * Text matching {@code pattern}, and when {@code known} is given one of those; {@code rule} says so. An
     * {@code optional} text may be left out (then it is {@code null}).
     */
    record Text(Pattern pattern, String rule, Set<String> known, boolean optional) implements FieldRule {

        public Text(Pattern pattern, String rule, Set<String> known) {
            this(pattern, rule, known, false);
        }

        public Object whenAbsent() {
            return null;
        }
    }

    /** One value of a closed list. */
    record OneOf(Set<String> allowed) implements FieldRule {
        public Object whenAbsent() {
            return null;
        }

        public String rule() {
            return "must be one of " + String.join(", ", new TreeSet<>(allowed));
        }
    }

    /**
     * An exact decimal between {@code min} and {@code max} with at most {@code maxPlaces} decimal places;
     * {@code whenAbsent} {@code null} means required.
     */
    record Decimal(
            BigDecimal min,
            boolean minInclusive,
            BigDecimal max,
            boolean maxInclusive,
            int maxPlaces,
            String description,
            BigDecimal whenAbsent)
            implements FieldRule {

        public boolean contains(BigDecimal value) {
            int low = value.compareTo(min);
            int high = value.compareTo(max);
            return (minInclusive ? low >= 0 : low > 0) && (maxInclusive ? high <= 0 : high < 0);
        }

        public boolean required() {
            return whenAbsent == null;
        }
    }

    /**
     * A whole number from {@code min} to {@code max}, and when {@code allowed} is not empty one of those;
     * {@code whenAbsent} {@code null} means required. {@code nullable}: absent or {@code null} is a value of its own.
     */
    record Whole(int min, int max, Integer whenAbsent, boolean nullable, List<Integer> allowed) implements FieldRule {

        public String rule() {
            return max == Integer.MAX_VALUE ? "an integer of at least " + min : "an integer from " + min + " to " + max;
        }
    }

    /** Distinct values of a closed list; absent is the empty set. */
    record Flags(Set<String> allowed) implements FieldRule {
        public Object whenAbsent() {
            return Set.of();
        }

        public String rule() {
            return "must be an array of distinct values from " + String.join(", ", new TreeSet<>(allowed));
        }
    }

    /** Every number is kept below 10^15, so no input can be made arbitrarily long. */
    BigDecimal LIMIT = new BigDecimal("1000000000000000");

    static Decimal amountAtLeastZero(BigDecimal whenAbsent) {
        return new Decimal(
                BigDecimal.ZERO,
                true,
                LIMIT,
                false,
                2,
                "an amount of at least 0 with at most 2 decimal places, below 1000000000000000",
                whenAbsent);
    }

    static Decimal amountAboveZero() {
        return new Decimal(
                BigDecimal.ZERO,
                false,
                LIMIT,
                false,
                2,
                "an amount greater than 0 with at most 2 decimal places, below 1000000000000000",
                null);
    }
}
