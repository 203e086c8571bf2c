package io.termsgate.engine.drools;

import java.math.BigDecimal;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.kie.dmn.api.core.DMNModel;
import org.kie.dmn.api.core.DMNRuntime;
import org.kie.dmn.api.core.DMNType;
import org.kie.dmn.api.core.ast.DMNNode;
import org.kie.dmn.api.core.ast.DecisionNode;
import org.kie.dmn.api.core.ast.InputDataNode;
import org.kie.dmn.api.feel.runtime.events.FEELEvent;
import org.kie.dmn.core.ast.DMNBaseNode;
import org.kie.dmn.core.impl.BaseDMNTypeImpl;
import org.kie.dmn.core.impl.DMNModelImpl;
import org.kie.dmn.core.impl.DMNRuntimeImpl;
import org.kie.dmn.feel.FEEL;
import org.kie.dmn.feel.lang.CompiledExpression;
import org.kie.dmn.feel.lang.CompilerContext;
import org.kie.dmn.feel.lang.FEELDialect;
import org.kie.dmn.feel.lang.FEELProfile;
import org.kie.dmn.feel.lang.Type;
import org.kie.dmn.feel.lang.types.BuiltInType;
import org.kie.dmn.model.api.BuiltinAggregator;
import org.kie.dmn.model.api.DecisionRule;
import org.kie.dmn.model.api.DecisionTable;
import org.kie.dmn.model.api.Expression;
import org.kie.dmn.model.api.HitPolicy;
import org.kie.dmn.model.api.InputClause;
import org.kie.dmn.model.api.LiteralExpression;
import org.kie.dmn.model.api.OutputClause;

/**
 * One DMN model compiled at ruleset load into a fast evaluator: its decisions in the order the interpreter evaluates
 * them, each a decision table or a literal expression over a slot array, with FEEL compiled once per expression (the
 * common unary tests by {@link UnaryTests}, everything else by KIE's FEEL compiler). KIE's interpreter stays the
 * oracle: a model with any construct this compiler does not cover is not compiled at all ({@link #compiled()} false,
 * {@link #coverage()} says why), and an evaluation that would raise anything (a FEEL event, a failed type check, a
 * hit policy violation, no rule matching, a test it cannot vouch for) answers {@code null}, and the caller evaluates
 * the same inputs interpreted, so errors and their messages are always the interpreter's own.
 *
 * <p>Immutable after construction and shared by all threads; each evaluation has its own slot array.
 */
final class CompiledDmnModel {

    /** How one node runs, for the validation answer. */
    record NodeCoverage(String node, String construct, boolean compiled, String reason) {}

    /** One decision table's matched and selected rules (1-based), as the interpreter's listener reports them. */
    record TableMatch(String decision, String tableId, List<Integer> matches, List<Integer> selected) {}

    /** A whole evaluation: the result context (inputs, then decisions in evaluation order) and the tables' matches. */
    record Result(Map<String, Object> context, List<String> decisionNames, List<TableMatch> tables) {}

    /** Thrown inside an evaluation to hand it to the interpreter. */
    private static final class Unsure extends RuntimeException {
        Unsure() {
            super(null, null, false, false);
        }
    }

    private static final Unsure UNSURE = new Unsure();

    private final String modelName;
    private final List<NodeCoverage> coverage;
    private final boolean compiled;
    private final String[] slotNames;
    private final Map<String, Integer> slotOf;
    private final InputDataNode[] inputs;
    private final String[] inputNames;
    private final DmnTypeCheck[] inputChecks;
    private final int[] inputSlots;
    private final Node[] order;
    private final List<String> decisionNames;
    private final Set<String> decisionNameSet;
    private final FEEL feel;
    private final EventCounter events;

    private CompiledDmnModel(
            String modelName,
            List<NodeCoverage> coverage,
            boolean compiled,
            String[] slotNames,
            Map<String, Integer> slotOf,
            InputDataNode[] inputs,
            int[] inputSlots,
            Node[] order,
            List<String> decisionNames,
            FEEL feel,
            EventCounter events) {
        this.modelName = modelName;
        this.coverage = List.copyOf(coverage);
        this.compiled = compiled;
        this.slotNames = slotNames;
        this.slotOf = slotOf;
        this.inputs = inputs;
        this.inputNames =
                java.util.Arrays.stream(inputs).map(InputDataNode::getName).toArray(String[]::new);
        this.inputChecks = java.util.Arrays.stream(inputs)
                .map(i -> DmnTypeCheck.of(i.getType(), feel))
                .toArray(DmnTypeCheck[]::new);
        this.inputSlots = inputSlots;
        this.order = order;
        this.decisionNames = decisionNames;
        this.decisionNameSet = new HashSet<>(decisionNames);
        this.feel = feel;
        this.events = events;
    }

