package io.termsgate.engine.drools;

import io.termsgate.engine.DecisionMath;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** Turns FEEL values into plain, exact JSON-friendly values for traces and the decision's outputs. */
final class DmnValues {

    private DmnValues() {}

    static Object toPlain(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof BigDecimal number) {
            return DecisionMath.canonical(number);
        }
        if (value instanceof Number number) {
            return DecisionMath.canonical(new BigDecimal(number.toString()));
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> plain = new TreeMap<>();
            map.forEach((k, v) -> plain.put(String.valueOf(k), toPlain(v)));
            return plain;
        }
        if (value instanceof Collection<?> list) {
            return list.stream().map(DmnValues::toPlain).toList();
        }
        return value.toString();
    }
}
