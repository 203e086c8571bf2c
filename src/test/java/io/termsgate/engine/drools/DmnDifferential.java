package io.termsgate.engine.drools;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kie.api.KieServices;
import org.kie.api.io.Resource;
import org.kie.api.io.ResourceType;
import org.kie.dmn.api.core.DMNContext;
import org.kie.dmn.api.core.DMNDecisionResult;
import org.kie.dmn.api.core.DMNModel;
import org.kie.dmn.api.core.DMNResult;
import org.kie.dmn.api.core.DMNRuntime;
import org.kie.dmn.api.core.DMNType;
import org.kie.dmn.api.core.ast.InputDataNode;
import org.kie.dmn.api.core.event.AfterEvaluateDecisionTableEvent;
import org.kie.dmn.api.core.event.DMNRuntimeEventListener;
import org.kie.dmn.core.compiler.RuntimeModeOption;
import org.kie.dmn.core.compiler.RuntimeTypeCheckOption;
import org.kie.dmn.core.impl.DMNRuntimeImpl;
import org.kie.dmn.core.internal.utils.DMNRuntimeBuilder;

/**
 * Evaluates one model both ways, the compiled path ({@link CompiledDmnModel}) and KIE's interpreter, and compares
 * exactly: every decision's value (FEEL values as they are: a BigDecimal's scale counts), the result context, and
 * each decision table's matched and selected rules. Where the compiled path hands an evaluation to the interpreter
 * (it returns null), the interpreter's is the answer and nothing is compared; those are counted. A compiled answer
 * where the interpreter reported any message or any decision not SUCCEEDED is a mismatch too: the compiled path must
 * never answer cleanly where the interpreter does not.
 */
final class DmnDifferential {

    final DMNRuntime runtime;
    final DMNModel model;
    final CompiledDmnModel compiled;
    int compared;
    int handedOn;
    /** Handed to the interpreter though it answered cleanly: what the compiled path could still take on. */
    int needlessly;

    final List<String> needless = new ArrayList<>();
    final List<String> mismatches = new ArrayList<>();
    private final List<List<Object>> tables = new ArrayList<>();

    DmnDifferential(DMNRuntime runtime, DMNModel model) {
        this.runtime = runtime;
        this.model = model;
        this.compiled = CompiledDmnModel.compile(runtime, model);
        runtime.addListener(new DMNRuntimeEventListener() {
            @Override
            public void afterEvaluateDecisionTable(AfterEvaluateDecisionTableEvent event) {
                tables.add(List.of(event.getNodeName(), event.getMatches(), event.getSelected()));
            }
        });
    }

    /** The DMN files as the engine compiles them: strict mode, type checks on. */
    static DMNRuntime runtime(Map<String, byte[]> files) {
        KieServices kie = KieServices.get();
        List<Resource> resources = new ArrayList<>();
        files.forEach((path, bytes) -> {
            Resource resource = kie.getResources().newByteArrayResource(bytes);
            resource.setSourcePath(path);
            resource.setResourceType(ResourceType.DMN);
            resources.add(resource);
        });
        DMNRuntime runtime = DMNRuntimeBuilder.fromDefaults()
                .setRootClassLoader(DmnDifferential.class.getClassLoader())
                .setOption(new RuntimeTypeCheckOption(true))
                .buildConfiguration()
                .fromResources(resources)
                .getOrElseThrow(e -> new IllegalStateException(e));
        ((DMNRuntimeImpl) runtime).setOption(new RuntimeModeOption(RuntimeModeOption.MODE.STRICT));
        return runtime;
    }