    String modelName() {
        return modelName;
    }

    boolean compiled() {
        return compiled;
    }

    List<NodeCoverage> coverage() {
        return coverage;
    }

    // ------------------------------------------------------------------------------------------------ compiling

    static CompiledDmnModel compile(DMNRuntime runtime, DMNModel model) {
        List<FEELProfile> profiles = new ArrayList<>();
        if (runtime instanceof DMNRuntimeImpl impl) {
            profiles.addAll(impl.getProfiles());
        }
        FEEL feel = FEEL.newInstance(CompiledDmnModel.class.getClassLoader(), profiles);
        EventCounter events = new EventCounter();
        feel.addListener(events);

        List<NodeCoverage> coverage = new ArrayList<>();
        boolean ok = true;
        String why = null;
        if (!model.getBusinessKnowledgeModels().isEmpty()) {
            model.getBusinessKnowledgeModels()
                    .forEach(b -> coverage.add(new NodeCoverage(
                            b.getName(),
                            "business knowledge model",
                            false,
                            "business knowledge models run interpreted")));
            ok = false;
            why = "the model has business knowledge models";
        }
        for (InputDataNode input : model.getInputs()) {
            if (foreign(model, input)) {
                ok = false;
                why = "the model imports another model";
            }
        }
        // slots: every input, then every decision
        List<String> names = new ArrayList<>();
        Map<String, Integer> slotOf = new HashMap<>();
        List<InputDataNode> inputList = new ArrayList<>(model.getInputs());
        for (InputDataNode input : inputList) {
            slotOf.putIfAbsent(input.getName(), names.size());
            names.add(input.getName());
        }
        List<DecisionNode> decisions = new ArrayList<>(model.getDecisions());
        for (DecisionNode decision : decisions) {
            if (foreign(model, decision)) {
                ok = false;
                why = "the model imports another model";
            }
            slotOf.putIfAbsent(decision.getName(), names.size());
            names.add(decision.getName());
        }
        if (slotOf.size() != names.size()) {
            ok = false;
            why = "two nodes share a name";
        }
        // the interpreter's order: each decision after its required decisions, depth first, starting from the
        // decisions in the order KIE's evaluateAll iterates them (the model's own, collected into a hash set)
        List<DecisionNode> ordered = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        Set<DecisionNode> roots = model.getDecisions().stream()
                .filter(d -> !foreign(model, d))
                .collect(java.util.stream.Collectors.toSet());
        for (DecisionNode decision : roots) {
            visit(decision, seen, ordered);
        }
        Map<String, Type> types = new LinkedHashMap<>();
        inputList.forEach(i -> types.put(i.getName(), feelType(i.getType())));
        decisions.forEach(d -> types.put(d.getName(), feelType(d.getResultType())));
        // FEEL in plain Java where the model's names are parsed safely and the model speaks FEEL (not B-FEEL)
        boolean plainJava = FeelSubset.safeNames(slotOf.keySet())
                && (!(model instanceof DMNModelImpl impl) || impl.getFeelDialect() == FEELDialect.FEEL);
        Compiling compiling = new Compiling(feel, types, slotOf, plainJava);

        List<Node> nodes = new ArrayList<>();
        for (DecisionNode decision : ordered) {
            Expression expression = decision.getDecision() == null
                    ? null
                    : decision.getDecision().getExpression();
            String construct = construct(expression);
            try {
                Node node;
                if (expression instanceof DecisionTable table) {
                    node = table(decision, table, compiling);
                } else if (expression instanceof LiteralExpression literal) {
                    node = literal(decision, literal, compiling);
                } else if (expression == null) {
                    throw new NotCovered("the decision has no expression");
                } else {
                    throw new NotCovered(construct + " runs interpreted");
                }
                nodes.add(node);
                coverage.add(new NodeCoverage(decision.getName(), construct, true, null));
            } catch (NotCovered e) {
                ok = false;
                coverage.add(new NodeCoverage(decision.getName(), construct, false, e.getMessage()));
            } catch (RuntimeException e) { // KIE's FEEL compiler refused something: the interpreter reports it
                ok = false;
                coverage.add(
                        new NodeCoverage(decision.getName(), construct, false, "FEEL the compiler could not compile"));
            }
        }
        if (!ok && why != null) {
            String reason = why;
            List<NodeCoverage> all = new ArrayList<>();
            coverage.forEach(c -> all.add(c.compiled() ? new NodeCoverage(c.node(), c.construct(), false, reason) : c));
            coverage.clear();
            coverage.addAll(all);
        } else if (!ok) {
            List<NodeCoverage> all = new ArrayList<>();
            coverage.forEach(c -> all.add(
                    c.compiled()
                            ? new NodeCoverage(
                                    c.node(),
                                    c.construct(),
                                    false,
                                    "another node of the model runs interpreted, so the whole model does")
                            : c));
            coverage.clear();
            coverage.addAll(all);
        }
        int[] inputSlots = new int[inputList.size()];
        for (int i = 0; i < inputSlots.length; i++) {
            inputSlots[i] = slotOf.get(inputList.get(i).getName());
        }
        return new CompiledDmnModel(
                model.getName(),
                coverage,
                ok,
                names.toArray(String[]::new),
                Map.copyOf(slotOf),
                inputList.toArray(InputDataNode[]::new),
                inputSlots,
                nodes.toArray(Node[]::new),
                decisions.stream().map(DecisionNode::getName).toList(),
                feel,
                events);
    }

