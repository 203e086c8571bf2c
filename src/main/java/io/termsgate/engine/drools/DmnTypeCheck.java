package io.termsgate.engine.drools;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.kie.dmn.api.core.DMNType;
import org.kie.dmn.core.impl.BaseDMNTypeImpl;
import org.kie.dmn.core.impl.CompositeTypeImpl;
import org.kie.dmn.core.impl.SimpleTypeImpl;
import org.kie.dmn.feel.FEEL;
import org.kie.dmn.feel.lang.types.BuiltInType;
import org.kie.dmn.feel.lang.types.GenListType;
import org.kie.dmn.feel.runtime.UnaryTest;

/**
 * {@link DMNType#isAssignableValue} as the compiled DMN path asks it after every decision and of every input, with a
 * plain-Java short cut for the common types: numbers, strings and booleans, those with allowed values in the unary-test
 * subset ({@link UnaryTests}), lists of these, and contexts (structures) of all of these. The short cut only ever says
 * yes, and only where KIE's check plainly says yes too (the value of the right Java class, every field present, each
 * allowed value matched); anything else (a null where allowed values apply, a missing field, a singleton list of null)
 * is asked of KIE's own check, so the answer is always KIE's. {@code DmnTypeCheckDifferentialTest} holds the short cut
 * to that on every type of the shipped models.
 */
final class DmnTypeCheck {

    /** A check that says yes only where KIE's does. */
    @FunctionalInterface
    private interface Yes {
        boolean yes(Object value);
    }

    private final DMNType type;
    private final Yes fast;

    private DmnTypeCheck(DMNType type, Yes fast) {
        this.type = type;
        this.fast = fast;
    }

    /** @param feel evaluates the literals of allowed values once */
    static DmnTypeCheck of(DMNType type, FEEL feel) {
        Yes fast;
        try {
            fast = type == null ? value -> true : yes(type, feel, 0);
        } catch (RuntimeException e) {
            fast = null;
        }
        return new DmnTypeCheck(type, fast);
    }

    /** The plain-Java answer alone: true only where KIE's check says yes too (for the differential test). */
    boolean shortCut(Object value) {
        return fast != null && fast.yes(value);
    }

    /** Exactly {@code type.isAssignableValue(value)} (true when there is no type). */
    boolean assignable(Object value) {
        if (fast != null && fast.yes(value)) {
            return true;
        }
        return type == null || type.isAssignableValue(value);
    }

    /** The short cut for a type, or {@code null} when it has none. */
    private static Yes yes(DMNType type, FEEL feel, int depth) {
        if (depth > 16 || !(type instanceof BaseDMNTypeImpl base)) {
            return null;
        }
        List<UnaryTest> constraint = base.getTypeConstraintFEEL();
        if (constraint != null && !constraint.isEmpty()) {
            return null;
        }
        List<UnaryTest> allowed = base.getAllowedValuesFEEL();
        boolean nullAssignable = allowed == null && constraint == null;
        if (type instanceof CompositeTypeImpl) {
            return composite(base, feel, depth, nullAssignable, allowed);
        }
        if (!(type instanceof SimpleTypeImpl)) {
            return null;
        }
        if (type.isCollection()) {
            DMNType element = type.getBaseType();
            Yes elementYes = element == null || element == type ? null : yes(element, feel, depth + 1);
            if (elementYes == null || allowed != null) {
                return null;
            }
            // KIE: every element assignable to the base type, and the value a collection
            return value -> {
                if (value == null) {
                    return nullAssignable;
                }
                if (!(value instanceof Collection<?> elements)) {
                    return false;
                }
                for (Object e : elements) {
                    if (!elementYes.yes(e)) {
                        return false;
                    }
                }
                return true;
            };
        }
        if (base.getFeelType() instanceof GenListType list) {
            return listField(type, list, feel, depth, nullAssignable, allowed);
        }
        Class<?> javaClass = javaClass(base.getFeelType());
        if (javaClass == null) {
            return null;
        }
        DMNType baseType = type.getBaseType();
        Yes baseYes = baseType == null ? null : yes(baseType, feel, depth + 1);
        if (baseType != null && baseYes == null) {
            return null;
        }
        UnaryTests.Test[] tests = allowedValues(allowed, feel);
        if (allowed != null && !allowed.isEmpty() && tests == null) {
            return null;
        }
        return value -> {
            if (value == null) {
                return nullAssignable;
            }
            if (!javaClass.isInstance(value) || (baseYes != null && !baseYes.yes(value))) {
                return false;
            }
            if (tests == null) {
                return true;
            }
            for (UnaryTests.Test test : tests) {
                if (test.test(value) == UnaryTests.YES) {
                    return true;
                }
            }
            return false;
        };
    }

