package io.termsgate.engine.drools;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.BooleanLiteralExpr;
import com.github.javaparser.ast.expr.CharLiteralExpr;
import com.github.javaparser.ast.expr.ConditionalExpr;
import com.github.javaparser.ast.expr.DoubleLiteralExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.IntegerLiteralExpr;
import com.github.javaparser.ast.expr.LongLiteralExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.NullLiteralExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import com.github.javaparser.ast.expr.ThisExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.EmptyStmt;
import com.github.javaparser.ast.stmt.ExpressionStmt;
import com.github.javaparser.ast.stmt.Statement;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.facts.Customer;
import io.termsgate.engine.facts.KnockoutFindings;
import io.termsgate.engine.facts.Order;
import io.termsgate.engine.facts.PaymentHistory;
import io.termsgate.engine.facts.RiskScore;
import io.termsgate.engine.facts.RiskScorecard;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.drools.drl.ast.descr.AndDescr;
import org.drools.drl.ast.descr.AnnotationDescr;
import org.drools.drl.ast.descr.AttributeDescr;
import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.ExistsDescr;
import org.drools.drl.ast.descr.ExprConstraintDescr;
import org.drools.drl.ast.descr.GlobalDescr;
import org.drools.drl.ast.descr.ImportDescr;
import org.drools.drl.ast.descr.NotDescr;
import org.drools.drl.ast.descr.OrDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.PatternDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsParserException;
import org.drools.model.codegen.execmodel.generator.DrlxParseUtil;
import org.drools.mvel.parser.ast.expr.BigDecimalLiteralExpr;
import org.drools.mvel.parser.ast.expr.BigIntegerLiteralExpr;
import org.drools.mvel.parser.ast.expr.DrlNameExpr;
import org.drools.mvel.parser.ast.expr.DrlxExpression;
import org.drools.mvel.parser.ast.expr.HalfBinaryExpr;
import org.drools.mvel.parser.ast.expr.HalfPointFreeExpr;
import org.drools.mvel.parser.ast.expr.NullSafeFieldAccessExpr;
import org.drools.mvel.parser.ast.expr.PointFreeExpr;

/**
 * The policy language: the part of DRL that a ruleset may use, checked on the parsed rule file before anything is
 * compiled or run. A rule file is data in this language, not Java: whatever it does not allow is refused with its
 * file and line (or, for a spreadsheet, its sheet and cell), and the ruleset is not compiled.
 *
 * <p>What the policy needs, and so all that is allowed:
 * <ul>
 *   <li>imports of the fact types ({@code io.termsgate.engine.facts}) and {@code java.math.BigDecimal};</li>
 *   <li>the globals the engine provides ({@code findings}, {@code scorecard}) with their own types;</li>
 *   <li>rules whose conditions are patterns on facts ({@code and}, {@code or}, {@code not}, {@code exists}) with
 *       constraints made of fact fields, bound variables, literals, arithmetic, comparisons, {@code contains},
 *       {@code memberOf} and {@code in} / {@code not in};</li>
 *   <li>consequences that are calls of the answer sheets' methods ({@code findings.decline/refer},
 *       {@code scorecard.award/grade}) with literal or fact-field arguments;</li>
 *   <li>the attributes {@code salience} (an integer), {@code no-loop}, {@code lock-on-active},
 *       {@code activation-group}, {@code agenda-group}, {@code date-effective}, {@code date-expires},
 *       {@code dialect "java"}, and the {@code @band} annotation a scorecard row carries.</li>
 * </ul>
 * Everything else is refused: functions, queries, type declarations, {@code eval}, {@code from},
 * {@code accumulate}, {@code collect}, {@code forall}, entry points, windows, the MVEL dialect, static imports,
 * method calls, object creation, casts, lambdas, assignments, class literals, named consequences, rule units and
 * Unicode escapes (a Java compiler decodes them before it parses, so they could smuggle code past this check).
 *
 * <p>The parsers are the ones the compiler itself uses (Drools' DRL parser, and the executable model's DRLX and
 * Java parsers for constraints and consequences), so what is checked is what would be compiled.
 */
final class DrlPolicyLanguage {

