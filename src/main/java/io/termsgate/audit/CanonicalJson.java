package io.termsgate.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
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
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The one way requests, results and traces are written as JSON for the log: fixed field order, plain exact numbers,
 * no whitespace. The same value always gives the same text, so the text can be hashed and compared.
 */
final class CanonicalJson {

    public static final ObjectMapper MAPPER = canonical().build();

    /** The same, reading: a name twice in an object fails, and the reader falls back to the tree (last one wins). */
    private static final ObjectMapper STRICT =
            canonical().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private static JsonMapper.Builder canonical() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.INDENT_OUTPUT)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }

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

    /** Where each request field is in the request's JSON: one place per object name, a field at each leaf. */
    private static final Place REQUEST_PLACES = Place.of(ApplicationField.values());

    /** A name in the request's JSON: the field found there, or the places within its object. */
    private static final class Place {
        final Map<String, Place> within = new HashMap<>();
        ApplicationField field;

        static Place of(ApplicationField[] fields) {
            Place root = new Place();
            for (ApplicationField field : fields) {
                Place place = root;
                for (String name : field.path().split("\\.")) {
                    place = place.within.computeIfAbsent(name, n -> new Place());
                }
                place.field = field;
            }
            return root;
        }
    }

    /**
     * Reads back a request this class wrote (stored requests are canonical and were valid when decided), in one pass
     * over its text: a backtest reads every request of its window. Whatever is not plainly canonical (a duplicate name,
     * a value of another shape than its field's) is read as a tree, as {@link #readRequestAsTree} does, so every text
     * gives the same application either way (CanonicalJsonTest).
     */
    public static CreditApplication readRequest(String json) {
        return inOnePass(
                json,
                parser -> {
                    Map<ApplicationField, Object> values = new EnumMap<>(ApplicationField.class);
                    readRequestObject(parser, REQUEST_PLACES, values);
                    return ApplicationField.application(values::get);
                },
                CanonicalJson::readRequestAsTree);
    }

    /** Reads a JSON object from its first name on; an exception sends the text to the tree reader. */
    private interface ObjectReader<T> {
        T read(JsonParser parser) throws IOException;
    }

    /**
     * What {@code reader} reads from {@code json}'s object, or, for a text that is no object, has a name twice or a
     * number out of bounds, what {@code asTree} reads: the one-pass readers never answer where the tree would not.
     */
    private static <T> T inOnePass(String json, ObjectReader<T> reader, Function<String, T> asTree) {
        T value = null;
        try (JsonParser parser = STRICT.createParser(json)) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                value = reader.read(parser);
            }
        } catch (IOException | RuntimeException e) {
            value = null;
        }
        return value != null ? value : asTree.apply(json);
    }

    private static void readRequestObject(JsonParser parser, Place object, Map<ApplicationField, Object> values)
            throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            Place place = object.within.get(parser.currentName());
            JsonToken token = parser.nextToken();
            if (place == null) {
                skip(parser, token);
            } else if (place.field != null) {
                values.put(place.field, requestValue(parser, token, place.field.rule()));
            } else if (token == JsonToken.START_OBJECT) {
                readRequestObject(parser, place, values);
            } else {
                skip(parser, token); // not an object: nothing within it is found
            }
        }
    }

    /** A field's value from the current token: the plain cases at once, the rest through the tree, exactly as it. */
    private static Object requestValue(JsonParser parser, JsonToken token, FieldRule rule) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        boolean integer = token == JsonToken.VALUE_NUMBER_INT;
        if (rule instanceof FieldRule.Decimal && integer) {
            return parser.getDecimalValue();
        } else if (rule instanceof FieldRule.Whole && integer && parser.getNumberType() == JsonParser.NumberType.INT) {
            return parser.getIntValue();
        } else if (rule instanceof FieldRule.Flags && token == JsonToken.START_ARRAY) {
            Set<String> flags = new LinkedHashSet<>();
            for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
                flags.add(
                        item == JsonToken.VALUE_STRING
                                ? parser.getText()
                                : asTree(parser).asText());
            }
            return flags;
        } else if (token == JsonToken.VALUE_STRING
                && (rule instanceof FieldRule.Text || rule instanceof FieldRule.OneOf)) {
            return parser.getText();
        }
        return treeValue(asTree(parser), rule);
    }

    /** Reads back a request as a tree, field by field: what {@link #readRequest} must always agree with. */
    static CreditApplication readRequestAsTree(String json) {
        JsonNode root = tree(json);
        return ApplicationField.application(field -> {
            JsonNode node = root.at("/" + field.path().replace('.', '/'));
            if (node.isMissingNode() || node.isNull()) {
                return null;
            }
            return treeValue(node, field.rule());
        });
    }

    private static Object treeValue(JsonNode node, FieldRule rule) {
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

    /**
     * The result fields of a stored result, in order, as plain values (numbers as BigDecimal), in one pass over its
     * text; a text that is not plainly canonical (a duplicate name, an object where a value belongs) is read as a tree,
     * as {@link #resultFieldsAsTree} does, so every text gives the same fields either way (CanonicalJsonTest).
     */
    public static Map<String, Object> resultFields(String resultJson) {
        return inOnePass(
                resultJson,
                parser -> {
                    Map<String, Object> fields = new LinkedHashMap<>();
                    for (String field : RESULT_FIELDS) {
                        fields.put(field, null);
                    }
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String name = parser.currentName();
                        JsonToken token = parser.nextToken();
                        if (fields.containsKey(name)) {
                            fields.put(name, plain(parser, token));
                        } else {
                            skip(parser, token);
                        }
                    }
                    return fields;
                },
                CanonicalJson::resultFieldsAsTree);
    }

    private static Object plain(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case VALUE_NULL:
                return null;
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return DecisionMath.canonical(parser.getDecimalValue());
            case VALUE_STRING:
            case VALUE_TRUE:
            case VALUE_FALSE:
                return parser.getText();
            case START_ARRAY:
                List<Object> list = new ArrayList<>();
                for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
                    list.add(plain(parser, item));
                }
                return list;
            default:
                return plain(asTree(parser));
        }
    }

    /** The result fields of a stored result read as a tree: what {@link #resultFields(String)} must agree with. */
    static Map<String, Object> resultFieldsAsTree(String resultJson) {
        JsonNode node = tree(resultJson);
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String field : RESULT_FIELDS) {
            fields.put(field, plain(node.get(field)));
        }
        return fields;
    }

    /**
     * Passes over a value nobody asked for, its numbers still read as numbers: the tree reader reads every number,
     * and a number it cannot read must fail here too (and send the text to the tree reader, which then fails).
     */
    private static void skip(JsonParser parser, JsonToken token) throws IOException {
        int depth = 0;
        for (JsonToken at = token; ; at = parser.nextToken()) {
            if (at.isNumeric()) {
                parser.getDecimalValue();
            } else if (at.isStructStart()) {
                depth++;
            } else if (at.isStructEnd()) {
                depth--;
            }
            if (depth == 0) {
                return;
            }
        }
    }

    /** The value at the parser's current token as a tree node, read as {@link #tree} reads it. */
    private static JsonNode asTree(JsonParser parser) throws IOException {
        return MAPPER.readTree(parser);
    }

    /**
     * The result fields of an evaluation exactly as {@link #resultFields(String)} reads them back from
     * {@link #result(Evaluation, String)}'s text, without writing and parsing that text: a backtest compares every
     * decision of its window this way.
     */
    public static Map<String, Object> resultFields(Evaluation e, String currency) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (ResultField field : ResultField.values()) {
            Object value = field.of(e, currency);
            if (value instanceof BigDecimal decimal && decimal.precision() + Math.abs((long) decimal.scale()) > 200) {
                // a number this long may be past what the log's reader reads: through the text, as it is logged
                return resultFields(result(e, currency));
            }
            fields.put(field.fieldName(), plain(value));
        }
        return fields;
    }

    /** A value as the JSON round trip gives it back: text as text, every number canonical, lists item by item. */
    private static Object plain(Object value) {
        if (value == null || value instanceof String) {
            return value;
        }
        if (value instanceof BigDecimal decimal) {
            return DecisionMath.canonical(decimal);
        }
        if (value instanceof Integer || value instanceof Long) {
            return DecisionMath.canonical(BigDecimal.valueOf(((Number) value).longValue()));
        }
        if (value instanceof List<?> list) {
            List<Object> items = new ArrayList<>(list.size());
            for (Object item : list) {
                items.add(plain(item));
            }
            return items;
        }
        return plain(MAPPER.valueToTree(value)); // any other kind of value: through JSON, as it is logged
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