    private static boolean foreign(DMNModel model, DMNNode node) {
        return node.getModelNamespace() != null && !node.getModelNamespace().equals(model.getNamespace());
    }

    private static void visit(DecisionNode decision, Set<String> seen, List<DecisionNode> ordered) {
        if (!seen.add(decision.getId())) {
            return;
        }
        if (decision instanceof DMNBaseNode base) {
            for (DMNNode dependency : base.getDependencies().values()) {
                if (dependency instanceof DecisionNode required) {
                    visit(required, seen, ordered);
                }
            }
        }
        ordered.add(decision);
    }

    private static String construct(Expression expression) {
        if (expression == null) {
            return "none";
        }
        String name = expression.getClass().getSimpleName().replace("Impl", "");
        return switch (name) {
            case "DecisionTable" -> "decision table";
            case "LiteralExpression" -> "literal expression";
            case "Context" -> "context";
            case "Invocation" -> "invocation";
            case "Relation" -> "relation";
            case "List" -> "list";
            case "FunctionDefinition" -> "function definition";
            default -> name;
        };
    }

    private static Type feelType(DMNType type) {
        if (type instanceof BaseDMNTypeImpl base && base.getFeelType() != null) {
            return base.getFeelType();
        }
        return BuiltInType.UNKNOWN;
    }

    private static final class NotCovered extends RuntimeException {
        NotCovered(String message) {
            super(message, null, false, false);
        }
    }

    // --------------------------------------------------------------------------------------------- expressions

    /** A FEEL expression over the slots: a name or path read directly, anything else by KIE's compiled FEEL. */
    private interface Expr {
        Object eval(Object[] slots, Scope scope);
    }

    private static Expr expression(String text, Compiling c) {
        FEEL feel = c.feel();
        Map<String, Integer> slotOf = c.slotOf();
        if (text == null || text.isBlank()) {
            throw new NotCovered("an empty expression runs interpreted");
        }
        String t = text.strip();
        Integer whole = slotOf.get(t);
        if (whole != null) {
            int slot = whole;
            return (slots, scope) -> slots[slot];
        }
        // Name.field.field: the longest known name before the first dot that follows it
        for (int dot = t.indexOf('.'); dot > 0; dot = t.indexOf('.', dot + 1)) {
            Integer base = slotOf.get(t.substring(0, dot).strip());
            if (base != null) {
                String[] path = t.substring(dot + 1).split("\\.", -1);
                boolean plain = path.length > 0;
                for (String part : path) {
                    plain &= part.matches("[A-Za-z][A-Za-z0-9_]*");
                }
                if (plain) {
                    int slot = base;
                    return (slots, scope) -> {
                        Object value = slots[slot];
                        for (String part : path) {
                            if (!(value instanceof Map<?, ?> map) || !map.containsKey(part)) {
                                throw UNSURE;
                            }
                            value = map.get(part);
                        }
                        return value;
                    };
                }
            }
        }
        Object constant = constant(t, feel);
        if (constant != NOT_CONSTANT) {
            return (slots, scope) -> constant;
        }
        FeelSubset.Compiled java = c.plainJava() ? FeelSubset.compile(t, slotOf, false, feel) : null;
        if (java != null) {
            FeelSubset.Code code = java.code();
            return (slots, scope) -> code.eval(slots, scope.defined, null);
        }
        CompilerContext context = feel.newCompilerContext();
        c.types().forEach(context::addInputVariableType);
        CompiledExpression compiled = feel.compile(t, context);
        if (compiled == null) {
            throw new NotCovered("FEEL the compiler could not compile");
        }
        int[] used = c.namesIn(t);
        return (slots, scope) -> feel.evaluate(compiled, scope.only(used, t, null, null));
    }