    /** Fact types a rule may import and match. */
    static final Map<String, Class<?>> FACTS = Map.of(
            Customer.class.getName(), Customer.class,
            Order.class.getName(), Order.class,
            PaymentHistory.class.getName(), PaymentHistory.class,
            RiskScore.class.getName(), RiskScore.class);

    /** The globals the engine provides, and the calls a consequence may make on each. */
    static final Map<String, Class<?>> GLOBALS =
            Map.of("findings", KnockoutFindings.class, "scorecard", RiskScorecard.class);

    private static final Map<Class<?>, Set<String>> ACTIONS = Map.of(
            KnockoutFindings.class, Set.of("decline", "refer"),
            RiskScorecard.class, Set.of("award", "grade"));

    private static final Set<String> IMPORTS;

    static {
        Set<String> imports = new java.util.HashSet<>(FACTS.keySet());
        imports.add(KnockoutFindings.class.getName());
        imports.add(RiskScorecard.class.getName());
        imports.add(BigDecimal.class.getName());
        IMPORTS = Set.copyOf(imports);
    }

    private static final Set<String> POINT_FREE_OPERATORS = Set.of("contains", "memberOf", "in");

    /** Names, group names and annotation values: printable text that cannot end a string literal. */
    private static final Pattern SAFE_TEXT = Pattern.compile("[^\"\\\\\\p{Cntrl}]{0,200}");

