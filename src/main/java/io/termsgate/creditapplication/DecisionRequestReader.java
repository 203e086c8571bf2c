package io.termsgate.creditapplication;

import static io.termsgate.engine.DecisionMath.canonical;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.termsgate.engine.ApplicationField;
import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.FieldRule;
import io.termsgate.web.FieldError;
import io.termsgate.web.InvalidRequestException;
import io.termsgate.web.JsonBodies;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns the JSON body of a decision request into a {@link CreditApplication}, enforcing every line of the policy's
 * Inputs table as {@link ApplicationField} describes it. All bad fields are collected and reported together; a
 * request is either wholly valid or rejected.
 *
 * <p>Works on a parsed tree rather than data binding so that a wrong type in one field does not hide the problems
 * of the others, and so that numbers stay exact: the tree holds {@link BigDecimal}s, never doubles.
 */
public final class DecisionRequestReader {

    private static final Pattern NUMBER = Pattern.compile("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?");

    private DecisionRequestReader() {}

    /**
     * A number written as text (a cell of a scenario file) as a request's tree holds it: one longer than
     * {@link JsonBodies#MAX_NUMBER_LENGTH} characters, or beyond what a decimal holds, is never converted and is
     * refused by the reader like one in a request; text that is no number stays text.
     */
    public static JsonNode numberNode(String text) {
        if (text.length() > JsonBodies.MAX_NUMBER_LENGTH) {
            return JsonBodies.unreadableNumber(text.length());
        }
        try {
            return JsonNodeFactory.instance.numberNode(new BigDecimal(text));
        } catch (NumberFormatException e) {
            return NUMBER.matcher(text).matches()
                    ? JsonBodies.unreadableNumber(text.length())
                    : JsonNodeFactory.instance.textNode(text);
        }
    }

    /**
     * What is wrong with {@code number} (from {@link #numberNode}) as an amount of money by the request's own rule
     * (at least 0, at most 2 decimal places, below 10^15), or {@code null} when nothing is. Nothing is expanded.
     */
    public static String amountProblem(JsonNode number) {
        Fields f = new Fields();
        f.decimal(number, "value", FieldRule.amountAtLeastZero(null));
        return f.hasErrors() ? f.errors.get(0).message() : null;
    }

    /** What is wrong with {@code number} as an integer from {@code min} to {@code max}, or {@code null}. */
    public static String integerProblem(JsonNode number, int min, int max) {
        Fields f = new Fields();
        f.whole(number, "value", new FieldRule.Whole(min, max, null, false, List.of()));
        return f.hasErrors() ? f.errors.get(0).message() : null;
    }

    /** A checkout's request as read: the application, and which of its fields the request gave. */
    public record Requested(CreditApplication application, Set<ApplicationField> given) {

        public Requested {
            given = given.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(given));
        }

