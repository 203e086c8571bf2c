package io.termsgate.engine.drools;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kie.dmn.api.core.DMNModel;
import org.kie.dmn.api.core.DMNRuntime;
import org.kie.dmn.api.core.DMNType;
import org.kie.dmn.api.core.ast.ItemDefNode;
import org.kie.dmn.feel.FEEL;

/**
 * The compiled DMN path's type checks ({@link DmnTypeCheck}) answer as KIE's {@code DMNType.isAssignableValue}: the
 * plain-Java short cut may say yes only where KIE says yes. Every type of every shipped model (item definitions, their
 * fields at any depth), each asked about values made for it (right and wrong classes, allowed and other values, nulls,
 * empty, singleton and longer lists, contexts with fields missing or of the wrong type) and random values.
 */
class DmnTypeCheckDifferentialTest {

    private static final FEEL FEEL_ = FEEL.newInstance(DmnTypeCheckDifferentialTest.class.getClassLoader(), List.of());

    @Test
    void theShortCutSaysYesOnlyWhereKieDoes() throws Exception {
        DMNRuntime runtime = DmnDifferential.runtime(DmnCompiledDifferentialTest.shippedDmn());
        List<DMNType> types = new ArrayList<>();
        Set<DMNType> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (DMNModel model : runtime.getModels()) {
            for (ItemDefNode item : model.getItemDefinitions()) {
                collect(item.getType(), seen, types);
            }
        }
        assertThat(types).hasSizeGreaterThan(20);

        Random random = new Random(16);
        int asked = 0;
        int shortCut = 0;
        List<String> wrong = new ArrayList<>();
        for (DMNType type : types) {
            DmnTypeCheck check = DmnTypeCheck.of(type, FEEL_);
            List<Object> values = valuesFor(type, random, 0);
            for (int i = 0; i < 40; i++) {
                values.add(randomValue(random, 0));
            }
            for (Object value : values) {
                asked++;
                boolean fast = check.shortCut(value);
                boolean kie = type.isAssignableValue(value);
                if (fast) {
                    shortCut++;
                    if (!kie) {
                        wrong.add(type.getName() + " <- " + value);
                    }
                }
                assertThat(check.assignable(value))
                        .as("%s <- %s", type.getName(), value)
                        .isEqualTo(kie);
            }
        }
        assertThat(wrong).as("the short cut said yes where KIE says no").isEmpty();
        // the short cut is taken, not merely safe: most right values of these types never reach KIE's check
        assertThat(shortCut).isGreaterThan(asked / 10);
    }

    /** The case the credit decision meets most: a context whose list field holds one element. */
    @Test
    void aSingletonListFieldIsAnsweredInPlainJava() throws Exception {
        DMNRuntime runtime = DmnDifferential.runtime(DmnCompiledDifferentialTest.shippedDmn());
        DMNModel credit = runtime.getModels().stream()
                .filter(m -> m.getName().equals("credit-terms"))
                .findFirst()
                .orElseThrow();
        DMNType knockouts = credit.getItemDefinitionByName("tKnockouts").getType();
        DmnTypeCheck check = DmnTypeCheck.of(knockouts, FEEL_);
        Map<String, Object> one = Map.of("declined", false, "referralRoutes", List.of("CREDIT_MANAGER"));
        Map<String, Object> oneNull = new LinkedHashMap<>();
        oneNull.put("declined", false);
        oneNull.put("referralRoutes", Collections.singletonList(null));
        Map<String, Object> oneNumber = Map.of("declined", false, "referralRoutes", List.of(BigDecimal.ONE));

        assertThat(check.shortCut(one)).isTrue();
        assertThat(knockouts.isAssignableValue(one)).isTrue();
        assertThat(check.shortCut(oneNumber)).isFalse();
        assertThat(check.assignable(oneNumber)).isEqualTo(knockouts.isAssignableValue(oneNumber));
        assertThat(check.shortCut(oneNull)).isFalse();
        assertThat(check.assignable(oneNull)).isEqualTo(knockouts.isAssignableValue(oneNull));
    }

    private static void collect(DMNType type, Set<DMNType> seen, List<DMNType> types) {
        if (type == null || !seen.add(type)) {
            return;
        }
        types.add(type);
        if (type.getFields() != null) {
            type.getFields().values().forEach(t -> collect(t, seen, types));
        }
        collect(type.getBaseType(), seen, types);
    }

    /** Values aimed at a type: what it should accept, and near misses. */
    private static List<Object> valuesFor(DMNType type, Random random, int depth) {
        List<Object> values = new ArrayList<>();
        values.add(null);
        if (depth > 3) {
            return values;
        }
        if (type.isComposite() && type.getFields() != null) {
            Map<String, Object> full = new LinkedHashMap<>();
            type.getFields().forEach((name, field) -> full.put(name, first(valuesFor(field, random, depth + 1))));
            values.add(full);
            for (String name : type.getFields().keySet()) {
                Map<String, Object> missing = new LinkedHashMap<>(full);
                missing.remove(name);
                values.add(missing);
                Map<String, Object> wrongType = new LinkedHashMap<>(full);
                wrongType.put(name, randomValue(random, 2));
                values.add(wrongType);
                for (Object fieldValue : valuesFor(type.getFields().get(name), random, depth + 1)) {
                    Map<String, Object> variant = new LinkedHashMap<>(full);
                    variant.put(name, fieldValue);
                    values.add(variant);
                }
            }
            values.add(List.of(full));
            return values;
        }
        List<Object> scalars = new ArrayList<>(List.of(
                "A",
                "B",
                "E",
                "Z",
                "APPROVED",
                "CREDIT_MANAGER",
                "NONE",
                "REMINDER",
                "DE",
                "",
                BigDecimal.ZERO,
                new BigDecimal("12.5"),
                BigDecimal.valueOf(-3),
                Boolean.TRUE,
                Boolean.FALSE,
                7));
        for (Object scalar : scalars) {
            values.add(scalar);
            values.add(List.of(scalar));
        }
        values.add(List.of());
        values.add(List.of("A", "B"));
        values.add(List.of("CREDIT_ANALYST", "CFO", "NONE"));
        values.add(List.of(BigDecimal.ONE, BigDecimal.TEN));
        values.add(Collections.singletonList(null));
        values.add(Arrays.asList("A", null));
        values.add(List.of(List.of("A")));
        values.add(List.of(List.of("A", "B")));
        values.add(Map.of("x", "A"));
        return values;
    }

    private static Object first(List<Object> values) {
        return values.size() > 1 ? values.get(1) : null;
    }

    private static Object randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 2 ? 5 : 7);
        return switch (kind) {
            case 0 -> null;
            case 1 -> List.of("A", "B", "C", "D", "E", "X", "APPROVED", "CFO").get(random.nextInt(8));
            case 2 -> BigDecimal.valueOf(random.nextInt(2000) - 1000, random.nextInt(3));
            case 3 -> random.nextBoolean();
            case 4 -> random.nextInt(10);
            case 5 -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    list.add(randomValue(random, depth + 1));
                }
                yield list;
            }
            default -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    map.put(
                            List.of("route", "reasons", "declined", "referralRoutes", "id")
                                    .get(random.nextInt(5)),
                            randomValue(random, depth + 1));
                }
                yield map;
            }
        };
    }
}
