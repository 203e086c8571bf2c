package io.termsgate.engine.drools;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.kie.dmn.api.feel.runtime.events.FEELEvent;
import org.kie.dmn.feel.FEEL;
import org.kie.dmn.feel.lang.CompiledExpression;
import org.kie.dmn.feel.lang.CompilerContext;
import org.kie.dmn.feel.lang.types.BuiltInType;

/**
 * The plain-Java FEEL subset ({@link FeelSubset}) against KIE's FEEL, construct by construct: random expressions of
 * the subset (arithmetic, comparisons, and/or, if, paths, lists, each function) over variables with random values
 * (numbers of every scale and beyond 34 digits, nulls, strings, booleans, lists of mixed items, a context, values of
 * the wrong type), and random {@code ?} tests; each evaluated by KIE's FEEL and by the subset. Where the subset answers,
 * KIE must have answered the same value exactly (class, BigDecimal scale, deep) without any FEEL event; where it hands
 * over, nothing is compared. The shares compared are asserted so that the test cannot pass by handing everything over.
 */
class FeelSubsetDifferentialTest {

    static final int EXPRESSIONS = Integer.getInteger("differential.feel-expressions", 1_500);
    static final int INPUTS_EACH = 8;

    private static final String[] NAMES = {"a", "b", "Big Number", "s", "t", "flag", "items", "ctx"};

    /** What each construct is recognised by in an expression's text, to count the comparisons that exercised it. */
    private static final String[] CONSTRUCTS = {
        " + ",
        " - ",
        " * ",
        " / ",
        "-(",
        " = ",
        " != ",
        " < ",
        " <= ",
        " > ",
        " >= ",
        " and ",
        " or ",
        "if ",
        "ctx.",
        "[",
        "min(",
        "max(",
        "sum(",
        "count(",
        "floor(",
        "ceiling(",
        "abs(",
        "not(",
        "concatenate(",
        "list contains(",
        "null",
        "?"
    };

    private final Random random = new Random(20261201L);

    @Test
    void theSubsetAnswersAsKiesFeelWhereverItAnswers() {
        FEEL feel = FEEL.newInstance(FeelSubsetDifferentialTest.class.getClassLoader(), List.of());
        List<FEELEvent> events = new ArrayList<>();
        feel.addListener(events::add);
        Map<String, Integer> slotOf = new HashMap<>();
        for (int i = 0; i < NAMES.length; i++) {
            slotOf.put(NAMES[i], i);
        }
        assertThat(FeelSubset.safeNames(slotOf.keySet())).isTrue();

        int expressions = 0;
        int compiled = 0;
        int compared = 0;
        int handedOver = 0;
        Map<String, Integer> comparedByConstruct = new TreeMap<>();
        List<String> mismatches = new ArrayList<>();
        for (int e = 0; e < EXPRESSIONS; e++) {
            boolean question = e % 5 == 4;
            String text = question ? questionTest() : anyExpression(3);
            expressions++;
            FeelSubset.Compiled java = FeelSubset.compile(text, slotOf, question, feel);
            CompilerContext context = feel.newCompilerContext();
            for (String name : NAMES) {
                context.addInputVariableType(name, BuiltInType.UNKNOWN);
            }
            if (question) {
                context.addInputVariableType("?", BuiltInType.UNKNOWN);
            }
            events.clear();
            CompiledExpression kie = feel.compile(text, context);
            if (java == null || kie == null || !events.isEmpty()) {
                continue; // outside the subset, or FEEL KIE itself refuses: nothing to compare
            }
            compiled++;
            for (int i = 0; i < INPUTS_EACH; i++) {
                Object[] slots = new Object[NAMES.length];
                boolean[] defined = new boolean[NAMES.length];
                Map<String, Object> variables = new LinkedHashMap<>();
                for (int n = 0; n < NAMES.length; n++) {
                    slots[n] = value(NAMES[n]);
                    defined[n] = true;
                    variables.put(NAMES[n], slots[n]);
                }
                Object q = question ? value(random.nextBoolean() ? "items" : "a") : null;
                if (question) {
                    variables.put("?", q);
                }
                Object answer;
                try {
                    answer = java.code().eval(slots, defined, q);
                } catch (RuntimeException unsure) { // as CompiledDmnModel takes any: the interpreter answers
                    handedOver++;
                    continue;
                }
                events.clear();
                Object expected;
                try {
                    expected = feel.evaluate(kie, variables);
                } catch (RuntimeException thrown) {
                    expected = thrown;
                }
                compared++;
                for (String construct : CONSTRUCTS) {
                    if (text.contains(construct)) {
                        comparedByConstruct.merge(construct.strip(), 1, Integer::sum);
                    }
                }
                if (!events.isEmpty() || !DmnDifferential.exactlyEqual(expected, answer)) {
                    if (mismatches.size() < 20) {
                        mismatches.add(text + " with " + variables + ": KIE " + describe(expected) + " "
                                + events.stream().map(FEELEvent::getMessage).toList() + ", subset "
                                + describe(answer));
                    }
                }
            }
        }
        System.out.printf(
                "FEEL subset differential: %d expressions, %d compiled to Java, %d evaluations compared, %d handed"
                        + " over; compared by construct %s%n",
                expressions, compiled, compared, handedOver, comparedByConstruct);
        assertThat(mismatches).isEmpty();
        assertThat(compiled).as("expressions the subset compiles").isGreaterThan(expressions * 8 / 10);
        assertThat(compared).as("evaluations answered by the subset").isGreaterThan(compiled * INPUTS_EACH / 3);
        for (String construct : CONSTRUCTS) {
            assertThat(comparedByConstruct.getOrDefault(construct.strip(), 0))
                    .as("comparisons exercising '%s'", construct.strip())
                    .isGreaterThan(10);
        }
    }

