package io.termsgate.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.termsgate.engine.ApplicationField;
import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.DecisionMath;
import io.termsgate.engine.DecisionTrace;
import io.termsgate.engine.Evaluation;
import io.termsgate.engine.FieldRule;
import io.termsgate.engine.ResultField;
import io.termsgate.engine.RulesetSource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one way requests, results and traces are written as JSON for the log: fixed field order, plain exact numbers,
 * no whitespace. The same value always gives the same text, so the text can be hashed and compared.
 */
final class CanonicalJson {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** The fields of a decision's result, in the order checkout reads them. */
    public static final List<String> RESULT_FIELDS = ResultField.names();

    private CanonicalJson() {}

    public static String request(CreditApplication application) {
        return request(application, EnumSet.allOf(ApplicationField.class));
    }

    /**
     * The request as the client sent it: only the fields it gave, so a left-out field differs from its default. The
     * fields added with credit lines are written only when they say something (an order id, a held amount above 0),
     * so an assessment of a buyer with nothing held is written as it always was, and reads back the same.
     */
    public static String request(CreditApplication application, Set<ApplicationField> given) {
        Set<ApplicationField> written = EnumSet.noneOf(ApplicationField.class);
        written.addAll(given);
        if (application.order().getId() == null) {
            written.remove(ApplicationField.ORDER_ID);
        }
        if (application.customer().getHeldAmount().signum() == 0) {
            written.remove(ApplicationField.HELD_AMOUNT);
        }
        return write(ApplicationField.tree(application, value -> value, written));
    }

    /** Reads back a request this class wrote (stored requests are canonical and were valid when decided). */
    public static CreditApplication readRequest(String json) {
        JsonNode root = tree(json);
        return ApplicationField.application(field -> {
            JsonNode node = root.at("/" + field.path().replace('.', '/'));
            if (node.isMissingNode() || node.isNull()) {
                return null;
            }
            FieldRule rule = field.rule();
            if (rule instanceof FieldRule.Decimal) {
                return node.decimalValue();
            } else if (rule instanceof FieldRule.Whole) {
                return node.intValue();
            } else if (rule instanceof FieldRule.Flags) {
                Set<String> values = new LinkedHashSet<>();
                node.forEach(value -> values.add(value.asText()));
                return values;
            }
            return node.asText();
        });
    }

    public static String result(Evaluation e, String currency) {
        Map<String, Object> result = new LinkedHashMap<>();
        for (ResultField field : ResultField.values()) {
            result.put(field.fieldName(), field.of(e, currency));
        }
        return write(result);
    }

    public static String trace(DecisionTrace trace) {
        return write(trace);
    }

    public static String engineVersions(Map<String, String> versions) {
        // the same few versions for every decision of a running service: written once, not once a decision
        WrittenVersions last = lastEngineVersions;
        if (last != null && last.versions().equals(versions)) {
            return last.json();
        }
        Map<String, String> copy = Map.copyOf(versions);
        String json = write(new TreeMap<>(copy));
        lastEngineVersions = new WrittenVersions(copy, json);
        return json;
    }

    private record WrittenVersions(Map<String, String> versions, String json) {}

    private static volatile WrittenVersions lastEngineVersions;

    /** The result fields of a stored result, in order, as plain values (numbers as BigDecimal). */
    public static Map<String, Object> resultFields(String resultJson) {
        JsonNode node = tree(resultJson);
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String field : RESULT_FIELDS) {
            fields.put(field, plain(node.get(field)));
        }
        return fields;
    }

    private static Object plain(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return DecisionMath.canonical(node.decimalValue());
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(plain(item)));
            return list;
        }
        return node.asText();
    }

    public static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is not JSON", e);
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static String sha256(String text) {
        return RulesetSource.sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }
}