    void check(Map<String, Object> inputs) {
        tables.clear();
        DMNContext context = runtime.newContext();
        inputs.forEach(context::set);
        DMNResult oracle = runtime.evaluateAll(model, context);
        List<List<Object>> oracleTables = List.copyOf(tables);
        CompiledDmnModel.Result fast = compiled.evaluate(inputs, true);
        if (fast == null) {
            handedOn++;
            boolean clean = oracle.getMessages().isEmpty()
                    && oracle.getDecisionResults().stream()
                            .allMatch(d ->
                                    d.getEvaluationStatus() == DMNDecisionResult.DecisionEvaluationStatus.SUCCEEDED);
            if (clean) {
                needlessly++;
                if (needless.size() < 5) {
                    needless.add(inputs + " -> " + oracle.getContext().getAll());
                }
            }
            return;
        }
        compared++;
        List<String> differences = new ArrayList<>();
        if (!oracle.getMessages().isEmpty()) {
            differences.add("the interpreter reported " + oracle.getMessages());
        }
        for (DMNDecisionResult decision : oracle.getDecisionResults()) {
            if (decision.getEvaluationStatus() != DMNDecisionResult.DecisionEvaluationStatus.SUCCEEDED) {
                differences.add(decision.getDecisionName() + " " + decision.getEvaluationStatus());
            }
            Object expected = decision.getResult();
            Object actual = fast.context().get(decision.getDecisionName());
            if (!exactlyEqual(expected, actual)) {
                differences.add(decision.getDecisionName() + ": interpreted " + describe(expected) + ", compiled "
                        + describe(actual));
            }
        }
        Map<String, Object> oracleContext = oracle.getContext().getAll();
        if (!oracleContext.keySet().equals(fast.context().keySet())) {
            differences.add("context names " + oracleContext.keySet() + " vs "
                    + fast.context().keySet());
        }
        List<List<Object>> fastTables = fast.tables().stream()
                .map(t -> List.<Object>of(t.decision(), t.matches(), t.selected()))
                .toList();
        if (!oracleTables.equals(fastTables)) {
            differences.add("tables " + oracleTables + " vs " + fastTables);
        }
        if (!differences.isEmpty() && mismatches.size() < 20) {
            mismatches.add(model.getName() + " on " + inputs + ": " + differences);
        }
        if (!differences.isEmpty() && mismatches.size() >= 20) {
            mismatches.add("...");
        }
    }