    /** What compiling one model's expressions needs. */
    private record Compiling(FEEL feel, Map<String, Type> types, Map<String, Integer> slotOf, boolean plainJava) {
        /**
         * The slots whose names occur in an expression's text (whitespace normalised as KIE does): the only variables
         * KIE's FEEL is given for it, rather than every name in scope. A superset of the names it reads.
         */
        int[] namesIn(String text) {
            String normalized = FeelSubset.normalize(text);
            String t = normalized == null ? text : normalized;
            return slotOf.entrySet().stream()
                    .filter(e -> t.contains(e.getKey().strip().replaceAll("\\s+", " ")))
                    .mapToInt(Map.Entry::getValue)
                    .sorted()
                    .toArray();
        }
    }

    private static final Object NOT_CONSTANT = new Object();

    /** A literal or a list of literals, evaluated once by KIE's FEEL: the same object the interpreter makes. */
    private static Object constant(String t, FEEL feel) {
        if (t.equals("null")) {
            return null;
        }
        if (UnaryTests.literal(t, feel) != null) {
            return feel.evaluate(t);
        }
        if (t.startsWith("[") && t.endsWith("]")) {
            String body = t.substring(1, t.length() - 1).strip();
            if (body.isEmpty()) {
                return NOT_CONSTANT; // a fresh list each time, as the interpreter gives
            }
            List<String> parts = UnaryTests.splitTopLevel(body);
            if (parts == null) {
                return NOT_CONSTANT;
            }
            for (String part : parts) {
                if (UnaryTests.literal(part.strip(), feel) == null) {
                    return NOT_CONSTANT;
                }
            }
            return NOT_CONSTANT; // lists are mutable: evaluated each time by compiled FEEL
        }
        return NOT_CONSTANT;
    }

    // ----------------------------------------------------------------------------------------------- decisions

    private abstract static class Node {
        final int slot;
        final String name;
        final DMNType type;
        final DmnTypeCheck check;
        final boolean collection;

        Node(int slot, DecisionNode decision, FEEL feel) {
            this.slot = slot;
            this.name = decision.getName();
            this.type = decision.getResultType();
            this.check = DmnTypeCheck.of(type, feel);
            this.collection = type != null && type.isCollection();
        }

        abstract Object evaluate(Object[] slots, Scope scope, List<TableMatch> tables);

        /** As the interpreter does after every decision: a singleton list is its element, then the type check. */
        final Object checked(Object value) {
            Object v = value;
            if (!collection && v instanceof Collection<?> list && list.size() == 1) {
                v = list.iterator().next();
            }
            if (!check.assignable(v)) {
                throw UNSURE;
            }
            return v;
        }
    }

    private static Node literal(DecisionNode decision, LiteralExpression literal, Compiling c) {
        Map<String, Integer> slotOf = c.slotOf();
        if (literal.getImportedValues() != null) {
            throw new NotCovered("imported values run interpreted");
        }
        Expr expr = expression(literal.getText(), c);
        return new Node(slotOf.get(decision.getName()), decision, c.feel()) {
            @Override
            Object evaluate(Object[] slots, Scope scope, List<TableMatch> tables) {
                return checked(expr.eval(slots, scope));
            }
        };
    }

