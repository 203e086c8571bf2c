package io.termsgate.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.termsgate.engine.CreditApplication;
import static io.termsgate.engine.DecisionMath.canonical;
import io.termsgate.engine.facts.Customer;
import io.termsgate.engine.facts.Order;
import io.termsgate.engine.facts.PaymentHistory;
import io.termsgate.web.FieldError;
import io.termsgate.web.InvalidRequestException;
import io.termsgate.web.JsonBodies;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns the JSON body of a decision request into a {@link CreditApplication}, enforcing every line of the policy's
 * Inputs table. All bad fields are collected and reported together; a request is either wholly valid or rejected.
 *
 * <p>Works on a parsed tree rather than data binding so that a wrong type in one field does not hide the problems
 * of the others, and so that numbers stay exact: the tree holds {@link BigDecimal}s, never doubles.
 */
public final class DecisionRequestReader {

    public static final Set<String> INDUSTRIES = Set.of("MANUFACTURING", "WHOLESALE", "RETAIL", "CONSTRUCTION",
            "HOSPITALITY", "SOFTWARE", "HEALTHCARE", "TRANSPORT", "PUBLIC_SECTOR", "OTHER");
    public static final Set<String> FLAGS = Set.of("SANCTIONS_MATCH", "BANKRUPTCY", "COLLECTIONS", "FRAUD_ALERT");
    public static final Set<Integer> TERM_DAYS = Set.of(15, 30, 45, 60, 90);

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Set<String> CURRENCIES = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());
    private static final Pattern CUSTOMER_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    /**
     * An allowed range of decimals. Beyond the policy's own ranges, every number is kept below 10^15 with at most 10
     * decimal places (money: 2), so no input can be made arbitrarily long.
     */
    private record Range(BigDecimal min, boolean minInclusive, BigDecimal max, boolean maxInclusive, int maxPlaces,
            String description) {

        boolean contains(BigDecimal value) {
            int low = value.compareTo(min);
            int high = value.compareTo(max);
            return (minInclusive ? low >= 0 : low > 0) && (maxInclusive ? high <= 0 : high < 0);
        }
    }

    private static final BigDecimal LIMIT = new BigDecimal("1000000000000000");
    private static final Range MONEY_AT_LEAST_ZERO = new Range(BigDecimal.ZERO, true, LIMIT, false, 2,
            "an amount of at least 0 with at most 2 decimal places, below 1000000000000000");
    private static final Range MONEY_ABOVE_ZERO = new Range(BigDecimal.ZERO, false, LIMIT, false, 2,
            "an amount greater than 0 with at most 2 decimal places, below 1000000000000000");
    private static final Range YEARS = new Range(BigDecimal.ZERO, true, new BigDecimal(200), true, 10,
            "a number from 0 to 200 with at most 10 decimal places");
    private static final Range DAYS = new Range(BigDecimal.ZERO, true, LIMIT, false, 10,
            "a number of at least 0 with at most 10 decimal places, below 1000000000000000");

    private static final Set<String> REQUEST_FIELDS = Set.of("customer", "order");
    private static final Set<String> CUSTOMER_FIELDS = Set.of("id", "country", "industry", "yearsInBusiness",
            "annualRevenue", "creditScore", "paymentHistory", "outstandingBalance", "flags");
    private static final Set<String> PAYMENT_HISTORY_FIELDS = Set.of("invoicesPaid", "avgDaysBeyondTerms",
            "maxDaysPastDue");
    private static final Set<String> ORDER_FIELDS = Set.of("amount", "currency", "requestedTermDays");

    private static final Pattern NUMBER = Pattern.compile("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?");

    private DecisionRequestReader() {
    }

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
            return NUMBER.matcher(text).matches() ? JsonBodies.unreadableNumber(text.length())
                    : JsonNodeFactory.instance.textNode(text);
        }
    }

    /**
     * What is wrong with {@code number} (from {@link #numberNode}) as an amount of money by the request's own rule
     * (at least 0, at most 2 decimal places, below 10^15), or {@code null} when nothing is. Nothing is expanded.
     */
    public static String amountProblem(JsonNode number) {
        Fields f = new Fields();
        f.decimal(JsonNodeFactory.instance.objectNode().set("value", number), "value", "value", true, null,
                MONEY_AT_LEAST_ZERO);
        return f.hasErrors() ? f.errors.get(0).message() : null;
    }

    /** What is wrong with {@code number} as an integer from {@code min} to {@code max}, or {@code null}. */
    public static String integerProblem(JsonNode number, int min, int max) {
        Fields f = new Fields();
        f.integer(JsonNodeFactory.instance.objectNode().set("value", number), "value", "value", min, max, null);
        return f.hasErrors() ? f.errors.get(0).message() : null;
    }

    /**
     * @throws InvalidRequestException naming every field that breaks the Inputs table
     */
    public static CreditApplication read(JsonNode root) {
        Fields f = new Fields();
        if (root == null || !root.isObject()) {
            f.error("", "the request body must be a JSON object with \"customer\" and \"order\"");
            throw f.rejected();
        }
        f.unknownFields(root, "", REQUEST_FIELDS);
        JsonNode customerNode = f.object(root, "customer", "customer", true);
        JsonNode orderNode = f.object(root, "order", "order", true);

        Customer customer = null;
        if (customerNode != null) {
            customer = readCustomer(customerNode, f);
        }
        Order order = null;
        if (orderNode != null) {
            order = readOrder(orderNode, f);
        }
        if (f.hasErrors()) {
            throw f.rejected();
        }
        return new CreditApplication(customer, order);
    }

    private static Customer readCustomer(JsonNode c, Fields f) {
        f.unknownFields(c, "customer.", CUSTOMER_FIELDS);
        String id = f.text(c, "id", "customer.id", CUSTOMER_ID,
                "must be 1 to 64 characters of A-Z a-z 0-9 . _ : -", null);
        String country = f.text(c, "country", "customer.country", COUNTRY,
                "must be an ISO 3166-1 alpha-2 country code in upper case, e.g. \"DE\"", COUNTRIES);
        String industry = f.oneOf(c, "industry", "customer.industry", INDUSTRIES);
        BigDecimal years = f.decimal(c, "yearsInBusiness", "customer.yearsInBusiness", true, null, YEARS);
        BigDecimal revenue = f.decimal(c, "annualRevenue", "customer.annualRevenue", true, null, MONEY_AT_LEAST_ZERO);
        Integer creditScore = f.nullableInteger(c, "creditScore", "customer.creditScore", 0, 100);

        PaymentHistory history = new PaymentHistory(0, BigDecimal.ZERO, 0);
        JsonNode h = f.object(c, "paymentHistory", "customer.paymentHistory", false);
        if (h != null) {
            f.unknownFields(h, "customer.paymentHistory.", PAYMENT_HISTORY_FIELDS);
            Integer invoicesPaid = f.integer(h, "invoicesPaid", "customer.paymentHistory.invoicesPaid", 0,
                    Integer.MAX_VALUE, 0);
            BigDecimal avgDays = f.decimal(h, "avgDaysBeyondTerms", "customer.paymentHistory.avgDaysBeyondTerms",
                    false, BigDecimal.ZERO, DAYS);
            Integer maxDaysPastDue = f.integer(h, "maxDaysPastDue", "customer.paymentHistory.maxDaysPastDue", 0,
                    Integer.MAX_VALUE, 0);
            if (invoicesPaid != null && avgDays != null && maxDaysPastDue != null) {
                history = new PaymentHistory(invoicesPaid, avgDays, maxDaysPastDue);
            }
        }
        BigDecimal outstanding = f.decimal(c, "outstandingBalance", "customer.outstandingBalance", false,
                BigDecimal.ZERO, MONEY_AT_LEAST_ZERO);
        Set<String> flags = f.flags(c, "flags", "customer.flags");

        if (f.hasErrors()) {
            return null;
        }
        return new Customer(id, country, industry, years, revenue, creditScore, history, outstanding, flags);
    }

    private static Order readOrder(JsonNode o, Fields f) {
        f.unknownFields(o, "order.", ORDER_FIELDS);
        BigDecimal amount = f.decimal(o, "amount", "order.amount", true, null, MONEY_ABOVE_ZERO);
        String currency = f.text(o, "currency", "order.currency", CURRENCY,
                "must be an ISO 4217 currency code of 3 upper-case letters, e.g. \"EUR\"", CURRENCIES);
        Integer term = f.integer(o, "requestedTermDays", "order.requestedTermDays", 0, Integer.MAX_VALUE, null);
        if (term != null && !TERM_DAYS.contains(term)) {
            f.error("order.requestedTermDays", "must be one of 15, 30, 45, 60, 90");
            term = null;
        }
        if (f.hasErrors()) {
            return null;
        }
        return new Order(amount, currency, term);
    }

    /** Collects errors while reading fields; each accessor returns null when its field is bad. */
    private static final class Fields {

        private final List<FieldError> errors = new ArrayList<>();

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
                if (!known.contains(name)) {
                    error(prefix + printable(name), "is not a field of this request; allowed: "
                            + String.join(", ", new TreeSet<>(known)));
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
                error(path, node.isNull() ? (required ? "is required" : "must be an object; omit it to use the defaults")
                        : "must be a JSON object");
                return null;
            }
            return node;
        }

        String text(JsonNode parent, String name, String path, Pattern pattern, String rule, Set<String> known) {
            JsonNode node = parent.get(name);
            if (node == null || node.isNull()) {
                error(path, "is required");
                return null;
            }
            if (!node.isTextual()) {
                error(path, "must be a string; " + rule);
                return null;
            }
            String value = node.textValue();
            if (!pattern.matcher(value).matches()) {
                error(path, rule);
                return null;
            }
            if (known != null && !known.contains(value)) {
                error(path, rule + "; \"" + value + "\" is not one");
                return null;
            }
            return value;
        }

        String oneOf(JsonNode parent, String name, String path, Set<String> allowed) {
            String rule = "must be one of " + String.join(", ", new TreeSet<>(allowed));
            JsonNode node = parent.get(name);
            if (node == null || node.isNull()) {
                error(path, "is required");
                return null;
            }
            if (!node.isTextual() || !allowed.contains(node.textValue())) {
                error(path, rule);
                return null;
            }
            return node.textValue();
        }

        BigDecimal decimal(JsonNode parent, String name, String path, boolean required, BigDecimal whenAbsent,
                Range range) {
            JsonNode node = parent.get(name);
            if (node == null) {
                if (required) {
                    error(path, "is required");
                }
                return whenAbsent;
            }
            if (node.isNull()) {
                error(path, required ? "is required"
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

        Integer integer(JsonNode parent, String name, String path, int min, int max, Integer whenAbsent) {
            JsonNode node = parent.get(name);
            if (node == null) {
                if (whenAbsent == null) {
                    error(path, "is required");
                }
                return whenAbsent;
            }
            if (node.isNull()) {
                error(path, whenAbsent == null ? "is required" : "must be an integer; omit the field to use the default "
                        + whenAbsent);
                return null;
            }
            return checkedInteger(node, path, min, max);
        }

        Integer nullableInteger(JsonNode parent, String name, String path, int min, int max) {
            JsonNode node = parent.get(name);
            if (node == null || node.isNull()) {
                return null;
            }
            return checkedInteger(node, path, min, max);
        }

        private Integer checkedInteger(JsonNode node, String path, int min, int max) {
            String rule = max == Integer.MAX_VALUE ? "an integer of at least " + min
                    : "an integer from " + min + " to " + max;
            if (JsonBodies.isUnreadableNumber(node)) {
                error(path, "must be " + rule);
                return null;
            }
            if (!node.isNumber()) {
                error(path, "must be a JSON number: " + rule);
                return null;
            }
            BigDecimal value = node.decimalValue();
            if (value.compareTo(BigDecimal.valueOf(min)) < 0 || value.compareTo(BigDecimal.valueOf(max)) > 0) {
                error(path, "must be " + rule);
                return null;
            }
            if (canonical(value).scale() > 0) {
                error(path, "must be " + rule + " (no fraction)");
                return null;
            }
            return value.intValueExact();
        }

        Set<String> flags(JsonNode parent, String name, String path) {
            JsonNode node = parent.get(name);
            if (node == null) {
                return Set.of();
            }
            String rule = "must be an array of distinct values from " + String.join(", ", new TreeSet<>(FLAGS));
            if (!node.isArray()) {
                error(path, node.isNull() ? rule + "; omit the field for no flags" : rule);
                return null;
            }
            Set<String> flags = new LinkedHashSet<>();
            boolean ok = true;
            for (int i = 0; i < node.size(); i++) {
                JsonNode flag = node.get(i);
                if (!flag.isTextual() || !FLAGS.contains(flag.textValue())) {
                    error(path + "[" + i + "]", rule);
                    ok = false;
                } else if (!flags.add(flag.textValue())) {
                    error(path + "[" + i + "]", "repeats " + flag.textValue() + "; " + rule);
                    ok = false;
                }
            }
            return ok ? flags : null;
        }

        /** Field names come from the caller: keep them short and printable before echoing them back. */
        private static String printable(String name) {
            String cleaned = name.codePoints().map(cp -> Character.isISOControl(cp) ? '?' : cp)
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
            return cleaned.length() > 64 ? cleaned.substring(0, 64) + "…" : cleaned;
        }
    }
}