    /**
     * A field (or decision) typed by a list type: not itself a collection type, its base the list type. KIE unwraps a
     * singleton list before checking, so only lists of another size are answered here: assignable to the base, each
     * element an instance of the list's element type.
     */
    private static Yes listField(
            DMNType type, GenListType list, FEEL feel, int depth, boolean nullAssignable, List<UnaryTest> allowed) {
        DMNType baseType = type.getBaseType();
        Class<?> elementClass = javaClass(list.getGen());
        Yes baseYes = baseType == null || !baseType.isCollection() ? null : yes(baseType, feel, depth + 1);
        if (baseYes == null || elementClass == null || allowed != null) {
            return null;
        }
        return value -> {
            if (value == null) {
                return nullAssignable;
            }
            if (!(value instanceof Collection<?> elements)) {
                return false;
            }
            if (elements.size() == 1) {
                // KIE unwraps [x] to x, then asks the base (a collection type, which wraps x back into [x]) and the
                // list's FEEL type (x an instance of its element type): both yes for a non-null x that is no list
                Object x = elements.iterator().next();
                return x != null
                        && !(x instanceof Collection<?>)
                        && elementClass.isInstance(x)
                        && baseYes.yes(Collections.singletonList(x));
            }
            if (!baseYes.yes(value)) {
                return false;
            }
            for (Object e : elements) {
                if (!elementClass.isInstance(e)) {
                    return false;
                }
            }
            return true;
        };
    }

    private static Yes composite(
            BaseDMNTypeImpl type, FEEL feel, int depth, boolean nullAssignable, List<UnaryTest> allowed) {
        if (type.isCollection()
                || type.getBaseType() != null
                || allowed != null
                || !(type.getFeelType() instanceof org.kie.dmn.feel.lang.impl.MapBackedType)) {
            return null;
        }
        List<String> names = new ArrayList<>();
        List<Yes> checks = new ArrayList<>();
        for (Map.Entry<String, DMNType> field : type.getFields().entrySet()) {
            Yes check = yes(field.getValue(), feel, depth + 1);
            if (check == null) {
                return null;
            }
            names.add(field.getKey());
            checks.add(check);
        }
        String[] fieldNames = names.toArray(String[]::new);
        Yes[] fieldChecks = checks.toArray(Yes[]::new);
        // KIE: a context holding every field, each assignable to its type (checked by map and by fields alike)
        return value -> {
            if (value == null) {
                return nullAssignable;
            }
            if (!(value instanceof Map<?, ?> map)) {
                return false;
            }
            for (int i = 0; i < fieldNames.length; i++) {
                Object v = map.get(fieldNames[i]);
                if ((v == null && !map.containsKey(fieldNames[i])) || !fieldChecks[i].yes(v)) {
                    return false;
                }
            }
            return true;
        };
    }

    private static Class<?> javaClass(org.kie.dmn.feel.lang.Type type) {
        // an item definition with allowed values: an alias whose checks are its built-in type's
        org.kie.dmn.feel.lang.Type feelType =
                type instanceof org.kie.dmn.feel.lang.types.AliasFEELType alias ? alias.getBuiltInType() : type;
        if (feelType == BuiltInType.NUMBER) {
            return BigDecimal.class;
        }
        if (feelType == BuiltInType.STRING) {
            return String.class;
        }
        if (feelType == BuiltInType.BOOLEAN) {
            return Boolean.class;
        }
        return null;
    }

    /** The allowed values in the unary-test subset, or {@code null}. */
    private static UnaryTests.Test[] allowedValues(List<UnaryTest> allowed, FEEL feel) {
        if (allowed == null || allowed.isEmpty()) {
            return null;
        }
        List<UnaryTests.Test> tests = new ArrayList<>();
        for (UnaryTest test : allowed) {
            String text = String.valueOf(test);
            UnaryTests.Test compiled =
                    text.isBlank() || text.strip().equals("-") ? null : UnaryTests.compile(text, feel);
            if (compiled == null) {
                return null;
            }
            tests.add(compiled);
        }
        return tests.toArray(UnaryTests.Test[]::new);
    }
}