    private static Node table(DecisionNode decision, DecisionTable table, Compiling c) {
        FEEL feel = c.feel();
        Map<String, Integer> slotOf = c.slotOf();
        List<InputClause> inputClauses = table.getInput();
        List<OutputClause> outputClauses = table.getOutput();
        List<DecisionRule> rules = table.getRule();
        if (rules.isEmpty()) {
            throw new NotCovered("an empty decision table runs interpreted");
        }
        int in = inputClauses.size();
        Expr[] inputExprs = new Expr[in];
        UnaryTests.Test[] inputValues = new UnaryTests.Test[in];
        for (int i = 0; i < in; i++) {
            InputClause clause = inputClauses.get(i);
            inputExprs[i] = expression(clause.getInputExpression().getText(), c);
            if (clause.getInputValues() != null
                    && clause.getInputValues().getText() != null
                    && !clause.getInputValues().getText().isBlank()) {
                inputValues[i] = UnaryTests.compile(clause.getInputValues().getText(), feel);
                if (inputValues[i] == null) {
                    throw new NotCovered("input values '"
                            + clause.getInputValues().getText() + "' are outside the compiled unary tests");
                }
            }
        }
        int out = outputClauses.size();
        String[] outputNames = new String[out];
        UnaryTests.Test[][] outputValues = new UnaryTests.Test[out][];
        for (int o = 0; o < out; o++) {
            OutputClause clause = outputClauses.get(o);
            outputNames[o] = clause.getName();
            if (out > 1 && outputNames[o] == null) {
                throw new NotCovered("an output without a name runs interpreted");
            }
            if (clause.getDefaultOutputEntry() != null) {
                throw new NotCovered("default output entries run interpreted");
            }
            if (clause.getOutputValues() != null
                    && clause.getOutputValues().getText() != null
                    && !clause.getOutputValues().getText().isBlank()) {
                List<String> parts =
                        UnaryTests.splitTopLevel(clause.getOutputValues().getText());
                if (parts == null) {
                    throw new NotCovered("output values outside the compiled unary tests");
                }
                outputValues[o] = new UnaryTests.Test[parts.size()];
                for (int p = 0; p < parts.size(); p++) {
                    outputValues[o][p] = UnaryTests.compile(parts.get(p), feel);
                    if (outputValues[o][p] == null) {
                        throw new NotCovered("output values '"
                                + clause.getOutputValues().getText() + "' are outside the compiled unary tests");
                    }
                }
            }
        }
        HitPolicy policy = table.getHitPolicy() == null ? HitPolicy.UNIQUE : table.getHitPolicy();
        BuiltinAggregator aggregation = table.getAggregation();
        if ((policy == HitPolicy.PRIORITY || policy == HitPolicy.OUTPUT_ORDER)) {
            for (UnaryTests.Test[] values : outputValues) {
                if (values == null) {
                    throw new NotCovered(policy + " without output values on every output runs interpreted");
                }
            }
        }
        if (aggregation != null && (policy != HitPolicy.COLLECT || out != 1)) {
            throw new NotCovered("an aggregation on more than one output runs interpreted");
        }
        int r = rules.size();
        UnaryTests.Test[][] tests = new UnaryTests.Test[r][in];
        Expr[][] outputs = new Expr[r][out];
        for (int k = 0; k < r; k++) {
            DecisionRule rule = rules.get(k);
            if (rule.getInputEntry().size() != in || rule.getOutputEntry().size() != out) {
                throw new NotCovered("a rule whose cells do not match the columns runs interpreted");
            }
            for (int i = 0; i < in; i++) {
                String text = rule.getInputEntry().get(i).getText();
                UnaryTests.Test test = UnaryTests.compile(text, feel);
                if (test == null) {
                    test = questionMark(text, c);
                }
                if (test == null) {
                    throw new NotCovered(
                            "rule " + (k + 1) + ": the input entry '" + text + "' is outside the compiled unary tests");
                }
                tests[k][i] = test;
            }
            for (int o = 0; o < out; o++) {
                outputs[k][o] = expression(rule.getOutputEntry().get(o).getText(), c);
            }
        }
        String tableId = table.getId();
        String tableName = decision.getName();
        return new Node(slotOf.get(decision.getName()), decision, c.feel()) {
            @Override
            Object evaluate(Object[] slots, Scope scope, List<TableMatch> tables) {
                Object[] actual = new Object[in];
                for (int i = 0; i < in; i++) {
                    actual[i] = inputExprs[i].eval(slots, scope);
                }
                for (int i = 0; i < in; i++) {
                    if (inputValues[i] != null && inputValues[i].test(actual[i]) != UnaryTests.YES) {
                        throw UNSURE; // not in the input values: the interpreter's error
                    }
                }
                int[] matched = new int[r];
                int count = 0;
                for (int k = 0; k < r; k++) {
                    UnaryTests.Test[] row = tests[k];
                    boolean all = true;
                    for (int i = 0; i < in; i++) {
                        int answer = row[i].test(actual[i]);
                        if (answer == UnaryTests.UNSURE) {
                            throw UNSURE;
                        }
                        if (answer == UnaryTests.NO) {
                            all = false;
                            break;
                        }
                    }
                    if (all) {
                        matched[count++] = k;
                    }
                }
                if (count == 0) {
                    throw UNSURE; // no rule matched: the interpreter warns and says null
                }
                if (policy == HitPolicy.UNIQUE && count > 1) {
                    throw UNSURE; // a hit policy violation: the interpreter's error
                }
                Object[] results = new Object[count];
                for (int m = 0; m < count; m++) {
                    Expr[] row = outputs[matched[m]];
                    if (out == 1) {
                        results[m] = row[0].eval(slots, scope);
                    } else {
                        Map<String, Object> context = new HashMap<>();
                        for (int o = 0; o < out; o++) {
                            context.put(outputNames[o], row[o].eval(slots, scope));
                        }
                        results[m] = context;
                    }
                    checkOutputValues(results[m]);
                }
                List<Integer> matches = new ArrayList<>(count);
                for (int m = 0; m < count; m++) {
                    matches.add(matched[m] + 1);
                }
                Object value;
                List<Integer> selected;
                switch (policy) {
                    case UNIQUE, FIRST -> {
                        value = results[0];
                        selected = List.of(matched[0] + 1);
                    }
                    case ANY -> {
                        for (int m = 1; m < count; m++) {
                            if (!java.util.Objects.equals(results[m], results[0])) {
                                throw UNSURE;
                            }
                        }
                        value = results[0];
                        selected = List.of(matched[0] + 1);
                    }
                    case PRIORITY, OUTPUT_ORDER -> {
                        Integer[] byPriority = new Integer[count];
                        for (int m = 0; m < count; m++) {
                            byPriority[m] = m;
                        }
                        java.util.Arrays.sort(byPriority, (a, b) -> comparePriority(results[a], results[b]));
                        if (policy == HitPolicy.PRIORITY) {
                            value = results[byPriority[0]];
                            selected = List.of(matched[byPriority[0]] + 1);
                        } else {
                            List<Object> list = new ArrayList<>(count);
                            for (Integer m : byPriority) {
                                list.add(results[m]);
                            }
                            value = list;
                            // the interpreter reports the first of the ordered rules as the one selected
                            selected = List.of(matched[byPriority[0]] + 1);
                        }
                    }
                    default -> { // COLLECT, RULE ORDER
                        if (aggregation == null) {
                            List<Object> list = new ArrayList<>(count);
                            Collections.addAll(list, results);
                            value = list;
                            selected = matches;
                        } else {
                            value = aggregate(aggregation, results);
                            selected = aggregation == BuiltinAggregator.MIN || aggregation == BuiltinAggregator.MAX
                                    ? List.of(matched[indexOf(results, value)] + 1)
                                    : matches;
                        }
                    }
                }
                if (tables != null) {
                    tables.add(new TableMatch(tableName, tableId, matches, selected));
                }
                return checked(value);
            }

            private void checkOutputValues(Object result) {
                for (int o = 0; o < out; o++) {
                    UnaryTests.Test[] values = outputValues[o];
                    if (values == null) {
                        continue;
                    }
                    Object v = out == 1 ? result : ((Map<?, ?>) result).get(outputNames[o]);
                    if (v instanceof Collection<?>) {
                        throw UNSURE;
                    }
                    boolean any = false;
                    for (UnaryTests.Test test : values) {
                        int answer = test.test(v);
                        if (answer == UnaryTests.UNSURE) {
                            throw UNSURE;
                        }
                        any |= answer == UnaryTests.YES;
                    }
                    if (!any) {
                        throw UNSURE; // not among the output values: the interpreter's error
                    }
                }
            }

            /** The interpreter's order: the first output whose values tell the two apart decides. */
            private int comparePriority(Object a, Object b) {
                for (int o = 0; o < out; o++) {
                    Object va = out == 1 ? a : ((Map<?, ?>) a).get(outputNames[o]);
                    Object vb = out == 1 ? b : ((Map<?, ?>) b).get(outputNames[o]);
                    int c = Integer.compare(rank(outputValues[o], va), rank(outputValues[o], vb));
                    if (c != 0) {
                        return c;
                    }
                }
                return 0;
            }
        };
    }

