package io.termsgate.decisionservice;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.termsgate.engine.DecisionMath;
import io.termsgate.engine.ModelResult;
import io.termsgate.web.FieldError;
import io.termsgate.web.JsonBodies;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON to the engine's plain values and back (docs/decision-services.md): numbers as exact {@link BigDecimal}s both
 * ways, strings, booleans, null, objects as maps, arrays as lists. Dates, times and durations travel as ISO 8601
 * strings; the engine reads them by each input's declared type.
 */
final class ModelJson {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /** Numbers beyond this many significant digits or this scale are refused: FEEL computes with 34 digits. */
    static final int MAX_DIGITS = 34;

    static final int MAX_SCALE = 1000;

    private ModelJson() {}

    /** A JSON value as a plain value; a number that cannot be read exactly is a problem of its input. */
    static Object plain(String name, JsonNode node, List<FieldError> problems) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (JsonBodies.isUnreadableNumber(node)) {
            problems.add(new FieldError(name, "is a number too long to be read"));
            return null;
        }
        if (node.isNumber()) {
            BigDecimal number = node.decimalValue();
            if (number.precision() > MAX_DIGITS
                            && DecisionMath.canonical(number).precision() > MAX_DIGITS
                    || Math.abs(number.scale()) > MAX_SCALE) {
                problems.add(new FieldError(name, "must be a number of at most " + MAX_DIGITS + " significant digits"));
                return null;
            }
            return number;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            for (int i = 0; i < node.size(); i++) {
                list.add(plain(name + "[" + i + "]", node.get(i), problems));
            }
            return list;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                map.put(field.getKey(), plain(name + "." + field.getKey(), field.getValue(), problems));
            }
            return map;
        }
        problems.add(new FieldError(name, "is not a JSON value a model can take"));
        return null;
    }

    /** The body's inputs: a JSON object, one member per input. */
    static Map<String, Object> inputs(JsonNode body, List<FieldError> problems) {
        if (body == null || !body.isObject()) {
            problems.add(new FieldError("", "the body must be a JSON object of the model's inputs"));
            return Map.of();
        }
        Map<String, Object> inputs = new LinkedHashMap<>();
        body.fields().forEachRemaining(f -> inputs.put(f.getKey(), plain(f.getKey(), f.getValue(), problems)));
        return inputs;
    }

    /** Kogito's {@code dmnresult}: namespace, modelName, dmnContext, messages, decisionResults. */
    static ObjectNode dmnResult(ModelResult result) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("namespace", result.namespace());
        json.put("modelName", result.modelName());
        json.set("dmnContext", MAPPER.valueToTree(result.context()));
        json.set("messages", MAPPER.valueToTree(result.messages()));
        json.set("decisionResults", MAPPER.valueToTree(result.decisionResults()));
        return json;
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is not JSON", e);
        }
    }
}