    /**
     * Division by a constant power of ten (as in {@code floor(x / 1000) * 1000}) moves the decimal point instead of
     * dividing: the same value at the same scale as DECIMAL128 division and as KIE's FEEL, for dividends of every sign,
     * scale and length (past 34 digits too) and divisors written every way.
     */
    @Test
    void divisionByAPowerOfTenIsExactlyKiesDivision() {
        FEEL feel = FEEL.newInstance(FeelSubsetDifferentialTest.class.getClassLoader(), List.of());
        List<FEELEvent> events = new ArrayList<>();
        feel.addListener(events::add);
        Map<String, Integer> slotOf = Map.of("a", 0);
        String[] divisors = {"1", "10", "1000", "1000.0", "1000.000", "0.1", "0.001", "100000000000000000000"};
        int compared = 0;
        List<String> mismatches = new ArrayList<>();
        for (String divisor : divisors) {
            String text = "a / " + divisor;
            FeelSubset.Compiled java = FeelSubset.compile(text, slotOf, false, feel);
            assertThat(java).as(text).isNotNull();
            CompilerContext context = feel.newCompilerContext();
            context.addInputVariableType("a", BuiltInType.UNKNOWN);
            CompiledExpression kie = feel.compile(text, context);
            BigDecimal d = new BigDecimal(divisor);
            assertThat(FeelSubset.powerOfTen(d)).as(divisor).isNotNull();
            for (int i = 0; i < 400; i++) {
                BigDecimal a = i == 0
                        ? BigDecimal.ZERO.setScale(random.nextInt(6) - 2)
                        : new BigDecimal(
                                new BigInteger(1 + random.nextInt(130), random)
                                        .multiply(BigInteger.valueOf(random.nextBoolean() ? 1 : -1)),
                                random.nextInt(30) - 10);
                Object subset = java.code().eval(new Object[] {a}, new boolean[] {true}, null);
                events.clear();
                Object expected = feel.evaluate(kie, Map.of("a", a));
                BigDecimal jdk = a.divide(d, MathContext.DECIMAL128);
                compared++;
                if (!events.isEmpty()
                        || !DmnDifferential.exactlyEqual(expected, subset)
                        || !DmnDifferential.exactlyEqual(jdk, subset)) {
                    mismatches.add(a + " / " + divisor + ": KIE " + describe(expected) + ", JDK " + describe(jdk)
                            + ", subset " + describe(subset));
                }
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(compared).isEqualTo(divisors.length * 400);
        // not powers of ten: divided as before
        for (Object other : new Object[] {new BigDecimal("-1000"), new BigDecimal("3"), new BigDecimal("20"), "1000"}) {
            assertThat(FeelSubset.powerOfTen(other)).as("%s", other).isNull();
        }
    }

    @Test
    void expressionsOutsideTheSubsetAreLeftToKie() {
        FEEL feel = FEEL.newInstance(FeelSubsetDifferentialTest.class.getClassLoader(), List.of());
        Map<String, Integer> slotOf = Map.of("a", 0, "Risk Route", 1, "s", 2);
        for (String text : List.of(
                "a ** 2",
                "for x in [1, 2] return x",
                "a between 1 and 2",
                "a in [1..2]",
                "string length(s)",
                "date(\"2024-01-01\")",
                "[1, 2][1]",
                "Risk Route.some field",
                "a < 1 < 2",
                "min(list: [1, 2])",
                "unknown + 1",
                "a(1)")) {
            assertThat(FeelSubset.compile(text, slotOf, false, feel)).as(text).isNull();
        }
        assertThat(FeelSubset.compile("? > 1", slotOf, false, feel))
                .as("? outside a unary test")
                .isNull();
        assertThat(FeelSubset.safeNames(List.of("Years in Business")))
                .as("a keyword in a name")
                .isFalse();
        assertThat(FeelSubset.safeNames(List.of("Risk-Score")))
                .as("a hyphen in a name")
                .isFalse();
        assertThat(FeelSubset.safeNames(List.of("min"))).as("a function's name").isFalse();
        assertThat(FeelSubset.compile("Risk   Route.route", slotOf, false, feel))
                .as("whitespace inside a name, as KIE normalises it")
                .isNotNull();
    }

    // ----------------------------------------------------------------------------------------- generation

    private String anyExpression(int depth) {
        return switch (random.nextInt(4)) {
            case 0 -> bool(depth);
            case 1 -> string(depth);
            case 2 -> list(depth);
            default -> number(depth);
        };
    }

    private String number(int depth) {
        int choice = depth <= 0 ? random.nextInt(5) : random.nextInt(22);
        return switch (choice) {
            case 0 -> "a";
            case 1 -> "b";
            case 2 -> "Big Number";
            case 3 -> "ctx.x";
            case 4 -> pick("0", "1", "7", "1000", "0.10", "2.5", "1.005", "100000000000000000000000000000000001", "3");
            case 5, 6 -> "(" + number(depth - 1) + " " + pick("+", "-", "*", "/") + " " + number(depth - 1) + ")";
            case 7 -> number(depth - 1) + " " + pick("+", "-", "*", "/") + " " + number(depth - 1);
            case 8 -> "-(" + number(depth - 1) + ")";
            case 9 -> pick("floor", "ceiling", "abs") + "(" + number(depth - 1) + ")";
            case 10 -> pick("min", "max") + "(" + number(depth - 1) + ", " + number(depth - 1) + ")";
            case 11 -> pick("min", "max", "sum") + "([" + number(depth - 1) + ", " + number(depth - 1) + "])";
            case 12 -> "sum(" + number(depth - 1) + ", " + number(depth - 1) + ", " + number(depth - 1) + ")";
            case 13 -> "count(" + pick("items", "[1, 2, 3]", "[]") + ")";
            case 14 -> "if " + bool(depth - 1) + " then " + number(depth - 1) + " else " + number(depth - 1);
            case 15 -> "null";
            case 16 -> pick("min", "max", "sum") + "(items)";
            case 17 -> "(" + string(depth - 1) + " " + pick("+", "-", "*", "/") + " " + number(depth - 1) + ")";
            case 18 -> "(" + bool(depth - 1) + " " + pick("+", "*") + " " + number(depth - 1) + ")";
            case 19 -> "max(" + number(depth - 1) + ", " + number(depth - 1) + ", " + number(depth - 1) + ")";
            default -> number(depth - 1) + " " + pick("+", "-") + " " + number(depth - 1);
        };
    }

    private String string(int depth) {
        int choice = depth <= 0 ? random.nextInt(4) : random.nextInt(8);
        return switch (choice) {
            case 0 -> "s";
            case 1 -> "t";
            case 2 -> "ctx.y";
            case 3 -> pick("\"A\"", "\"B\"", "\"\"", "\"NONE\"", "\"x\\\"y\"");
            case 4, 5 -> string(depth - 1) + " + " + string(depth - 1);
            case 6 -> "if " + bool(depth - 1) + " then " + string(depth - 1) + " else " + string(depth - 1);
            default -> pick("min", "max") + "(" + string(depth - 1) + ", " + string(depth - 1) + ")";
        };
    }

    private String bool(int depth) {
        int choice = depth <= 0 ? random.nextInt(3) : random.nextInt(14);
        return switch (choice) {
            case 0 -> "flag";
            case 1 -> pick("true", "false");
            case 2 -> pick("a", "s", "flag") + " " + pick("=", "!=") + " null";
            case 3, 4 -> number(depth - 1) + " " + pick("=", "!=", "<", "<=", ">", ">=") + " " + number(depth - 1);
            case 5 -> string(depth - 1) + " " + pick("=", "!=", "<", "<=", ">", ">=") + " " + string(depth - 1);
            case 6 -> "not(" + bool(depth - 1) + ")";
            case 7, 8 -> bool(depth - 1) + " " + pick("and", "or") + " " + bool(depth - 1);
            case 9 -> "list contains(" + list(depth - 1) + ", " + pick("\"A\"", "s", "a", "1", "null") + ")";
            case 10 -> "(" + bool(depth - 1) + ") = (" + bool(depth - 1) + ")";
            case 11 -> number(depth - 1) + " " + pick("=", "<") + " " + string(depth - 1);
            case 12 -> "if " + bool(depth - 1) + " then " + bool(depth - 1) + " else " + bool(depth - 1);
            default -> pick("a", "b") + " " + pick("<", ">=") + " " + pick("flag", "null");
        };
    }

    private String list(int depth) {
        int choice = depth <= 0 ? random.nextInt(3) : random.nextInt(7);
        return switch (choice) {
            case 0 -> "items";
            case 1 -> "[]";
            case 2 -> pick("[\"A\", \"B\"]", "[1, 2.0, 3]", "[\"A\"]");
            case 3 -> "[" + number(depth - 1) + ", " + string(depth - 1) + "]";
            case 4 -> "concatenate(" + list(depth - 1) + ", " + list(depth - 1) + ")";
            case 5 -> "concatenate(" + list(depth - 1) + ", " + pick("s", "a", "null") + ", " + list(depth - 1) + ")";
            default -> "if " + bool(depth - 1) + " then " + list(depth - 1) + " else " + list(depth - 1);
        };
    }

    /** A unary test of the forms decision tables use: {@code list contains(?, …)}, comparisons of {@code ?}. */
    private String questionTest() {
        return switch (random.nextInt(5)) {
            case 0, 1 -> "list contains(?, " + pick("\"A\"", "\"CFO\"", "s", "1", "a") + ")";
            case 2 -> "? " + pick("<", ">=", "=", "!=") + " " + number(1);
            case 3 -> "? > a and ? < b";
            default -> "not(list contains(?, " + pick("\"A\"", "t") + "))";
        };
    }

    private Object value(String name) {
        int roll = random.nextInt(20);
        if (roll == 0) {
            return null;
        }
        if (roll == 1) {
            return pick("wrong", Boolean.TRUE, List.of("A"), Map.of("x", BigDecimal.ONE));
        }
        return switch (name) {
            case "a", "b", "Big Number" -> number();
            case "s", "t" -> pick("A", "B", "", "NONE", "x\"y", "CFO");
            case "flag" -> random.nextBoolean();
            case "items" -> items();
            default -> {
                Map<String, Object> ctx = new LinkedHashMap<>();
                ctx.put("x", random.nextInt(6) == 0 ? null : number());
                if (random.nextInt(8) > 0) {
                    ctx.put("y", random.nextInt(6) == 0 ? null : pick("A", "B", "NONE"));
                }
                yield ctx;
            }
        };
    }

    private BigDecimal number() {
        return switch (random.nextInt(6)) {
            case 0 -> new BigDecimal(pick("0", "0.00", "1", "1.0", "-3", "2.5", "1000", "0.10", "7"));
            case 1 -> BigDecimal.valueOf(random.nextInt(2_000_000) - 1_000_000, random.nextInt(5));
            case 2 -> new BigDecimal("123456789012345678901234567890.123456789");
            case 3 -> BigDecimal.valueOf(random.nextLong(), random.nextInt(20) - 5);
            default -> BigDecimal.valueOf(random.nextInt(200) - 50);
        };
    }

    private List<Object> items() {
        List<Object> items = new ArrayList<>();
        int size = random.nextInt(4);
        for (int i = 0; i < size; i++) {
            items.add(
                    switch (random.nextInt(6)) {
                        case 0 -> null;
                        case 1, 2 -> pick("A", "B", "CFO");
                        case 3 -> Boolean.FALSE;
                        default -> number();
                    });
        }
        return items;
    }

    @SafeVarargs
    private <T> T pick(T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static String describe(Object value) {
        return value == null ? "null" : value + " (" + value.getClass().getSimpleName() + ")";
    }
}
