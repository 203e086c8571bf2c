package io.termsgate.engine.drools;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.kie.dmn.feel.FEEL;

/**
 * The common subset of FEEL expressions compiled to plain Java, for {@link CompiledDmnModel}: numbers, strings,
 * {@code true}, {@code false}, {@code null}; names of inputs and decisions and {@code Name.field} paths; {@code ?} in a
 * unary test; {@code + - * /} and unary {@code -} on numbers (FEEL's {@link MathContext#DECIMAL128}), {@code +} on
 * strings; {@code = != < <= > >=}; {@code and}, {@code or}; {@code if … then … else …}; list literals; and the
 * functions {@code min}, {@code max}, {@code sum}, {@code count}, {@code floor}, {@code ceiling}, {@code abs},
 * {@code not}, {@code concatenate} and {@code list contains}.
 *
 * <p>Each construct does what KIE 10.2's FEEL does for the values it handles plainly (numbers as {@link BigDecimal},
 * strings, booleans, nulls, lists and contexts), nulls included: {@code null + 1} is null, {@code x = null} is false,
 * {@code null < 1} is null, as KIE gives them without any event. Wherever KIE would raise a FEEL event (a division by
 * zero, {@code min([])}, a function given null, a negated null) or where its answer depends on coercions this subset
 * does not model (another kind of number, dates, a singleton list compared with its element), evaluation throws
 * {@link #UNSURE} and the whole evaluation goes to KIE's interpreter. {@code DmnCompiledDifferentialTest} and
 * {@code FeelSubsetDifferentialTest} compare every construct with KIE's own evaluation.
 *
 * <p>An expression outside the subset (any other function, {@code for}, filters, ranges, dates, names with characters
 * or words this parser does not take apart safely) is not compiled here: {@link #compile} answers {@code null}, and
 * the caller compiles it with KIE's FEEL compiler instead.
 */
final class FeelSubset {

    /** A compiled expression over the slots of one evaluation; {@code question} is a unary test's input {@code ?}. */
    @FunctionalInterface
    interface Code {
        Object eval(Object[] slots, boolean[] defined, Object question);
    }

    /** The expression and whether it reads any name (then it needs the evaluation's slots). */
    record Compiled(Code code, boolean readsNames) {}

    /** Thrown by an evaluation whose answer KIE's interpreter must give. */
    static final class Unsure extends RuntimeException {
        Unsure() {
            super("handed to the interpreter", null, false, false);
        }
    }

    static final Unsure UNSURE = new Unsure();

    private static final MathContext FEEL_MATH = MathContext.DECIMAL128;
    private static final BigDecimal MINUS_ONE = BigDecimal.valueOf(-1);

    private static final Set<String> KEYWORDS = Set.of(
            "if",
            "then",
            "else",
            "and",
            "or",
            "not",
            "for",
            "some",
            "every",
            "in",
            "return",
            "satisfies",
            "instance",
            "of",
            "between",
            "true",
            "false",
            "null",
            "function",
            "external");

    /** The functions of the subset, longest first (so that {@code list contains} wins over a name {@code list}). */
    private static final List<String> FUNCTIONS =
            List.of("list contains", "concatenate", "ceiling", "floor", "count", "abs", "sum", "min", "max", "not");

