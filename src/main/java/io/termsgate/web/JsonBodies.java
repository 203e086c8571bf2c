package io.termsgate.web;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Parses a JSON request body into a tree with the service's parser settings, and turns every way the bytes can be
 * wrong into one 400 problem. Jackson lets some of them escape as plain runtime exceptions (a number with an
 * exponent too large to represent: found by fuzzing), which a message converter would let become a 500.
 *
 * <p>A number is kept as a number only when its text is at most {@link #MAX_NUMBER_LENGTH} characters and it can
 * be represented; otherwise the tree holds an {@link UnreadableNumber} in its place, never expanded, so the reader
 * of the request names the field that holds it, as it does for any other bad number.
 */
@Component
public class JsonBodies {

    /** The longest number, in characters, that any input (a request, a scenario cell) may hold. */
    public static final int MAX_NUMBER_LENGTH = 64;

    /** What stands in the tree for a number that is too long, or too large to represent: it is never read. */
    public record UnreadableNumber(int length) {}

    private final ObjectMapper json;
    private final ObjectMapper longNumbers;

    public JsonBodies(ObjectMapper json) {
        this.json = json;
        // the body is capped before it is read (BodySizeLimitFilter); within it, a number of any length gets as far
        // as the tree builder below, which looks at its length before anything converts it
        this.longNumbers = json.copy();
        StreamReadConstraints limits = json.getFactory().streamReadConstraints();
        longNumbers
                .getFactory()
                .setStreamReadConstraints(
                        limits.rebuild().maxNumberLength(Integer.MAX_VALUE).build());
    }

    /** Whether {@code node} stands for a number that is too long or too large to be read. */
    public static boolean isUnreadableNumber(JsonNode node) {
        return node instanceof POJONode pojo && pojo.getPojo() instanceof UnreadableNumber;
    }

    /** The tree's stand-in for a number of {@code length} characters that is not read. */
    public static JsonNode unreadableNumber(int length) {
        return JsonNodeFactory.instance.pojoNode(new UnreadableNumber(length));
    }

    public JsonNode parse(byte[] body) {
        return parse(body, body == null ? 0 : body.length, "The request body", true);
    }

    /**
     * One JSON value in {@code bytes[0, length)}, a line of a JSON-lines file, read with the same settings and the
     * same care for numbers as a request body.
     *
     * @throws ApiProblemException (400, malformed JSON) whose detail says what is wrong with the line, by column
     */
    public JsonNode parseLine(byte[] bytes, int length) {
        return parse(bytes, length, "The line", false);
    }

    private JsonNode parse(byte[] body, int length, String subject, boolean withLine) {
        if (body == null || length == 0) {
            throw malformed(subject + " is empty; a JSON object is required");
        }
        try (JsonParser parser = longNumbers.createParser(body, 0, length)) {
            if (parser.nextToken() == null) {
                throw malformed(subject + " is empty; a JSON object is required");
            }
            JsonNode tree = read(parser);
            if (parser.nextToken() != null) {
                throw malformed(subject + " is not valid JSON (" + where(parser.currentTokenLocation(), withLine)
                        + "): more content follows the JSON value");
            }
            return tree;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String reason = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            reason = reason.length() > 200 ? reason.substring(0, 200) + "…" : reason;
            throw malformed(subject + " is not valid JSON"
                    + (at == null ? "" : " (" + where(at, withLine) + ")")
                    + (reason.isEmpty() ? "" : ": " + reason.replaceAll("\\p{Cntrl}", "?")));
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiProblemException problem) {
                throw problem;
            }
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            reason = reason.length() > 200 ? reason.substring(0, 200) + "…" : reason;
            throw malformed(subject + " is not valid JSON: " + reason.replaceAll("\\p{Cntrl}", "?"));
        }
    }

    private static String where(JsonLocation at, boolean withLine) {
        return (withLine ? "line " + at.getLineNr() + ", " : "") + "column " + at.getColumnNr();
    }

    /** The value at the parser's current token, as the tree Jackson would build, numbers aside (see above). */
    private JsonNode read(JsonParser parser) throws IOException {
        JsonNodeFactory nodes = json.getNodeFactory();
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.set(name, read(parser));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(read(parser));
                }
                return array;
            }
            case VALUE_STRING -> {
                return nodes.textNode(parser.getText());
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return number(parser, nodes);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return nodes.booleanNode(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return nodes.nullNode();
            }
            default -> throw new JsonParseProblem(parser, "unexpected " + token);
        }
    }

    private static JsonNode number(JsonParser parser, JsonNodeFactory nodes) throws IOException {
        int length = parser.getTextLength();
        if (length > MAX_NUMBER_LENGTH) {
            return unreadableNumber(length);
        }
        try {
            if (parser.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
                return nodes.numberNode(parser.getDecimalValue()); // exact: floats are read as BigDecimal
            }
            return switch (parser.getNumberType()) {
                case INT -> nodes.numberNode(parser.getIntValue());
                case LONG -> nodes.numberNode(parser.getLongValue());
                default -> nodes.numberNode(parser.getBigIntegerValue());
            };
        } catch (NumberFormatException | ArithmeticException e) {
            return unreadableNumber(length); // an exponent beyond what BigDecimal holds: 1e9999999999
        }
    }

    private static final class JsonParseProblem extends JsonProcessingException {
        JsonParseProblem(JsonParser parser, String message) {
            super(message, parser.currentTokenLocation());
        }
    }

    private static ApiProblemException malformed(String detail) {
        return new ApiProblemException(HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_JSON, "Malformed JSON", detail);
    }
}
