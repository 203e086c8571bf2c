package io.termsgate.engine.drools;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.kie.dmn.feel.FEEL;
import org.kie.dmn.feel.lang.types.impl.ComparablePeriod;

/**
 * The common subset of FEEL unary tests, compiled to plain Java: {@code -}; literals (strings, numbers, booleans,
 * {@code null}, {@code date("…")}, {@code duration("…")}); comparisons {@code < <= > >=} and {@code =} with a literal;
 * ranges {@code [a..b]}, {@code (a..b)}, {@code ]a..b[}; comma lists of these; {@code not(…)} of a list. Literals are
 * evaluated once, by KIE's own FEEL, so a literal is exactly the value the interpreter compares with.
 *
 * <p>A test answers {@link #YES}, {@link #NO} or {@link #UNSURE}: unsure where the interpreter's answer could come
 * with a FEEL event or depend on a coercion this subset does not model (a null, a list or a value of another type
 * than the literal). The compiled evaluation then hands the whole evaluation to the interpreter.
 */
final class UnaryTests {

    static final int NO = 0;
    static final int YES = 1;
    static final int UNSURE = 2;

    /** One compiled test of an input value. */
    @FunctionalInterface
    interface Test {
        int test(Object input);
    }

    static final Test ANY = input -> YES;

    private UnaryTests() {}

    /** @return the compiled test, or {@code null} when the text is outside the subset */
    static Test compile(String text, FEEL feel) {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        if (t.equals("-") || t.isEmpty()) {
            return ANY;
        }
        if (t.startsWith("not(") && t.endsWith(")")) {
            Test inner = list(t.substring(4, t.length() - 1), feel);
            if (inner == null) {
                return null;
            }
            return input -> {
                if (input == null) {
                    return UNSURE;
                }
                int r = inner.test(input);
                return r == UNSURE ? UNSURE : r == YES ? NO : YES;
            };
        }
        return list(t, feel);
    }

    private static Test list(String text, FEEL feel) {
        List<String> parts = splitTopLevel(text);
        if (parts == null || parts.isEmpty()) {
            return null;
        }
        List<Test> tests = new ArrayList<>();
        for (String part : parts) {
            Test test = single(part.strip(), feel);
            if (test == null) {
                return null;
            }
            tests.add(test);
        }
        if (tests.size() == 1) {
            return tests.get(0);
        }
        Test[] all = tests.toArray(Test[]::new);
        return input -> {
            boolean unsure = false;
            for (Test test : all) {
                int r = test.test(input);
                if (r == YES) {
                    return unsure ? UNSURE : YES;
                }
                if (r == UNSURE) {
                    unsure = true;
                }
            }
            return unsure ? UNSURE : NO;
        };
    }

    private static Test single(String t, FEEL feel) {
        if (t.equals("null")) {
            return input -> input == null ? YES : NO;
        }
        if (t.length() > 2 && (t.charAt(0) == '[' || t.charAt(0) == '(' || t.charAt(0) == ']')) {
            return range(t, feel);
        }
        String op = null;
        for (String candidate : new String[] {"<=", ">=", "<", ">", "="}) {
            if (t.startsWith(candidate) && !t.startsWith("!=")) {
                op = candidate;
                break;
            }
        }
        Object literal = literal(op == null ? t : t.substring(op.length()).strip(), feel);
        if (literal == null) {
            return null;
        }
        if (op == null || op.equals("=")) {
            return input -> equal(input, literal);
        }
        if (literal instanceof Boolean) {
            return null;
        }
        String operator = op;
        return input -> {
            int c = compare(input, literal);
            if (c == Integer.MIN_VALUE) {
                return UNSURE;
            }
            boolean yes = switch (operator) {
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                default -> c >= 0;
            };
            return yes ? YES : NO;
        };
    }

    private static Test range(String t, FEEL feel) {
        char open = t.charAt(0);
        char close = t.charAt(t.length() - 1);
        if (close != ']' && close != ')' && close != '[') {
            return null;
        }
        String body = t.substring(1, t.length() - 1);
        int dots = indexOutsideQuotes(body, "..");
        if (dots < 0) {
            return null;
        }
        Object low = literal(body.substring(0, dots).strip(), feel);
        Object high = literal(body.substring(dots + 2).strip(), feel);
        if (low == null
                || high == null
                || low instanceof Boolean
                || !low.getClass().equals(high.getClass())) {
            return null;
        }
        boolean lowClosed = open == '[';
        boolean highClosed = close == ']';
        return input -> {
            int a = compare(input, low);
            int b = compare(input, high);
            if (a == Integer.MIN_VALUE || b == Integer.MIN_VALUE) {
                return UNSURE;
            }
            boolean yes = (lowClosed ? a >= 0 : a > 0) && (highClosed ? b <= 0 : b < 0);
            return yes ? YES : NO;
        };
    }

    /** A literal of the subset, evaluated by KIE's FEEL; {@code null} when the text is not one. */
    static Object literal(String t, FEEL feel) {
        if (t.isEmpty()) {
            return null;
        }
        boolean ok = t.equals("true")
                || t.equals("false")
                || t.matches("-?\\d+(\\.\\d+)?")
                || t.matches("\"(?:[^\"\\\\]|\\\\.)*\"")
                || t.matches("(date|duration)\\(\"[0-9A-Za-z:.\\-+]*\"\\)");
        if (!ok) {
            return null;
        }
        Object value = feel.evaluate(t);
        if (value instanceof BigDecimal
                || value instanceof String
                || value instanceof Boolean
                || value instanceof LocalDate
                || value instanceof Duration
                || value instanceof ComparablePeriod) {
            return value;
        }
        return null;
    }

    private static int equal(Object input, Object literal) {
        if (input == null) {
            return UNSURE;
        }
        if (literal instanceof Boolean || literal instanceof String) {
            if (input.getClass() != literal.getClass()) {
                return UNSURE;
            }
            return input.equals(literal) ? YES : NO;
        }
        int c = compare(input, literal);
        return c == Integer.MIN_VALUE ? UNSURE : c == 0 ? YES : NO;
    }

    /** {@code Integer.MIN_VALUE} when the two cannot be compared plainly (null, another type, a list). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object input, Object literal) {
        if (input == null || input instanceof Collection<?> || input.getClass() != literal.getClass()) {
            return Integer.MIN_VALUE;
        }
        if (input instanceof Boolean) {
            return Integer.MIN_VALUE;
        }
        int c = ((Comparable) input).compareTo(literal);
        return Integer.signum(c);
    }

    /** Splits at commas outside quotes, brackets and parentheses; {@code null} when the text is unbalanced. */
    static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            switch (c) {
                case '"' -> quoted = true;
                case '(', '[' -> depth++;
                case ')', ']' -> depth--;
                case ',' -> {
                    if (depth == 0) {
                        parts.add(text.substring(start, i));
                        start = i + 1;
                    }
                }
                default -> {}
            }
        }
        if (quoted || depth != 0) {
            return null;
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static int indexOutsideQuotes(String text, String what) {
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (text.startsWith(what, i)) {
                return i;
            }
        }
        return -1;
    }
}