    /** A name this parser takes apart exactly as KIE's does: words of letters, digits and _, one space between. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*( [A-Za-z_][A-Za-z0-9_]*)*");

    private FeelSubset() {}

    /**
     * Whether the names of a model allow its expressions to be compiled here: every name safe (see {@link #SAFE_NAME}),
     * no word of a name a FEEL keyword, no name a function of the subset.
     */
    static boolean safeNames(Collection<String> names) {
        for (String name : names) {
            if (name == null || !SAFE_NAME.matcher(name).matches()) {
                return false;
            }
            for (String word : name.split(" ")) {
                if (KEYWORDS.contains(word)) {
                    return false;
                }
            }
            for (String function : FUNCTIONS) {
                if (name.equals(function) || name.startsWith(function + " ") || function.startsWith(name + " ")) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * @param slotOf the slot of each name in scope (its names must have passed {@link #safeNames})
     * @param question whether {@code ?} is in scope (a unary test)
     * @param feel evaluates the number and string literals once, so they are exactly KIE's values
     * @return the compiled expression, or {@code null} when the text is outside the subset
     */
    static Compiled compile(String text, Map<String, Integer> slotOf, boolean question, FEEL feel) {
        if (text == null) {
            return null;
        }
        String normalized = normalize(text.strip());
        if (normalized == null || normalized.isEmpty()) {
            return null;
        }
        List<String> names = new ArrayList<>(slotOf.keySet());
        names.sort(Comparator.comparingInt(String::length).reversed());
        Parser parser = new Parser(normalized, names, slotOf, question, feel);
        try {
            Node node = parser.expression();
            parser.space();
            if (parser.pos != normalized.length()) {
                return null;
            }
            return new Compiled(node.code(), parser.readsNames);
        } catch (NotInSubset e) {
            return null;
        }
    }

    /** Whitespace outside string literals as one space (KIE normalises names the same way); null if unbalanced. */
    static String normalize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean quoted = false;
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                out.append(c);
                if (c == '\\' && i + 1 < text.length()) {
                    out.append(text.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            if (Character.isWhitespace(c)) {
                space = true;
                continue;
            }
            if (space && !out.isEmpty()) {
                out.append(' ');
            }
            space = false;
            out.append(c);
            if (c == '"') {
                quoted = true;
            }
        }
        return quoted ? null : out.toString();
    }

    private static final class NotInSubset extends RuntimeException {
        NotInSubset() {
            super(null, null, false, false);
        }
    }

    private static final NotInSubset NOT_IN_SUBSET = new NotInSubset();

    // ------------------------------------------------------------------------------------------------ the tree

    /** A parsed expression: its code, and its value when it is a constant. */
    private record Node(Code code, boolean constant, Object value) {
        static Node of(Code code) {
            return new Node(code, false, null);
        }

        static Node constant(Object value) {
            return new Node((slots, defined, question) -> value, true, value);
        }
    }

    private static final class Parser {
        private final String s;
        private final List<String> names;
        private final Map<String, Integer> slotOf;
        private final boolean question;
        private final FEEL feel;
        int pos;
        boolean readsNames;

        Parser(String s, List<String> names, Map<String, Integer> slotOf, boolean question, FEEL feel) {
            this.s = s;
            this.names = names;
            this.slotOf = slotOf;
            this.question = question;
            this.feel = feel;
        }

        void space() {
            while (pos < s.length() && s.charAt(pos) == ' ') {
                pos++;
            }
        }

        private boolean nameChar(int at) {
            if (at >= s.length()) {
                return false;
            }
            char c = s.charAt(at);
            return Character.isLetterOrDigit(c) || c == '_' || c == '?' || c == '\'';
        }

        /** The word {@code k} at the current position, followed by no name character. */
        private boolean keyword(String k) {
            space();
            if (s.startsWith(k, pos) && !nameChar(pos + k.length())) {
                pos += k.length();
                return true;
            }
            return false;
        }

        private boolean symbol(String op) {
            space();
            if (s.startsWith(op, pos)) {
                pos += op.length();
                return true;
            }
            return false;
        }

        private void expect(String op) {
            if (!symbol(op)) {
                throw NOT_IN_SUBSET;
            }
        }

        Node expression() {
            space();
            if (keyword("if")) {
                Node condition = expression();
                if (!keyword("then")) {
                    throw NOT_IN_SUBSET;
                }
                Node then = expression();
                if (!keyword("else")) {
                    throw NOT_IN_SUBSET;
                }
                Node otherwise = expression();
                Code c = condition.code();
                Code t = then.code();
                Code e = otherwise.code();
                // KIE: the then branch only for Boolean.TRUE itself
                return Node.of((slots, defined, q) -> c.eval(slots, defined, q) == Boolean.TRUE
                        ? t.eval(slots, defined, q)
                        : e.eval(slots, defined, q));
            }
            for (String refused : List.of("for", "some", "every", "function")) {
                if (keyword(refused)) {
                    throw NOT_IN_SUBSET;
                }
            }
            return disjunction();
        }

        private Node disjunction() {
            Node left = conjunction();
            while (keyword("or")) {
                Code l = left.code();
                Code r = conjunction().code();
                left = Node.of((slots, defined, q) -> or(l, r, slots, defined, q));
            }
            return left;
        }

        private Node conjunction() {
            Node left = comparison();
            while (keyword("and")) {
                Code l = left.code();
                Code r = comparison().code();
                left = Node.of((slots, defined, q) -> and(l, r, slots, defined, q));
            }
            return left;
        }

        private Node comparison() {
            Node left = additive();
            space();
            String op = null;
            for (String candidate : new String[] {"<=", ">=", "!=", "=", "<", ">"}) {
                if (s.startsWith(candidate, pos)) {
                    op = candidate;
                    break;
                }
            }
            if (op == null) {
                if (keyword("between") || keyword("in") || keyword("instance")) {
                    throw NOT_IN_SUBSET;
                }
                return left;
            }
            pos += op.length();
            Node right = additive();
            space();
            if (pos < s.length() && "<>=!".indexOf(s.charAt(pos)) >= 0) {
                throw NOT_IN_SUBSET; // chained comparisons
            }
            Code l = left.code();
            Code r = right.code();
            return switch (op) {
                case "=" ->
                    fold(
                            Node.of((slots, defined, q) -> equal(l.eval(slots, defined, q), r.eval(slots, defined, q))),
                            left,
                            right);
                case "!=" ->
                    fold(
                            Node.of((slots, defined, q) ->
                                    notEqual(l.eval(slots, defined, q), r.eval(slots, defined, q))),
                            left,
                            right);
                case "<" ->
                    fold(
                            Node.of((slots, defined, q) ->
                                    compare(l.eval(slots, defined, q), r.eval(slots, defined, q), LT)),
                            left,
                            right);
                case "<=" ->
                    fold(
                            Node.of((slots, defined, q) ->
                                    compare(l.eval(slots, defined, q), r.eval(slots, defined, q), LE)),
                            left,
                            right);
                case ">" ->
                    fold(
                            Node.of((slots, defined, q) ->
                                    compare(l.eval(slots, defined, q), r.eval(slots, defined, q), GT)),
                            left,
                            right);
                default ->
                    fold(
                            Node.of((slots, defined, q) ->
                                    compare(l.eval(slots, defined, q), r.eval(slots, defined, q), GE)),
                            left,
                            right);
            };
        }

        private Node additive() {
            Node left = multiplicative();
            while (true) {
                space();
                if (s.startsWith("+", pos)) {
                    pos++;
                    Node right = multiplicative();
                    Code l = left.code();
                    Code r = right.code();
                    left = fold(
                            Node.of((slots, defined, q) -> add(l.eval(slots, defined, q), r.eval(slots, defined, q))),
                            left,
                            right);
                } else if (s.startsWith("-", pos)) {
                    pos++;
                    Node right = multiplicative();
                    Code l = left.code();
                    Code r = right.code();
                    left = fold(
                            Node.of((slots, defined, q) ->
                                    subtract(l.eval(slots, defined, q), r.eval(slots, defined, q))),
                            left,
                            right);
                } else {
                    return left;
                }
            }
        }

        private Node multiplicative() {
            Node left = unary();
            while (true) {
                space();
                if (s.startsWith("**", pos)) {
                    throw NOT_IN_SUBSET;
                }
                if (s.startsWith("*", pos)) {
                    pos++;
                    Node right = unary();
                    Code l = left.code();
                    Code r = right.code();
                    left = fold(
                            Node.of((slots, defined, q) ->
                                    multiply(l.eval(slots, defined, q), r.eval(slots, defined, q))),
                            left,
                            right);
                } else if (s.startsWith("/", pos)) {
                    pos++;
                    Node right = unary();
                    Code l = left.code();
                    Code r = right.code();
                    BigDecimal powerOfTen = right.constant() ? powerOfTen(right.value()) : null;
                    int exponent = powerOfTen == null
                            ? 0
                            : -powerOfTen.stripTrailingZeros().scale();
                    left = fold(
                            powerOfTen != null
                                    ? Node.of((slots, defined, q) ->
                                            divideByPowerOfTen(l.eval(slots, defined, q), powerOfTen, exponent))
                                    : Node.of((slots, defined, q) ->
                                            divide(l.eval(slots, defined, q), r.eval(slots, defined, q))),
                            left,
                            right);
                } else {
                    return left;
                }
            }
        }

        private Node unary() {
            space();
            if (s.startsWith("-", pos)) {
                pos++;
                Node operand = unary();
                Code o = operand.code();
                return fold(Node.of((slots, defined, q) -> negate(o.eval(slots, defined, q))), operand, operand);
            }
            if (s.startsWith("+", pos)) {
                throw NOT_IN_SUBSET;
            }
            return postfix();
        }

        private Node postfix() {
            Node node = primary();
            while (true) {
                space();
                if (s.startsWith("[", pos)) {
                    throw NOT_IN_SUBSET; // filters
                }
                if (!s.startsWith(".", pos)) {
                    return node;
                }
                pos++;
                space();
                int start = pos;
                while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                    pos++;
                }
                String field = s.substring(start, pos);
                if (field.isEmpty()
                        || !Character.isLetter(field.charAt(0)) && field.charAt(0) != '_'
                        || nameChar(pos)) {
                    throw NOT_IN_SUBSET;
                }
                // a field name of several words would be read differently by KIE: only a keyword or an operator may
                // follow
                int after = pos;
                space();
                if (pos < s.length() && Character.isLetter(s.charAt(pos))) {
                    int wordEnd = pos;
                    while (wordEnd < s.length() && nameChar(wordEnd)) {
                        wordEnd++;
                    }
                    if (!KEYWORDS.contains(s.substring(pos, wordEnd))) {
                        throw NOT_IN_SUBSET;
                    }
                }
                pos = after;
                Code base = node.code();
                node = Node.of((slots, defined, q) -> field(base.eval(slots, defined, q), field));
            }
        }

        private Node primary() {
            space();
            if (pos >= s.length()) {
                throw NOT_IN_SUBSET;
            }
            char c = s.charAt(pos);
            if (c == '(') {
                pos++;
                Node inner = expression();
                expect(")");
                return inner;
            }
            if (c == '[') {
                pos++;
                List<Node> elements = arguments("]");
                Code[] codes = elements.stream().map(Node::code).toArray(Code[]::new);
                // a new list each time, as KIE's list node makes one
                return Node.of((slots, defined, q) -> {
                    List<Object> list = new ArrayList<>(codes.length);
                    for (Code code : codes) {
                        list.add(code.eval(slots, defined, q));
                    }
                    return list;
                });
            }
            if (c == '"') {
                int start = pos;
                pos++;
                while (pos < s.length() && s.charAt(pos) != '"') {
                    if (s.charAt(pos) == '\\') {
                        pos++;
                    }
                    pos++;
                }
                if (pos >= s.length()) {
                    throw NOT_IN_SUBSET;
                }
                pos++;
                return literal(s.substring(start, pos), String.class);
            }
            if (Character.isDigit(c) || c == '.' && pos + 1 < s.length() && Character.isDigit(s.charAt(pos + 1))) {
                int start = pos;
                while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                    pos++;
                }
                if (pos + 1 < s.length() && s.charAt(pos) == '.' && Character.isDigit(s.charAt(pos + 1))) {
                    pos++;
                    while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                        pos++;
                    }
                }
                if (pos < s.length() && (s.charAt(pos) == '.' || nameChar(pos))) {
                    throw NOT_IN_SUBSET; // 1..2, 1.5.3, 2e3, 3days
                }
                return literal(s.substring(start, pos), BigDecimal.class);
            }
            if (c == '?') {
                if (!question || nameChar(pos + 1)) {
                    throw NOT_IN_SUBSET;
                }
                pos++;
                return Node.of((slots, defined, q) -> q);
            }
            if (keyword("true")) {
                return Node.constant(Boolean.TRUE);
            }
            if (keyword("false")) {
                return Node.constant(Boolean.FALSE);
            }
            if (keyword("null")) {
                return Node.constant(null);
            }
            for (String name : names) {
                if (s.startsWith(name, pos) && !nameChar(pos + name.length())) {
                    pos += name.length();
                    space();
                    if (s.startsWith("(", pos)) {
                        throw NOT_IN_SUBSET; // a name invoked: a business knowledge model or a decision service
                    }
                    int slot = slotOf.get(name);
                    readsNames = true;
                    return Node.of((slots, defined, q) -> {
                        if (!defined[slot]) {
                            throw UNSURE;
                        }
                        return slots[slot];
                    });
                }
            }
            for (String function : FUNCTIONS) {
                if (s.startsWith(function, pos) && !nameChar(pos + function.length())) {
                    pos += function.length();
                    expect("(");
                    return function(function, arguments(")"));
                }
            }
            throw NOT_IN_SUBSET;
        }

        /** Comma-separated expressions up to {@code close}; no named arguments. */
        private List<Node> arguments(String close) {
            List<Node> arguments = new ArrayList<>();
            if (symbol(close)) {
                return arguments;
            }
            do {
                arguments.add(expression());
                space();
                if (s.startsWith(":", pos)) {
                    throw NOT_IN_SUBSET;
                }
            } while (symbol(","));
            expect(close);
            return arguments;
        }

        /** A number or string literal, evaluated once by KIE's FEEL: the very value its parser makes. */
        private Node literal(String token, Class<?> type) {
            Object value;
            try {
                value = feel.evaluate(token);
            } catch (RuntimeException e) {
                throw NOT_IN_SUBSET;
            }
            if (!type.isInstance(value)) {
                throw NOT_IN_SUBSET;
            }
            return Node.constant(value);
        }

        private Node function(String name, List<Node> args) {
            int n = args.size();
            Code[] a = args.stream().map(Node::code).toArray(Code[]::new);
            return switch (name) {
                case "min", "max", "sum", "count" -> {
                    if (n == 0) {
                        throw NOT_IN_SUBSET;
                    }
                    boolean min = name.equals("min");
                    Code values = n == 1 ? listArgument(a[0]) : values(a);
                    yield switch (name) {
                        case "sum" -> Node.of((slots, defined, q) -> sum((List<?>) values.eval(slots, defined, q)));
                        case "count" ->
                            Node.of((slots, defined, q) ->
                                    BigDecimal.valueOf(((List<?>) values.eval(slots, defined, q)).size()));
                        default ->
                            Node.of((slots, defined, q) -> extreme((List<?>) values.eval(slots, defined, q), min));
                    };
                }
                case "floor", "ceiling", "abs" -> {
                    if (n != 1) {
                        throw NOT_IN_SUBSET;
                    }
                    Code x = a[0];
                    Node node = switch (name) {
                        case "floor" ->
                            Node.of((slots, defined, q) ->
                                    number(x.eval(slots, defined, q)).setScale(0, RoundingMode.FLOOR));
                        case "ceiling" ->
                            Node.of((slots, defined, q) ->
                                    number(x.eval(slots, defined, q)).setScale(0, RoundingMode.CEILING));
                        default ->
                            Node.of((slots, defined, q) ->
                                    number(x.eval(slots, defined, q)).abs());
                    };
                    yield fold(node, args.get(0), args.get(0));
                }
                case "not" -> {
                    if (n != 1) {
                        throw NOT_IN_SUBSET;
                    }
                    Code x = a[0];
                    yield Node.of((slots, defined, q) -> not(x.eval(slots, defined, q)));
                }
                case "concatenate" -> {
                    if (n < 2) {
                        throw NOT_IN_SUBSET;
                    }
                    yield Node.of((slots, defined, q) -> {
                        List<Object> result = new ArrayList<>();
                        for (Code code : a) {
                            Object list = code.eval(slots, defined, q);
                            if (list == null) {
                                throw UNSURE; // KIE: an error event
                            }
                            if (list instanceof Collection<?> items) {
                                result.addAll(items);
                            } else {
                                result.add(list);
                            }
                        }
                        return result;
                    });
                }
                case "list contains" -> {
                    if (n != 2) {
                        throw NOT_IN_SUBSET;
                    }
                    Code list = a[0];
                    Code element = a[1];
                    yield Node.of((slots, defined, q) ->
                            listContains(list.eval(slots, defined, q), element.eval(slots, defined, q)));
                }
                default -> throw NOT_IN_SUBSET;
            };
        }

        /** The only argument, which must be a list ({@code min(list)}; a single value is KIE's coercion, not ours). */
        private static Code listArgument(Code a) {
            return (slots, defined, q) -> {
                Object value = a.eval(slots, defined, q);
                if (!(value instanceof List<?>)) {
                    throw UNSURE;
                }
                return value;
            };
        }

        /** The arguments themselves as the list ({@code min(a, b, c)}). */
        private static Code values(Code[] a) {
            return (slots, defined, q) -> {
                List<Object> values = new ArrayList<>(a.length);
                for (Code code : a) {
                    values.add(code.eval(slots, defined, q));
                }
                return values;
            };
        }

        /** A node of constants only, evaluated now (when it evaluates plainly); otherwise the node as it is. */
        private static Node fold(Node node, Node left, Node right) {
            if (!left.constant() || !right.constant()) {
                return node;
            }
            try {
                return Node.constant(node.code().eval(null, null, null));
            } catch (RuntimeException e) {
                return node; // unsure at run time too: the interpreter answers then
            }
        }
    }

    // ------------------------------------------------------------------------------------ FEEL's semantics

    private static final int LT = 0;
    private static final int LE = 1;
    private static final int GT = 2;
    private static final int GE = 3;

    /** {@code +}: numbers; strings concatenated (a string with anything else is null); null with a number is null. */
    static Object add(Object l, Object r) {
        if (l instanceof BigDecimal a && r instanceof BigDecimal b) {
            return a.add(b, FEEL_MATH);
        }
        if (l instanceof String || r instanceof String) {
            return l instanceof String a && r instanceof String b ? a + b : null;
        }
        if (nullWithNumber(l, r)) {
            return null;
        }
        throw UNSURE;
    }

    static Object subtract(Object l, Object r) {
        if (l instanceof BigDecimal a && r instanceof BigDecimal b) {
            return a.subtract(b, FEEL_MATH);
        }
        if (l instanceof String || r instanceof String || nullWithNumber(l, r)) {
            return null;
        }
        throw UNSURE;
    }

    static Object multiply(Object l, Object r) {
        if (l instanceof BigDecimal a && r instanceof BigDecimal b) {
            return a.multiply(b, FEEL_MATH);
        }
        if (numberStringOrNull(l) && numberStringOrNull(r)) {
            return null; // a string or a null involved: null, without an event
        }
        throw UNSURE;
    }

    static Object divide(Object l, Object r) {
        if (l instanceof BigDecimal a && r instanceof BigDecimal b) {
            if (b.signum() == 0) {
                throw UNSURE; // KIE: null and an error event
            }
            return a.divide(b, FEEL_MATH);
        }
        if (numberStringOrNull(l) && numberStringOrNull(r)) {
            return null;
        }
        throw UNSURE;
    }

    /** A constant divisor that is a positive power of ten (1000, 1E+3, 0.01, 1000.0), or {@code null}. */
    static BigDecimal powerOfTen(Object value) {
        if (value instanceof BigDecimal d
                && d.signum() > 0
                && d.scale() > -1_000
                && d.scale() < 1_000
                && d.stripTrailingZeros().unscaledValue().equals(java.math.BigInteger.ONE)) {
            return d;
        }
        return null;
    }

    /**
     * {@code divide(l, divisor)} for a divisor that is a power of ten, without a long division: the quotient is the
     * dividend's digits with the decimal point moved, exact whenever the dividend has at most 34 digits, so it is what
     * DECIMAL128 division gives: that exact value at the JDK's preferred scale (the dividend's scale less the
     * divisor's) or, where the value needs more, at the least scale that holds it. Anything else (a zero, a longer
     * dividend, a value not a number) is divided as usual. {@code FeelSubsetDifferentialTest} compares it with
     * DECIMAL128 division on random dividends and divisors.
     *
     * @param exponent the divisor is 10 to this power
     */
    static Object divideByPowerOfTen(Object l, BigDecimal divisor, int exponent) {
        if (l instanceof BigDecimal a && a.signum() != 0 && a.precision() <= FEEL_MATH.getPrecision()) {
            long preferred = (long) a.scale() - divisor.scale();
            if (Math.abs(preferred) < 1_000_000 && Math.abs((long) a.scale() + exponent) < 1_000_000) {
                BigDecimal quotient = a.scaleByPowerOfTen(-exponent).stripTrailingZeros();
                return quotient.scale() < preferred ? quotient.setScale((int) preferred) : quotient;
            }
        }
        return divide(l, divisor);
    }

    static Object negate(Object value) {
        if (value instanceof BigDecimal number) {
            return MINUS_ONE.multiply(number); // as KIE's signed unary node does
        }
        throw UNSURE; // null and strings raise events; durations are not in the subset
    }

    private static boolean nullWithNumber(Object l, Object r) {
        return (l == null && (r == null || r instanceof BigDecimal)) || (r == null && l instanceof BigDecimal);
    }

    private static boolean numberStringOrNull(Object v) {
        return v == null || v instanceof BigDecimal || v instanceof String;
    }

    /** FEEL {@code =}: null equals null only; numbers by value (1.0 = 1); strings and booleans by equality. */
    static Boolean equal(Object l, Object r) {
        if (l == null || r == null) {
            return l == r;
        }
        if (l instanceof BigDecimal a && r instanceof BigDecimal b) {
            return a.compareTo(b) == 0;
        }
        if ((l instanceof String && r instanceof String) || (l instanceof Boolean && r instanceof Boolean)) {
            return l.equals(r);
        }
        throw UNSURE; // lists (a singleton equals its element), contexts, dates, mixed types
    }

    static Boolean notEqual(Object l, Object r) {
        return !equal(l, r);
    }

    /** FEEL {@code < <= > >=} on numbers and strings; null with anything but a boolean is null. */
    static Boolean compare(Object l, Object r, int op) {
        if (l == null || r == null) {
            if (l instanceof Boolean || r instanceof Boolean) {
                throw UNSURE; // FEEL's own rules for a boolean and null
            }
            return null;
        }
        int c;
        if (l instanceof BigDecimal a && r instanceof BigDecimal b) {
            c = a.compareTo(b);
        } else if (l instanceof String a && r instanceof String b) {
            c = a.compareTo(b);
        } else {
            throw UNSURE;
        }
        return switch (op) {
            case LT -> c < 0;
            case LE -> c <= 0;
            case GT -> c > 0;
            default -> c >= 0;
        };
    }

    /** FEEL's three-valued {@code and}: false wins without evaluating the right side; a non-boolean counts as null. */
    private static Object and(Code left, Code right, Object[] slots, boolean[] defined, Object q) {
        Object l = left.eval(slots, defined, q);
        if (Boolean.FALSE.equals(l)) {
            return Boolean.FALSE;
        }
        Object r = right.eval(slots, defined, q);
        if (r != null && !(r instanceof Boolean)) {
            throw UNSURE; // KIE: an event
        }
        if (Boolean.TRUE.equals(l)) {
            return r;
        }
        return Boolean.FALSE.equals(r) ? Boolean.FALSE : null;
    }

    private static Object or(Code left, Code right, Object[] slots, boolean[] defined, Object q) {
        Object l = left.eval(slots, defined, q);
        if (Boolean.TRUE.equals(l)) {
            return Boolean.TRUE;
        }
        Object r = right.eval(slots, defined, q);
        if (r != null && !(r instanceof Boolean)) {
            throw UNSURE;
        }
        if (Boolean.FALSE.equals(l)) {
            return r;
        }
        return Boolean.TRUE.equals(r) ? Boolean.TRUE : null;
    }

    private static Object not(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Boolean b) {
            return !b;
        }
        throw UNSURE;
    }

    /** A context's field; anything else (null, a list, a missing field) goes to the interpreter. */
    private static Object field(Object base, String field) {
        if (base instanceof Map<?, ?> map) {
            Object value = map.get(field);
            if (value != null || map.containsKey(field)) {
                return value;
            }
        }
        throw UNSURE;
    }

    private static BigDecimal number(Object value) {
        if (value instanceof BigDecimal number) {
            return number;
        }
        throw UNSURE; // null: KIE's error event
    }

    /** {@code min}/{@code max}: the first least (greatest) of numbers or of strings, as {@code Collections.min}. */
    private static Object extreme(List<?> values, boolean min) {
        if (values.isEmpty()) {
            throw UNSURE;
        }
        Object best = values.get(0);
        Class<?> kind = best instanceof BigDecimal ? BigDecimal.class : best instanceof String ? String.class : null;
        if (kind == null) {
            throw UNSURE;
        }
        for (int i = 1; i < values.size(); i++) {
            Object next = values.get(i);
            if (next == null || next.getClass() != kind) {
                throw UNSURE;
            }
            @SuppressWarnings({"unchecked", "rawtypes"})
            int c = ((Comparable) next).compareTo(best);
            if (min ? c < 0 : c > 0) {
                best = next;
            }
        }
        return best;
    }

    /** FEEL {@code sum}: null for an empty list, exact from 0; anything but numbers is the interpreter's. */
    static Object sum(List<?> values) {
        if (values.isEmpty()) {
            return null;
        }
        BigDecimal sum = BigDecimal.ZERO;
        for (Object value : values) {
            if (!(value instanceof BigDecimal number)) {
                throw UNSURE;
            }
            sum = sum.add(number);
        }
        return sum;
    }

    /**
     * {@code list contains}: a string element by equality with each item, a number by value, null by null. A single
     * value is the list of it, as KIE coerces an argument to a list parameter (DMN 1.5, 10.3.2.9.4).
     */
    private static Object listContains(Object list, Object element) {
        List<?> items;
        if (list instanceof List<?> l) {
            items = l;
        } else if (list != null && !(list instanceof Collection<?>)) {
            items = java.util.Collections.singletonList(list);
        } else {
            throw UNSURE; // null: an error event; another kind of collection: KIE's coercions
        }
        if (element == null) {
            try {
                return items.contains(null);
            } catch (NullPointerException e) {
                throw UNSURE; // an immutable list refuses null: KIE reports it as an event
            }
        }
        if (element instanceof String) {
            for (Object item : items) {
                if (element.equals(item)) {
                    return Boolean.TRUE;
                }
            }
            return Boolean.FALSE;
        }
        if (element instanceof BigDecimal number) {
            for (Object item : items) {
                if (item instanceof BigDecimal other) {
                    if (number.compareTo(other) == 0) {
                        return Boolean.TRUE;
                    }
                } else if (item != null && !(item instanceof String) && !(item instanceof Boolean)) {
                    throw UNSURE;
                }
            }
            return Boolean.FALSE;
        }
        throw UNSURE;
    }
}