        public boolean gave(ApplicationField field) {
            return given.contains(field);
        }
    }

    /**
     * One field's value read by the field's own rule, exactly as a request's field is read (a receivables file's
     * column, say): the value (canonical for numbers), or {@code null} with what is wrong added to {@code errors}
     * under {@code name}. {@code value} is a node of a request's tree: text, or a number from {@link JsonBodies} or
     * {@link #numberNode}.
     */
    public static Object field(JsonNode value, ApplicationField field, String name, List<FieldError> errors) {
        Fields f = new Fields();
        Object read = f.field(value, field, name);
        errors.addAll(f.errors);
        return read;
    }

    /**
     * One field's value written as text (a CSV cell), read by the field's own rule as {@link #field} reads it: a
     * number must be a plain decimal ({@link #numberNode}), never expanded when it is too long or too large.
     */
    public static Object cell(String text, ApplicationField field, String name, List<FieldError> errors) {
        FieldRule rule = field.rule();
        boolean numeric = rule instanceof FieldRule.Decimal || rule instanceof FieldRule.Whole;
        if (!numeric) {
            return field(JsonNodeFactory.instance.textNode(text), field, name, errors);
        }
        JsonNode number = numberNode(text);
        if (number.isTextual()) {
            errors.add(new FieldError(
                    name,
                    "must be a number: "
                            + (rule instanceof FieldRule.Decimal decimal
                                    ? decimal.description()
                                    : ((FieldRule.Whole) rule).rule())));
            return null;
        }
        return field(number, field, name, errors);
    }

    /**
     * A request written as cells by field path ({@code customer.paymentHistory.invoicesPaid}: a scenario row, a
     * batch's CSV line) as the JSON tree a request would be, for {@link #readRequest} or {@link #readInputs} to read.
     * An empty cell leaves its field out; flags are written with spaces (or commas, semicolons) between them,
     * {@code none} or {@code -} for none; numbers are read as {@link #numberNode} reads them, never expanded.
     */
    public static JsonNode requestOfCells(Map<String, String> cells) {
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        for (String column : ApplicationField.paths()) {
            String value = cells.getOrDefault(column, "");
            if (value == null || value.isEmpty()) {
                continue;
            }
            String[] path = column.split("\\.");
            ObjectNode parent = request;
            for (int i = 0; i < path.length - 1; i++) {
                parent = parent.has(path[i]) ? (ObjectNode) parent.get(path[i]) : parent.putObject(path[i]);
            }
            String field = path[path.length - 1];
            ApplicationField described = ApplicationField.byPath(column);
            if (described.rule() instanceof FieldRule.Flags) {
                ArrayNode flags = parent.putArray(field);
                cellList(value).forEach(flags::add);
            } else if (described.numeric()) {
                // as in a request: a million digits or 1E+300000000 is refused by the reader, never expanded
                parent.set(field, numberNode(value));
            } else {
                parent.put(field, value);
            }
        }
        return request;
    }

    private static List<String> cellList(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty() || trimmed.equalsIgnoreCase("none") || trimmed.equals("-")) {
            return List.of();
        }
        return Arrays.stream(trimmed.split("[\\s,;]+"))
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /**
     * A request to the decision endpoint: the fields the service sets from the buyer's credit line
     * ({@link ApplicationField#fromCreditLine()}) are refused.
     *
     * @throws InvalidRequestException naming every field that breaks the Inputs table
     */
    public static CreditApplication read(JsonNode root) {
        return readRequest(root).application();
    }

    /** {@link #read}, also saying which fields the request gave (the others took their defaults). */
    public static Requested readRequest(JsonNode root) {
        return read(root, false);
    }

    /**
     * Every input of a decision, those the service sets from the credit line too: a scenario row, a logged request
     * handed to the sandbox.
     *
     * @throws InvalidRequestException naming every field that breaks the Inputs table
     */
    public static CreditApplication readInputs(JsonNode root) {
        return read(root, true).application();
    }

    private static Requested read(JsonNode root, boolean creditLineFields) {
        Fields f = new Fields(creditLineFields);
        if (root == null || !root.isObject()) {
            f.error("", "the request body must be a JSON object with \"customer\" and \"order\"");
            throw f.rejected();
        }
        f.unknownFields(root, "", f.namesIn(""));
        // every top-level object is looked for before any is read
        Map<String, JsonNode> objects = new LinkedHashMap<>();
        for (String name : f.namesIn("")) {
            objects.put(name, f.object(root, name, name, ApplicationField.objectRequired(name)));
        }
        Map<ApplicationField, Object> values = new EnumMap<>(ApplicationField.class);
        Set<ApplicationField> given = EnumSet.noneOf(ApplicationField.class);
        objects.forEach((name, node) -> {
            if (node != null) {
                readObject(node, name, f, values, given);
            }
        });
        if (f.hasErrors()) {
            throw f.rejected();
        }
        return new Requested(ApplicationField.application(values::get), given);
    }

    /** Reads the fields of the object at {@code path} in order; an inner object is read where it stands. */
    private static void readObject(
            JsonNode node, String path, Fields f, Map<ApplicationField, Object> values, Set<ApplicationField> given) {
        f.unknownFields(node, path + ".", f.namesIn(path));
        for (String name : f.namesIn(path)) {
            String fieldPath = path + "." + name;
            ApplicationField field = ApplicationField.byPath(fieldPath);
            if (field == null) {
                JsonNode inner = f.object(node, name, fieldPath, ApplicationField.objectRequired(fieldPath));
                if (inner != null) {
                    readObject(inner, fieldPath, f, values, given);
                }
                continue;
            }
            JsonNode value = node.get(name);
            if (value == null && !field.required()) {
                continue; // left out: the default applies
            }
            given.add(field);
            Object read = f.field(value, field, field.path());
            if (read != null) {
                values.put(field, read);
            }
        }
    }

    /** Collects errors while reading fields; each accessor returns null when its field is bad. */
    private static final class Fields {

        private final List<FieldError> errors = new ArrayList<>();
        private final boolean creditLineFields;

        Fields() {
            this(true);
        }

        Fields(boolean creditLineFields) {
            this.creditLineFields = creditLineFields;
        }

        /** The names allowed in the object at {@code objectPath}; the credit line's own only where they may be set. */
        Set<String> namesIn(String objectPath) {
            Set<String> names = ApplicationField.namesIn(objectPath);
            if (!creditLineFields) {
                for (ApplicationField field : ApplicationField.values()) {
                    if (field.fromCreditLine() && field.path().startsWith(objectPath + ".")) {
                        names.remove(field.path().substring(objectPath.length() + 1));
                    }
                }
            }
            return names;
        }

        void error(String field, String message) {
            errors.add(new FieldError(field, message));
        }

        boolean hasErrors() {
            return !errors.isEmpty();
        }

        InvalidRequestException rejected() {
            return new InvalidRequestException("Invalid decision request", errors);
        }

        void unknownFields(JsonNode node, String prefix, Set<String> known) {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                ApplicationField field = ApplicationField.byPath(prefix + name);
                if (field != null && field.fromCreditLine() && !known.contains(name)) {
                    error(prefix + name, "is set by the service from the buyer's credit line; leave it out");
                } else if (!known.contains(name)) {
                    error(
                            prefix + printable(name),
                            "is not a field of this request; allowed: " + String.join(", ", new TreeSet<>(known)));
                }
            }
        }

        JsonNode object(JsonNode parent, String name, String path, boolean required) {
            JsonNode node = parent.get(name);
            if (node == null || (!required && node.isMissingNode())) {
                if (required) {
                    error(path, "is required");
                }
                return null;
            }
            if (!node.isObject()) {
                error(
                        path,
                        node.isNull()
                                ? (required ? "is required" : "must be an object; omit it to use the defaults")
                                : "must be a JSON object");
                return null;
            }
            return node;
        }

        /** {@code node} is the field's value, or {@code null} when the field is left out; errors go under path. */
        Object field(JsonNode node, ApplicationField field, String path) {
            FieldRule rule = field.rule();
            if (rule instanceof FieldRule.Text text) {
                return text(node, path, text);
            } else if (rule instanceof FieldRule.OneOf oneOf) {
                return oneOf(node, path, oneOf);
            } else if (rule instanceof FieldRule.Decimal decimal) {
                return decimal(node, path, decimal);
            } else if (rule instanceof FieldRule.Whole whole) {
                return whole(node, path, whole);
            } else if (rule instanceof FieldRule.Flags flags) {
                return flags(node, path, flags);
            }
            throw new IllegalStateException("no reader for " + rule);
        }

        String text(JsonNode node, String path, FieldRule.Text rule) {
            if (node == null || node.isNull()) {
                if (!rule.optional()) { // an optional text given as null is left out, like a null credit score
                    error(path, "is required");
                }
                return null;
            }
            if (!node.isTextual()) {
                error(path, "must be a string; " + rule.rule());
                return null;
            }
            String value = node.textValue();
            if (!rule.pattern().matcher(value).matches()) {
                error(path, rule.rule());
                return null;
            }
            if (rule.known() != null && !rule.known().contains(value)) {
                error(path, rule.rule() + "; \"" + value + "\" is not one");
                return null;
            }
            return value;
        }

        String oneOf(JsonNode node, String path, FieldRule.OneOf rule) {
            if (node == null || node.isNull()) {
                error(path, "is required");
                return null;
            }
            if (!node.isTextual() || !rule.allowed().contains(node.textValue())) {
                error(path, rule.rule());
                return null;
            }
            return node.textValue();
        }

        BigDecimal decimal(JsonNode node, String path, FieldRule.Decimal range) {
            if (node == null) {
                error(path, "is required");
                return null;
            }
            if (node.isNull()) {
                error(
                        path,
                        range.required()
                                ? "is required"
                                : "must be " + range.description() + "; omit the field to use the default");
                return null;
            }
            if (JsonBodies.isUnreadableNumber(node)) { // too long or too large to read: never expanded
                error(path, "must be " + range.description());
                return null;
            }
            if (!node.isNumber()) {
                error(path, "must be a JSON number: " + range.description());
                return null;
            }
            // compare before canonicalising: 1e400 must not be expanded into 400 digits
            BigDecimal value = node.decimalValue();
            if (!range.contains(value) || canonical(value).scale() > range.maxPlaces()) {
                error(path, "must be " + range.description());
                return null;
            }
            return canonical(value);
        }

        Integer whole(JsonNode node, String path, FieldRule.Whole rule) {
            if (rule.nullable() && (node == null || node.isNull())) {
                return null;
            }
            if (node == null) {
                error(path, "is required");
                return null;
            }
            if (node.isNull()) {
                error(
                        path,
                        rule.whenAbsent() == null
                                ? "is required"
                                : "must be an integer; omit the field to use the default " + rule.whenAbsent());
                return null;
            }
            if (JsonBodies.isUnreadableNumber(node)) {
                error(path, "must be " + rule.rule());
                return null;
            }
            if (!node.isNumber()) {
                error(path, "must be a JSON number: " + rule.rule());
                return null;
            }
            BigDecimal value = node.decimalValue();
            if (value.compareTo(BigDecimal.valueOf(rule.min())) < 0
                    || value.compareTo(BigDecimal.valueOf(rule.max())) > 0) {
                error(path, "must be " + rule.rule());
                return null;
            }
            if (canonical(value).scale() > 0) {
                error(path, "must be " + rule.rule() + " (no fraction)");
                return null;
            }
            int whole = value.intValueExact();
            if (!rule.allowed().isEmpty() && !rule.allowed().contains(whole)) {
                error(
                        path,
                        "must be one of "
                                + rule.allowed().stream()
                                        .sorted()
                                        .map(String::valueOf)
                                        .collect(Collectors.joining(", ")));
                return null;
            }
            return whole;
        }

        Set<String> flags(JsonNode node, String path, FieldRule.Flags rule) {
            if (!node.isArray()) {
                error(path, node.isNull() ? rule.rule() + "; omit the field for no flags" : rule.rule());
                return null;
            }
            Set<String> flags = new LinkedHashSet<>();
            boolean ok = true;
            for (int i = 0; i < node.size(); i++) {
                JsonNode flag = node.get(i);
                if (!flag.isTextual() || !rule.allowed().contains(flag.textValue())) {
                    error(path + "[" + i + "]", rule.rule());
                    ok = false;
                } else if (!flags.add(flag.textValue())) {
                    error(path + "[" + i + "]", "repeats " + flag.textValue() + "; " + rule.rule());
                    ok = false;
                }
            }
            return ok ? flags : null;
        }

        /** Field names come from the caller: keep them short and printable before echoing them back. */
        private static String printable(String name) {
            String cleaned = name.codePoints()
                    .map(cp -> Character.isISOControl(cp) ? '?' : cp)
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                    .toString();
            return cleaned.length() > 64 ? cleaned.substring(0, 64) + "…" : cleaned;
        }
    }
}