    private static final Pattern UNICODE_ESCAPE = Pattern.compile("\\\\+u+[0-9A-Fa-f]{4}");
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,9}");

    /**
     * Where a problem is: {@code place(line, token)} gives "line 12" for a DRL file, or the sheet and cell of a
     * spreadsheet that generated the DRL.
     */
    interface Places extends BiFunction<Integer, String, String> {}

    private final String file;
    private final Places places;
    private final List<RulesetProblem> problems = new ArrayList<>();

    private DrlPolicyLanguage(String file, Places places) {
        this.file = file;
        this.places = places;
    }

    /**
     * Checks one DRL text (a rule file, or the DRL a spreadsheet compiles to) against the policy language.
     *
     * @return the problems found, each with its place; empty when the text stays within the language. A text that
     *         does not parse is left to the syntax check, which reports its errors with their lines.
     */
    static List<RulesetProblem> check(String file, String drl, Places places) {
        DrlPolicyLanguage check = new DrlPolicyLanguage(file, places);
        check.checkText(drl);
        if (!check.problems.isEmpty()) {
            return check.problems;
        }
        PackageDescr descr;
        try {
            DrlParser parser = new DrlParser();
            descr = parser.parse(false, drl);
            if (parser.hasErrors() || descr == null) {
                return List.of();
            }
        } catch (DroolsParserException | RuntimeException e) {
            return List.of();
        }
        check.checkPackage(descr);
        return check.problems;
    }

    /** A DRL file's own lines. */
    static Places lines() {
        return (line, token) -> line != null && line > 0 ? "line " + line : "";
    }

    private void refuse(int line, String token, String message) {
        problems.add(RulesetProblem.error(file, places.apply(line, token), message));
    }

    /**
     * What is refused on the raw text, before any parser sees it: Unicode escapes, files too long, and brackets
     * nested deeper than any policy needs (the DRL and expression parsers take exponential time on deep nesting).
     */
    static List<RulesetProblem> checkRawText(String file, String drl, Places places) {
        DrlPolicyLanguage check = new DrlPolicyLanguage(file, places);
        check.checkText(drl);
        return check.problems;
    }

    private static final int MAX_FILE = 1_000_000;
    private static final int MAX_FILE_NESTING = 8;

    private void checkText(String drl) {
        if (drl.length() > MAX_FILE) {
            refuse(0, null, "a rule file may hold at most " + MAX_FILE + " characters");
            return;
        }
        Matcher escape = UNICODE_ESCAPE.matcher(drl);
        if (escape.find()) {
            refuse(
                    lineOf(drl, escape.start()),
                    escape.group(),
                    "a Unicode escape (" + escape.group()
                            + ") is not allowed in a rule file: write the character itself");
        }
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < drl.length(); i++) {
            char ch = drl.charAt(i);
            if (inString) {
                if (ch == '\\') {
                    i++;
                } else if (ch == '"' || ch == '\n') {
                    inString = false;
                }
            } else if (ch == '"') {
                inString = true;
            } else if (ch == '(' || ch == '[' || ch == '{') {
                if (++depth > MAX_FILE_NESTING) {
                    refuse(
                            lineOf(drl, i),
                            null,
                            "brackets nested more than " + MAX_FILE_NESTING + " deep; the policy "
                                    + "language needs far fewer");
                    return;
                }
            } else if (ch == ')' || ch == ']' || ch == '}') {
                depth = Math.max(0, depth - 1);
            }
        }
    }

    /** Longest constraint and consequence the language takes, and how deep brackets may nest in them. */
    private static final int MAX_CONSTRAINT = 1_000;

    private static final int MAX_CONSEQUENCE = 4_000;
    private static final int MAX_NESTING = 4;

    /**
     * Why a constraint's or consequence's raw text is refused before it is parsed, or {@code null}. Checked on the
     * text because the compiler rewrites some of it as text before parsing ({@code a := b} becomes {@code b == a},
     * string literals or not), and because the expression parser takes exponential time on deep nesting.
     */
    static String unsafeText(String text, int maxLength) {
        if (text.length() > maxLength) {
            return "longer than " + maxLength + " characters; split it";
        }
        if (text.contains(":=")) {
            return "':=' (unification) is not part of the policy language, not even inside a string";
        }
        int depth = 0;
        int deepest = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (inString) {
                if (ch == '\\') {
                    i++;
                } else if (ch == '"') {
                    inString = false;
                }
            } else if (ch == '"') {
                inString = true;
            } else if (ch == '(' || ch == '[' || ch == '{') {
                deepest = Math.max(deepest, ++depth);
            } else if (ch == ')' || ch == ']' || ch == '}') {
                depth--;
            }
        }
        return deepest > MAX_NESTING
                ? "brackets nested " + deepest + " deep; the policy language allows " + MAX_NESTING
                : null;
    }

    /** Where {@code word} first appears in {@code text} outside string and character literals; -1 if nowhere. */
    static int outsideQuotes(String text, String word) {
        boolean inString = false;
        boolean inChar = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (inString || inChar) {
                if (ch == '\\') {
                    i++;
                } else if (inString && ch == '"' || inChar && ch == '\'') {
                    inString = false;
                    inChar = false;
                }
            } else if (text.startsWith(word, i)) {
                return i;
            } else if (ch == '"') {
                inString = true;
            } else if (ch == '\'') {
                inChar = true;
            }
        }
        return -1;
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private void checkPackage(PackageDescr pkg) {
        if (pkg.getUnit() != null) {
            refuse(pkg.getUnit().getLine(), "unit", "a rule unit declaration is not part of the policy language");
        }
        Map<String, Class<?>> types = new HashMap<>();
        for (ImportDescr imported : pkg.getImports()) {
            String target = imported.getTarget();
            if (!IMPORTS.contains(target)) {
                refuse(
                        imported.getLine(),
                        target,
                        "import " + target + " is not allowed: a rule file may import "
                                + "only the fact types of io.termsgate.engine.facts and java.math.BigDecimal");
            } else {
                types.put(target.substring(target.lastIndexOf('.') + 1), classOf(target));
            }
        }
        pkg.getFunctionImports()
                .forEach(f -> refuse(
                        f.getLine(),
                        f.getTarget(),
                        "import function / import static " + f.getTarget() + " is not allowed: rules call no Java"));
        pkg.getAccumulateImports()
                .forEach(a ->
                        refuse(a.getLine(), a.getTarget(), "import accumulate " + a.getTarget() + " is not allowed"));
        pkg.getFunctions()
                .forEach(f -> refuse(
                        f.getLine(),
                        f.getName(),
                        "function " + f.getName() + " is not allowed: the policy language has no functions"));
        pkg.getTypeDeclarations()
                .forEach(t -> refuse(
                        t.getLine(),
                        t.getTypeName(),
                        "declare " + t.getTypeName() + " is not allowed: rules use the service's fact types"));
        pkg.getEnumDeclarations()
                .forEach(t ->
                        refuse(t.getLine(), t.getTypeName(), "declare enum " + t.getTypeName() + " is not allowed"));
        pkg.getWindowDeclarations()
                .forEach(w -> refuse(w.getLine(), w.getName(), "declare window " + w.getName() + " is not allowed"));
        pkg.getEntryPointDeclarations()
                .forEach(e -> refuse(
                        e.getLine(), e.getEntryPointId(), "entry point " + e.getEntryPointId() + " is not allowed"));
        Map<String, Class<?>> globals = new HashMap<>();
        for (GlobalDescr global : pkg.getGlobals()) {
            Class<?> expected = GLOBALS.get(global.getIdentifier());
            Class<?> declared = resolve(global.getType(), types);
            if (expected == null || declared != expected) {
                refuse(
                        global.getLine(),
                        global.getIdentifier(),
                        "global " + global.getType() + " "
                                + global.getIdentifier()
                                + " is not one the engine provides: findings (KnockoutFindings) "
                                + "or scorecard (RiskScorecard)");
            } else {
                globals.put(global.getIdentifier(), expected);
            }
        }
        for (AttributeDescr attribute : pkg.getAttributes()) {
            checkAttribute(attribute);
        }
        for (RuleDescr rule : pkg.getRules()) {
            checkRule(rule, types, globals);
        }
    }

    private static Class<?> classOf(String name) {
        if (FACTS.containsKey(name)) {
            return FACTS.get(name);
        }
        if (name.equals(BigDecimal.class.getName())) {
            return BigDecimal.class;
        }
        return name.equals(KnockoutFindings.class.getName())
                ? KnockoutFindings.class
                : name.equals(RiskScorecard.class.getName()) ? RiskScorecard.class : null;
    }

    /** A type named in the file: a simple name imported, or one of the allowed fully qualified names. */
    private static Class<?> resolve(String name, Map<String, Class<?>> imported) {
        if (name == null) {
            return null;
        }
        String trimmed = name.strip();
        return imported.containsKey(trimmed)
                ? imported.get(trimmed)
                : IMPORTS.contains(trimmed) ? classOf(trimmed) : null;
    }

    private void checkAttribute(AttributeDescr attribute) {
        String name = attribute.getName();
        String value = attribute.getValue() == null ? "" : attribute.getValue().strip();
        int line = attribute.getLine();
        switch (name) {
            case "salience" -> {
                if (!INTEGER.matcher(value).matches()) {
                    refuse(line, value, "salience must be a whole number, not an expression: " + value);
                }
            }
            case "no-loop", "lock-on-active", "auto-focus" -> {
                if (!value.isEmpty() && !value.equals("true") && !value.equals("false")) {
                    refuse(line, value, name + " must be true or false");
                }
            }
            case "dialect" -> {
                if (!unquote(value).equals("java")) {
                    refuse(
                            line,
                            value,
                            "dialect " + value + " is not allowed: rules are written in the policy "
                                    + "language (the java dialect), never MVEL");
                }
            }
            case "activation-group", "agenda-group", "date-effective", "date-expires" -> {
                if (!SAFE_TEXT.matcher(unquote(value)).matches()) {
                    refuse(
                            line,
                            value,
                            name + " must be plain text without quotes, backslashes or control " + "characters");
                }
            }
            default ->
                refuse(
                        line,
                        name,
                        "the attribute " + name + " is not part of the policy language; allowed: "
                                + "salience, no-loop, lock-on-active, auto-focus, activation-group, agenda-group, "
                                + "date-effective, date-expires, dialect \"java\"");
        }
    }

    private static String unquote(String value) {
        return value.length() >= 2
                        && (value.startsWith("\"") && value.endsWith("\"")
                                || value.startsWith("'") && value.endsWith("'"))
                ? value.substring(1, value.length() - 1)
                : value;
    }

    /** The variables bound so far in a rule's conditions: name → fact type, or {@code null} for a value. */
    private record Scope(Map<String, Class<?>> types, Map<String, Class<?>> globals, Map<String, Class<?>> bound) {}

    private void checkRule(RuleDescr rule, Map<String, Class<?>> types, Map<String, Class<?>> globals) {
        int line = rule.getLine();
        String what = "rule \"" + rule.getName() + "\"";
        if (rule.isQuery()) {
            refuse(
                    line,
                    rule.getName(),
                    "query " + rule.getName() + " is not allowed: the policy language has no " + "queries");
            return;
        }
        if (!SAFE_TEXT.matcher(rule.getName()).matches()) {
            refuse(
                    line,
                    rule.getName(),
                    "a rule name must be plain text without quotes, backslashes or control " + "characters");
        }
        if (rule.getUnit() != null) {
            refuse(line, rule.getName(), what + " belongs to a rule unit, which is not part of the policy language");
        }
        if (rule.getParentName() != null) {
            refuse(line, rule.getParentName(), what + " extends another rule, which is not allowed");
        }
        if (rule.getNamedConsequences() != null && !rule.getNamedConsequences().isEmpty()) {
            refuse(line, rule.getName(), what + " has named consequences (do[...]), which are not allowed");
        }
        rule.getAttributes().values().forEach(this::checkAttribute);
        for (AnnotationDescr annotation : rule.getAnnotations()) {
            Object value = annotation.getSingleValue();
            String text = value == null ? "" : unquote(value.toString().strip());
            if (!annotation.getName().equals("band")
                    || annotation.getValueMap().size() > 1
                    || !SAFE_TEXT.matcher(text).matches()) {
                refuse(
                        annotation.getLine() > 0 ? annotation.getLine() : line,
                        annotation.getName(),
                        "the annotation @" + annotation.getName() + " is not allowed: a rule may carry only "
                                + "@band(\"label\") with plain text");
            }
        }
        Scope scope = new Scope(types, globals, new LinkedHashMap<>());
        checkConditions(rule.getLhs(), scope, what);
        checkConsequence(rule, scope, what);
    }

    private void checkConditions(BaseDescr descr, Scope scope, String what) {
        if (descr instanceof AndDescr and) {
            and.getDescrs().forEach(d -> checkConditions(d, scope, what));
        } else if (descr instanceof OrDescr or) {
            or.getDescrs().forEach(d -> checkConditions(d, scope, what));
        } else if (descr instanceof NotDescr not) {
            not.getDescrs().forEach(d -> checkConditions((BaseDescr) d, scope, what));
        } else if (descr instanceof ExistsDescr exists) {
            exists.getDescrs().forEach(d -> checkConditions((BaseDescr) d, scope, what));
        } else if (descr instanceof PatternDescr pattern) {
            checkPattern(pattern, scope, what);
        } else {
            refuse(
                    descr.getLine(),
                    null,
                    what + ": " + conditionName(descr) + " is not part of the policy "
                            + "language; conditions are patterns on facts, combined with and, or, not and exists");
        }
    }

    private static String conditionName(BaseDescr descr) {
        String simple = descr.getClass().getSimpleName().replace("Descr", "");
        return switch (simple) {
            case "Eval" -> "eval(...)";
            case "From" -> "from";
            case "Accumulate" -> "accumulate";
            case "Collect" -> "collect";
            case "Forall" -> "forall";
            case "EntryPoint" -> "an entry point";
            case "ConditionalBranch" -> "if/else branches";
            case "NamedConsequence" -> "a named consequence";
            default -> "'" + simple + "'";
        };
    }

    private void checkPattern(PatternDescr pattern, Scope scope, String what) {
        int line = pattern.getLine();
        Class<?> type = resolve(pattern.getObjectType(), scope.types());
        if (type == null || !FACTS.containsValue(type)) {
            refuse(
                    line,
                    pattern.getObjectType(),
                    what + ": " + pattern.getObjectType() + " is not a fact a rule may "
                            + "match; facts: Customer, Order, PaymentHistory, RiskScore");
            return;
        }
        if (pattern.getSource() != null) {
            refuse(
                    line,
                    pattern.getObjectType(),
                    what + ": from / accumulate / collect / entry-point sources are "
                            + "not part of the policy language");
        }
        if (pattern.isQuery()) {
            refuse(line, pattern.getObjectType(), what + ": query calls are not allowed");
        }
        if (pattern.getBehaviors() != null && !pattern.getBehaviors().isEmpty()) {
            refuse(line, pattern.getObjectType(), what + ": sliding windows (over ...) are not allowed");
        }
        if (pattern.getAnnotations() != null && !pattern.getAnnotations().isEmpty()) {
            refuse(
                    line,
                    pattern.getObjectType(),
                    what + ": annotations on a pattern (@watch and the like) are not " + "part of the policy language");
        }
        if (pattern.getIdentifier() != null) {
            scope.bound().put(pattern.getIdentifier(), type);
        }
        for (BaseDescr constraint : pattern.getDescrs()) {
            int at = constraint.getLine() > 0 ? constraint.getLine() : line;
            if (!(constraint instanceof ExprConstraintDescr expression)) {
                refuse(at, null, what + ": the constraint '" + constraint.getText() + "' is not allowed");
                continue;
            }
            String text = expression.getExpression();
            String unsafe = unsafeText(text, MAX_CONSTRAINT);
            if (expression.getType() == ExprConstraintDescr.Type.POSITIONAL) {
                unsafe = "a positional constraint (value;) is not part of the policy language: name the field";
            }
            if (unsafe != null) {
                refuse(at, text, what + ": " + unsafe);
                continue;
            }
            DrlxExpression parsed;
            try {
                parsed = DrlxParseUtil.parseExpression(text);
            } catch (RuntimeException e) {
                refuse(
                        at,
                        expression.getExpression(),
                        what + ": the constraint '" + expression.getExpression() + "' cannot be parsed");
                continue;
            }
            String refused = constraint(parsed.getExpr(), type, scope);
            if (refused != null) {
                refuse(
                        at,
                        expression.getExpression(),
                        what + ": " + refused + " in the constraint '" + expression.getExpression()
                                + "'; constraints compare fact fields and literals");
            } else if (parsed.getBind() != null) {
                Class<?> bound = typeOf(parsed.getExpr(), type, scope);
                scope.bound().put(parsed.getBind().asString(), bound);
            }
        }
    }

    /** @return why the expression is refused, or {@code null} when it is allowed */
    private String constraint(Expression e, Class<?> type, Scope scope) {
        if (e instanceof DrlxExpression drlx) {
            return constraint(drlx.getExpr(), type, scope);
        }
        if (isLiteral(e)) {
            return null;
        }
        if (e instanceof EnclosedExpr enclosed) {
            return constraint(enclosed.getInner(), type, scope);
        }
        if (e instanceof BinaryExpr binary) {
            return first(constraint(binary.getLeft(), type, scope), constraint(binary.getRight(), type, scope));
        }
        if (e instanceof HalfBinaryExpr half) {
            return constraint(half.getRight(), type, scope);
        }
        if (e instanceof UnaryExpr unary) {
            return switch (unary.getOperator()) {
                case MINUS, PLUS, LOGICAL_COMPLEMENT -> constraint(unary.getExpression(), type, scope);
                default -> "the operator " + unary.getOperator().asString();
            };
        }
        if (e instanceof ConditionalExpr conditional) {
            return first(
                    constraint(conditional.getCondition(), type, scope),
                    first(
                            constraint(conditional.getThenExpr(), type, scope),
                            constraint(conditional.getElseExpr(), type, scope)));
        }
        if (e instanceof PointFreeExpr pointFree) {
            String refused = pointFree(
                    pointFree.getOperator().asString(), pointFree.getRight(), pointFree.getArg1(), type, scope);
            return first(constraint(pointFree.getLeft(), type, scope), refused);
        }
        if (e instanceof HalfPointFreeExpr pointFree) {
            return pointFree(
                    pointFree.getOperator().asString(), pointFree.getRight(), pointFree.getArg1(), type, scope);
        }
        if (e instanceof ThisExpr) {
            return null;
        }
        if (e instanceof NameExpr || e instanceof FieldAccessExpr || e instanceof NullSafeFieldAccessExpr) {
            return path(e, type, scope).refused();
        }
        return describe(e);
    }

    private String pointFree(String operator, List<Expression> right, Expression arg, Class<?> type, Scope scope) {
        if (!POINT_FREE_OPERATORS.contains(operator) || arg != null) {
            return "the operator '" + operator + "'";
        }
        for (Expression r : right) {
            String refused = constraint(r, type, scope);
            if (refused != null) {
                return refused;
            }
        }
        return null;
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    private static boolean isLiteral(Node e) {
        return e instanceof StringLiteralExpr
                || e instanceof IntegerLiteralExpr
                || e instanceof LongLiteralExpr
                || e instanceof DoubleLiteralExpr
                || e instanceof BooleanLiteralExpr
                || e instanceof NullLiteralExpr
                || e instanceof CharLiteralExpr
                || e instanceof BigDecimalLiteralExpr
                || e instanceof BigIntegerLiteralExpr;
    }

    /** What a refused expression is, in the analyst's words. */
    private static String describe(Node e) {
        String simple = e.getClass().getSimpleName();
        String text = printed(e);
        return switch (simple) {
            case "MethodCallExpr", "NullSafeMethodCallExpr" -> "a method call (" + text + ")";
            case "ObjectCreationExpr" -> "creating an object (" + text + ")";
            case "AssignExpr" -> "an assignment (" + text + ")";
            case "LambdaExpr", "MethodReferenceExpr" -> "a lambda or method reference (" + text + ")";
            case "CastExpr", "InlineCastExpr", "FullyQualifiedInlineCastExpr" -> "a cast (" + text + ")";
            case "ClassExpr" -> "a class literal (" + text + ")";
            case "ArrayAccessExpr", "ArrayCreationExpr", "ArrayInitializerExpr" -> "an array (" + text + ")";
            case "TextBlockLiteralExpr" -> "a text block";
            case "OOPathExpr" -> "an OOPath (" + text + ")";
            default -> "the expression " + text;
        };
    }

    private static String printed(Node e) {
        try {
            String text = org.drools.mvel.parser.printer.PrintUtil.printNode(e).replaceAll("\\s+", " ");
            return text.length() > 80 ? text.substring(0, 77) + "..." : text;
        } catch (RuntimeException failure) {
            return e.getClass().getSimpleName();
        }
    }

    /** A name or field path: its type ({@code null}: a plain value) or why it is refused. */
    private record Path(Class<?> type, String refused) {}

    private Path path(Expression e, Class<?> patternType, Scope scope) {
        if (e instanceof DrlNameExpr name && name.getBackReferencesCount() > 0) {
            return new Path(null, "a back reference (../)");
        }
        if (e instanceof NameExpr name) {
            String id = name.getNameAsString();
            if (scope.bound().containsKey(id)) {
                return new Path(scope.bound().get(id), null);
            }
            if (patternType != null) {
                Optional<Method> getter = getter(patternType, id);
                if (getter.isPresent()) {
                    return new Path(factOrNull(getter.get().getReturnType()), null);
                }
            }
            return new Path(
                    null,
                    "the name '" + id + "' (neither a field of "
                            + (patternType == null ? "a fact" : patternType.getSimpleName())
                            + " nor a bound variable)");
        }
        Expression scopeExpr;
        String field;
        if (e instanceof FieldAccessExpr access) {
            scopeExpr = access.getScope();
            field = access.getNameAsString();
        } else if (e instanceof NullSafeFieldAccessExpr access) {
            scopeExpr = access.getScope();
            field = access.getNameAsString();
        } else if (e instanceof ThisExpr) {
            return new Path(patternType, null);
        } else {
            return new Path(null, describe(e));
        }
        Path owner = path(scopeExpr, patternType, scope);
        if (owner.refused() != null) {
            return owner;
        }
        if (owner.type() == null) {
            return new Path(null, "the field access '" + printed(e) + "' on a value that is not a fact");
        }
        Optional<Method> getter = getter(owner.type(), field);
        return getter.map(m -> new Path(factOrNull(m.getReturnType()), null))
                .orElseGet(() -> new Path(
                        null,
                        "'" + field + "', which is not a field of "
                                + owner.type().getSimpleName()));
    }

    private Class<?> typeOf(Expression e, Class<?> patternType, Scope scope) {
        if (e instanceof NameExpr
                || e instanceof FieldAccessExpr
                || e instanceof NullSafeFieldAccessExpr
                || e instanceof ThisExpr) {
            return path(e, patternType, scope).type();
        }
        return null;
    }

    private static Class<?> factOrNull(Class<?> type) {
        return FACTS.containsValue(type) ? type : null;
    }

    /** A readable property of a fact type: {@code getX()}, {@code isX()} or a record accessor {@code x()}. */
    private static Optional<Method> getter(Class<?> type, String property) {
        if (property.isEmpty()) {
            return Optional.empty();
        }
        String capitalised = Character.toUpperCase(property.charAt(0)) + property.substring(1);
        for (String name : List.of("get" + capitalised, "is" + capitalised, property)) {
            try {
                Method method = type.getMethod(name);
                if (Modifier.isStatic(method.getModifiers())
                        || method.getDeclaringClass() == Object.class
                        || method.getReturnType() == void.class
                        || name.equals("getClass")) {
                    continue;
                }
                return Optional.of(method);
            } catch (NoSuchMethodException e) {
                // try the next form
            }
        }
        return Optional.empty();
    }

    private void checkConsequence(RuleDescr rule, Scope scope, String what) {
        Object consequence = rule.getConsequence();
        int firstLine = rule.getConsequenceLine() > 0 ? rule.getConsequenceLine() : rule.getLine();
        if (consequence == null || consequence.toString().isBlank()) {
            return;
        }
        String text = consequence.toString();
        String unsafe = unsafeText(text, MAX_CONSEQUENCE);
        int at = Math.max(outsideQuotes(text, "modify"), outsideQuotes(text, "\"\"\""));
        if (unsafe == null && at >= 0) {
            // the compiler takes such a consequence through another parser first: keep to the one checked here
            unsafe = "modify and text blocks are not part of the policy language";
        }
        if (unsafe != null) {
            // the consequence text starts on the line after "then"
            refuse(firstLine + (at >= 0 ? lineOf(text, at) : 0), null, what + ": " + unsafe);
            return;
        }
        BlockStmt block;
        try {
            block = DrlxParseUtil.parseBlock("{" + text + "\n}");
        } catch (RuntimeException e) {
            refuse(
                    firstLine,
                    null,
                    what + ": the consequence (then ... end) cannot be parsed; write one call per "
                            + "line, e.g. findings.decline(\"KO_REASON\");");
            return;
        }
        checkStatements(block, scope, what, firstLine);
    }

    private void checkStatements(BlockStmt block, Scope scope, String what, int firstLine) {
        for (Statement statement : block.getStatements()) {
            int line = firstLine + statement.getBegin().map(p -> p.line - 1).orElse(0);
            if (statement instanceof EmptyStmt) {
                continue;
            }
            if (statement instanceof BlockStmt nested) {
                checkStatements(nested, scope, what, firstLine);
                continue;
            }
            if (!(statement instanceof ExpressionStmt expression)
                    || !(expression.getExpression() instanceof MethodCallExpr call)) {
                refuse(
                        line,
                        null,
                        what + ": the statement '" + printed(statement) + "' is not allowed; a "
                                + "consequence only calls findings.decline/refer or scorecard.award/grade");
                continue;
            }
            String refused = action(call, scope);
            if (refused != null) {
                refuse(line, call.getNameAsString(), what + ": " + refused);
            }
        }
    }

    private String action(MethodCallExpr call, Scope scope) {
        String allowed = "a consequence may only call findings.decline(reason), findings.refer(reason, route), "
                + "scorecard.award(characteristic, points) or scorecard.grade(grade)";
        if (call.getScope().isEmpty()
                || !(call.getScope().get() instanceof NameExpr target)
                || call.getTypeArguments().isPresent()) {
            return describe(call) + " is not allowed; " + allowed;
        }
        Class<?> global = scope.globals().get(target.getNameAsString());
        if (global == null || !ACTIONS.get(global).contains(call.getNameAsString())) {
            return describe(call) + " is not allowed; " + allowed;
        }
        for (Expression argument : call.getArguments()) {
            Expression value = argument;
            if (value instanceof UnaryExpr unary && unary.getOperator() == UnaryExpr.Operator.MINUS) {
                value = unary.getExpression();
            }
            if (isLiteral(value)) {
                continue;
            }
            if (value instanceof NameExpr || value instanceof FieldAccessExpr) {
                Path path = path(value, null, scope);
                if (path.refused() == null) {
                    continue;
                }
                return "the argument " + printed(argument) + " of " + call.getNameAsString() + " is refused: "
                        + path.refused();
            }
            return "the argument " + printed(argument) + " of " + call.getNameAsString() + " must be a literal or "
                    + "a field of a bound fact, not " + describe(value);
        }
        return null;
    }
}