    private static int rank(UnaryTests.Test[] values, Object value) {
        for (int p = 0; p < values.length; p++) {
            if (values[p].test(value) == UnaryTests.YES) {
                return p;
            }
        }
        return values.length;
    }

    private static int indexOf(Object[] results, Object value) {
        for (int m = 0; m < results.length; m++) {
            if (java.util.Objects.equals(results[m], value)) {
                return m;
            }
        }
        throw UNSURE;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object aggregate(BuiltinAggregator aggregation, Object[] results) {
        switch (aggregation) {
            case COUNT -> {
                return new BigDecimal(new HashSet<>(java.util.Arrays.asList(results)).size());
            }
            case SUM -> {
                // results is never empty here: no rule matching was handed to the interpreter before
                return FeelSubset.sum(java.util.Arrays.asList(results));
            }
            default -> {
                Object best = null;
                for (Object result : results) {
                    if (!(result instanceof Comparable<?>) || (best != null && best.getClass() != result.getClass())) {
                        throw UNSURE;
                    }
                    if (best == null) {
                        best = result;
                    } else {
                        int c = ((Comparable) result).compareTo(best);
                        if (aggregation == BuiltinAggregator.MIN ? c < 0 : c > 0) {
                            best = result;
                        }
                    }
                }
                return best;
            }
        }
    }

    /**
     * A unary test that uses {@code ?}: a boolean FEEL expression of the input, in plain Java where it is in the
     * subset ({@link FeelSubset}), otherwise by KIE's compiled FEEL.
     */
    private static UnaryTests.Test questionMark(String text, Compiling c) {
        FEEL feel = c.feel();
        if (text == null || !text.contains("?")) {
            return null;
        }
        FeelSubset.Compiled java = c.plainJava() ? FeelSubset.compile(text.strip(), c.slotOf(), true, feel) : null;
        if (java != null) {
            FeelSubset.Code code = java.code();
            boolean readsNames = java.readsNames();
            return input -> {
                Object result;
                if (readsNames) {
                    Scope scope = CURRENT.get();
                    if (scope == null) {
                        return UnaryTests.UNSURE;
                    }
                    result = code.eval(scope.slots, scope.defined, input);
                } else {
                    result = code.eval(null, null, input);
                }
                if (result instanceof Boolean b) {
                    return b ? UnaryTests.YES : UnaryTests.NO;
                }
                return UnaryTests.UNSURE;
            };
        }
        CompilerContext context = feel.newCompilerContext();
        c.types().forEach(context::addInputVariableType);
        context.addInputVariableType("?", BuiltInType.UNKNOWN);
        CompiledExpression compiled;
        try {
            compiled = feel.compile(text.strip(), context);
        } catch (RuntimeException e) {
            return null;
        }
        if (compiled == null) {
            return null;
        }
        int[] used = c.namesIn(text);
        return input -> {
            Scope scope = CURRENT.get();
            if (scope == null) {
                return UnaryTests.UNSURE;
            }
            Object result = feel.evaluate(compiled, scope.only(used, text, "?", input));
            if (result instanceof Boolean b) {
                return b ? UnaryTests.YES : UnaryTests.NO;
            }
            return UnaryTests.UNSURE;
        };
    }

    /** The scope of the evaluation running on this thread, for {@code ?} tests. */
    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    // ---------------------------------------------------------------------------------------------- evaluating

    /**
     * Evaluates the whole model on the given inputs (FEEL values by input name).
     *
     * @param tables where the decision tables' matches go, or {@code null}
     * @return the result, or {@code null} when the interpreter must answer (not compiled, or the evaluation would
     *     raise anything)
     */
    Result evaluate(Map<String, Object> given, boolean withTables) {
        if (!compiled) {
            return null;
        }
        Object[] slots = new Object[slotNames.length];
        boolean[] defined = new boolean[slotNames.length];
        for (Map.Entry<String, Object> entry : given.entrySet()) {
            if (decisionNameSet.contains(entry.getKey())) {
                return null; // a given value for a decision: the interpreter does not evaluate it
            }
        }
        for (int i = 0; i < inputs.length; i++) {
            String name = inputNames[i];
            Object value = given.get(name);
            if (value == null && !given.containsKey(name)) {
                return null; // a missing input: the interpreter's error
            }
            if (!inputChecks[i].assignable(value)) {
                return null; // the interpreter's type error
            }
            slots[inputSlots[i]] = value;
            defined[inputSlots[i]] = true;
        }
        Scope scope = new Scope(this, slots, defined, given);
        List<TableMatch> tables = withTables ? new ArrayList<>(4) : null;
        Scope previous = CURRENT.get();
        CURRENT.set(scope);
        int before = events.count();
        try {
            for (Node node : order) {
                Object value = node.evaluate(slots, scope, tables);
                slots[node.slot] = value;
                defined[node.slot] = true;
            }
        } catch (Unsure e) {
            return null;
        } catch (RuntimeException e) { // whatever FEEL threw: the interpreter reports it its way
            return null;
        } finally {
            CURRENT.set(previous);
        }
        if (events.count() != before) {
            return null; // FEEL raised an event: the interpreter turns it into its messages
        }
        Map<String, Object> context = new LinkedHashMap<>(given);
        for (Node node : order) {
            context.put(node.name, slots[node.slot]);
        }
        return new Result(context, decisionNames, tables == null ? List.of() : tables);
    }

    /**
     * Counts FEEL events per thread: any event during a compiled evaluation hands it to the interpreter. The FEEL
     * instance's listeners are shared, so the count is kept per thread.
     */
    private static final class EventCounter implements org.kie.dmn.api.feel.runtime.events.FEELEventListener {
        private final ThreadLocal<int[]> counts = ThreadLocal.withInitial(() -> new int[1]);

        @Override
        public void onEvent(FEELEvent event) {
            counts.get()[0]++;
        }

        int count() {
            return counts.get()[0];
        }
    }

    /**
     * The variables in scope as the map KIE's compiled FEEL reads: a view of the slot array (inputs given, decisions
     * evaluated so far), made once per evaluation.
     */
    private static final class Scope extends AbstractMap<String, Object> {
        private final CompiledDmnModel model;
        private final Object[] slots;
        private final boolean[] defined;
        private final Map<String, Object> extra;

        Scope(CompiledDmnModel model, Object[] slots, boolean[] defined, Map<String, Object> extra) {
            this.model = model;
            this.slots = slots;
            this.defined = defined;
            this.extra = extra;
        }

        /**
         * The variables an expression may read: the defined slots among {@code used}, the given values of names that
         * are not slots and occur in {@code text}, and {@code name} (the unary test's {@code ?}) if not null.
         */
        Map<String, Object> only(int[] used, String text, String name, Object value) {
            Map<String, Object> some = new HashMap<>();
            for (Map.Entry<String, Object> e : extra.entrySet()) {
                if (!model.slotOf.containsKey(e.getKey()) && text.contains(e.getKey())) {
                    some.put(e.getKey(), e.getValue());
                }
            }
            for (int slot : used) {
                if (defined[slot]) {
                    some.put(model.slotNames[slot], slots[slot]);
                }
            }
            if (name != null) {
                some.put(name, value);
            }
            return some;
        }

        @Override
        public Object get(Object key) {
            Integer slot = model.slotOf.get(key);
            if (slot != null && defined[slot]) {
                return slots[slot];
            }
            return extra.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            Integer slot = model.slotOf.get(key);
            return (slot != null && defined[slot]) || extra.containsKey(key);
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    List<Entry<String, Object>> entries = new ArrayList<>(slots.length + extra.size());
                    for (Map.Entry<String, Object> e : extra.entrySet()) {
                        if (!model.slotOf.containsKey(e.getKey())) {
                            entries.add(e);
                        }
                    }
                    for (int i = 0; i < slots.length; i++) {
                        if (defined[i]) {
                            entries.add(new SimpleImmutableEntry<>(model.slotNames[i], slots[i]));
                        }
                    }
                    Iterator<Entry<String, Object>> it = entries.iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public Entry<String, Object> next() {
                            if (!it.hasNext()) {
                                throw new NoSuchElementException();
                            }
                            return it.next();
                        }
                    };
                }

                @Override
                public int size() {
                    int n = 0;
                    for (boolean d : defined) {
                        n += d ? 1 : 0;
                    }
                    for (String key : extra.keySet()) {
                        n += model.slotOf.containsKey(key) ? 0 : 1;
                    }
                    return n;
                }
            };
        }
    }
}