    /** Equal as FEEL values are equal to the bit: same classes, BigDecimals with the same scale, deep. */
    static boolean exactlyEqual(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            if (!ma.keySet().equals(mb.keySet())) {
                return false;
            }
            for (Object key : ma.keySet()) {
                if (!exactlyEqual(ma.get(key), mb.get(key))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if (la.size() != lb.size()) {
                return false;
            }
            for (int i = 0; i < la.size(); i++) {
                if (!exactlyEqual(la.get(i), lb.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.getClass() == b.getClass() && Objects.equals(a, b);
    }

    private static String describe(Object value) {
        return value == null ? "null" : value + " (" + value.getClass().getSimpleName() + ")";
    }

    // ------------------------------------------------------------------------------------ generated inputs

    /** Random inputs for a model: by each input's type, from the model's own literals, plus nulls and wrong types. */
    static final class Inputs {
        private final Random random;
        private final List<BigDecimal> numbers = new ArrayList<>();
        private final List<String> strings = new ArrayList<>();

        Inputs(long seed, String modelXml) {
            this.random = new Random(seed);
            Set<BigDecimal> n = new LinkedHashSet<>();
            Set<String> s = new LinkedHashSet<>();
            Matcher texts =
                    Pattern.compile("<text>(.*?)</text>", Pattern.DOTALL).matcher(modelXml);
            while (texts.find()) {
                String text = texts.group(1)
                        .replace("&quot;", "\"")
                        .replace("&lt;", "<")
                        .replace("&gt;", ">");
                Matcher quoted = Pattern.compile("\"([^\"]*)\"").matcher(text);
                while (quoted.find()) {
                    s.add(quoted.group(1));
                }
                Matcher number =
                        Pattern.compile("(?<![\\w\"])-?\\d+(\\.\\d+)?").matcher(text.replaceAll("\"[^\"]*\"", ""));
                while (number.find()) {
                    BigDecimal b = new BigDecimal(number.group());
                    n.add(b);
                    n.add(b.subtract(BigDecimal.ONE));
                    n.add(b.add(BigDecimal.ONE));
                    n.add(b.add(new BigDecimal("0.01")));
                    n.add(b.subtract(new BigDecimal("0.01")));
                }
            }
            n.add(BigDecimal.ZERO);
            numbers.addAll(n);
            strings.addAll(s);
            strings.add("");
            strings.add("other");
        }

        private boolean dirty;

        /** One input set: four in five clean (every value of its type), one in five with nulls and wrong types. */
        Map<String, Object> forModel(DMNModel model) {
            dirty = random.nextInt(5) == 0;
            Map<String, Object> inputs = new LinkedHashMap<>();
            for (InputDataNode input : model.getInputs()) {
                inputs.put(input.getName(), value(input.getType(), 0));
            }
            return inputs;
        }

        Object value(DMNType type, int depth) {
            int roll = dirty ? random.nextInt(100) : 100;
            if (roll < 8) {
                return null;
            }
            if (roll < 14) {
                return wrong();
            }
            if (type == null) {
                return number();
            }
            if (type.isCollection()) {
                List<Object> list = new ArrayList<>();
                int size = random.nextInt(4);
                DMNType element = type.isComposite() ? type : type.getBaseType();
                for (int i = 0; i < size; i++) {
                    list.add(
                            type.isComposite()
                                    ? fields(type, depth)
                                    : value(element == type ? null : element, depth + 1));
                }
                return list;
            }
            if (type.isComposite()) {
                return fields(type, depth);
            }
            String allowed = FeelValues.allowedValues(type);
            String feel = FeelValues.feelOf(type);
            return switch (feel) {
                case "number" -> allowed != null && allowed.startsWith("[") ? integerBetween(allowed) : number();
                case "string" -> allowed != null && random.nextInt(10) < 9 ? oneOf(allowed) : string();
                case "boolean" -> random.nextBoolean();
                case "date" -> LocalDate.of(2024, 1, 1).plusDays(random.nextInt(720) - 200);
                case "days and time duration" -> Duration.ofHours(random.nextInt(96));
                default -> random.nextBoolean() ? number() : string();
            };
        }

        private Map<String, Object> fields(DMNType type, int depth) {
            Map<String, Object> map = new LinkedHashMap<>();
            if (depth > 4) {
                return map;
            }
            type.getFields().forEach((name, field) -> {
                if (!dirty || random.nextInt(100) >= 5) { // now and then a field is missing altogether
                    map.put(name, value(field, depth + 1));
                }
            });
            return map;
        }

        private Object integerBetween(String range) {
            Matcher m = Pattern.compile("\\[(\\d+)\\.\\.(\\d+)\\]").matcher(range);
            if (m.matches()) {
                int low = Integer.parseInt(m.group(1));
                int high = Integer.parseInt(m.group(2));
                return BigDecimal.valueOf(low + random.nextInt(Math.min(high - low + 2, 8)));
            }
            return number();
        }

        private String oneOf(String allowed) {
            List<String> values = new ArrayList<>();
            Matcher quoted = Pattern.compile("\"([^\"]*)\"").matcher(allowed);
            while (quoted.find()) {
                values.add(quoted.group(1));
            }
            return values.isEmpty() ? string() : values.get(random.nextInt(values.size()));
        }

        BigDecimal number() {
            int roll = random.nextInt(10);
            if (roll < 6 && !numbers.isEmpty()) {
                return numbers.get(random.nextInt(numbers.size()));
            }
            if (roll < 8) {
                return BigDecimal.valueOf(random.nextInt(2_000_000) - 100_000);
            }
            return BigDecimal.valueOf(random.nextInt(100_000_000), random.nextInt(4));
        }

        String string() {
            return strings.get(random.nextInt(strings.size()));
        }

        private Object wrong() {
            return switch (random.nextInt(4)) {
                case 0 -> "not a number";
                case 1 -> BigDecimal.TEN;
                case 2 -> Boolean.TRUE;
                default -> List.of("x");
            };
        }
    }

    static String xml(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
