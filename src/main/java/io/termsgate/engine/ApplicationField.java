package io.termsgate.engine;

import io.termsgate.engine.facts.Customer;
import io.termsgate.engine.facts.Order;
import io.termsgate.engine.facts.PaymentHistory;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one description of a credit application: every field once, in the order it is written, with its path in a
 * request ({@code customer.paymentHistory.invoicesPaid}), its {@link FieldRule rule}, its label for people, and how it
 * is read from and built into a {@link CreditApplication}. The request reader, the canonical JSON of the log, the DMN
 * input context, the scenario columns, the CSV export and the console page are all derived from this list.
 */
public enum ApplicationField {
    CUSTOMER_ID(
            "customer.id",
            "Customer id",
            null,
            new FieldRule.Text(FieldRule.REFERENCE, FieldRule.REFERENCE_RULE, null),
            a -> a.customer().getId()),
    COUNTRY(
            "customer.country",
            "Country",
            null,
            new FieldRule.Text(
                    Pattern.compile("[A-Z]{2}"),
                    "must be an ISO 3166-1 alpha-2 country code in upper case, e.g. \"DE\"",
                    Set.of(Locale.getISOCountries())),
            a -> a.customer().getCountry()),
    INDUSTRY(
            "customer.industry",
            "Industry",
            null,
            new FieldRule.OneOf(Set.of(
                    "MANUFACTURING",
                    "WHOLESALE",
                    "RETAIL",
                    "CONSTRUCTION",
                    "HOSPITALITY",
                    "SOFTWARE",
                    "HEALTHCARE",
                    "TRANSPORT",
                    "PUBLIC_SECTOR",
                    "OTHER")),
            a -> a.customer().getIndustry()),
    YEARS_IN_BUSINESS(
            "customer.yearsInBusiness",
            "Years in business",
            null,
            new FieldRule.Decimal(
                    BigDecimal.ZERO,
                    true,
                    new BigDecimal(200),
                    true,
                    10,
                    "a number from 0 to 200 with at most 10 decimal places",
                    null),
            a -> a.customer().getYearsInBusiness()),
    ANNUAL_REVENUE(
            "customer.annualRevenue",
            "Annual revenue",
            null,
            FieldRule.amountAtLeastZero(null),
            a -> a.customer().getAnnualRevenue()),
    /** Absent or {@code null}: the buyer has no bureau file. */
    CREDIT_SCORE(
            "customer.creditScore",
            "Bureau credit score",
            null,
            new FieldRule.Whole(0, 100, null, true, List.of()),
            a -> a.customer().getCreditScore()),
    INVOICES_PAID(
            "customer.paymentHistory.invoicesPaid",
            "Invoices paid (24 months)",
            null,
            new FieldRule.Whole(0, Integer.MAX_VALUE, 0, false, List.of()),
            a -> a.customer().getPaymentHistory().getInvoicesPaid()),
    AVG_DAYS_BEYOND_TERMS(
            "customer.paymentHistory.avgDaysBeyondTerms",
            "Average days beyond terms",
            null,
            new FieldRule.Decimal(
                    BigDecimal.ZERO,
                    true,
                    FieldRule.LIMIT,
                    false,
                    10,
                    "a number of at least 0 with at most 10 decimal places, below 1000000000000000",
                    BigDecimal.ZERO),
            a -> a.customer().getPaymentHistory().getAvgDaysBeyondTerms()),
    MAX_DAYS_PAST_DUE(
            "customer.paymentHistory.maxDaysPastDue",
            "Worst days past due (12 months)",
            null,
            new FieldRule.Whole(0, Integer.MAX_VALUE, 0, false, List.of()),
            a -> a.customer().getPaymentHistory().getMaxDaysPastDue()),
    OUTSTANDING_BALANCE(
            "customer.outstandingBalance",
            "Outstanding balance",
            null,
            FieldRule.amountAtLeastZero(BigDecimal.ZERO),
            a -> a.customer().getOutstandingBalance()),
    /**
     * The open holds of the buyer's other orders on its credit line. Set by the service from the line, never by the
     * caller of the decision endpoint; scenarios and replays give it like any other input.
     */
    HELD_AMOUNT(
            "customer.heldAmount",
            "Held by other orders",
            null,
            FieldRule.amountAtLeastZero(BigDecimal.ZERO),
            a -> a.customer().getHeldAmount(),
            true),
    FLAGS(
            "customer.flags",
            "Flags",
            null,
            new FieldRule.Flags(
                    Set.of("SANCTIONS_MATCH", "BANKRUPTCY", "COLLECTIONS", "FRAUD_ALERT", "TERMS_SUSPENDED")),
            a -> List.copyOf(a.customer().getFlags())),
    /** The seller's order reference: with it an approval holds credit; without it the decision is an assessment. */
    ORDER_ID(
            "order.id",
            "Order id",
            null,
            new FieldRule.Text(FieldRule.REFERENCE, FieldRule.REFERENCE_RULE, null, true),
            a -> a.order().getId()),
    ORDER_AMOUNT(
            "order.amount",
            "Amount",
            "order_amount",
            FieldRule.amountAboveZero(),
            a -> a.order().getAmount()),
    CURRENCY(
            "order.currency",
            "Currency",
            null,
            new FieldRule.Text(
                    Pattern.compile("[A-Z]{3}"),
                    "must be an ISO 4217 currency code of 3 upper-case letters, e.g. \"EUR\"",
                    Currency.getAvailableCurrencies().stream()
                            .map(Currency::getCurrencyCode)
                            .collect(Collectors.toUnmodifiableSet())),
            a -> a.order().getCurrency()),
    REQUESTED_TERM_DAYS(
            "order.requestedTermDays",
            "Requested term (days)",
            "requested_term_days",
            new FieldRule.Whole(0, Integer.MAX_VALUE, null, false, List.of(15, 30, 45, 60, 90)),
            a -> a.order().getRequestedTermDays());

    private final String path;
    /** The path's segments, split once: every decision builds the application's tree from them. */
    private final String[] segments;

    private final String label;
    private final String exportColumn;
    private final FieldRule rule;
    private final Function<CreditApplication, Object> reader;
    private final boolean fromCreditLine;

    ApplicationField(
            String path,
            String label,
            String exportColumn,
            FieldRule rule,
            Function<CreditApplication, Object> reader) {
        this(path, label, exportColumn, rule, reader, false);
    }

    ApplicationField(
            String path,
            String label,
            String exportColumn,
            FieldRule rule,
            Function<CreditApplication, Object> reader,
            boolean fromCreditLine) {
        this.path = path;
        this.segments = path.split("\\.");
        this.label = label;
        this.exportColumn = exportColumn;
        this.rule = rule;
        this.reader = reader;
        this.fromCreditLine = fromCreditLine;
    }

    /**
     * Builds an application from its field values (String, BigDecimal, Integer or a collection of String, as the
     * field's rule says); a value of {@code null} takes the rule's default. The one constructor call to extend when a
     * field is added.
     */
    public static CreditApplication application(Function<ApplicationField, Object> values) {
        Function<ApplicationField, Object> v = f -> {
            Object value = values.apply(f);
            return value == null ? f.rule.whenAbsent() : value;
        };
        @SuppressWarnings("unchecked")
        Set<String> flags = new LinkedHashSet<>((java.util.Collection<String>) v.apply(FLAGS));
        Customer customer = new Customer(
                (String) v.apply(CUSTOMER_ID),
                (String) v.apply(COUNTRY),
                (String) v.apply(INDUSTRY),
                (BigDecimal) v.apply(YEARS_IN_BUSINESS),
                (BigDecimal) v.apply(ANNUAL_REVENUE),
                (Integer) v.apply(CREDIT_SCORE),
                new PaymentHistory(
                        (Integer) v.apply(INVOICES_PAID), (BigDecimal) v.apply(AVG_DAYS_BEYOND_TERMS), (Integer)
                                v.apply(MAX_DAYS_PAST_DUE)),
                (BigDecimal) v.apply(OUTSTANDING_BALANCE),
                (BigDecimal) v.apply(HELD_AMOUNT),
                flags);
        Order order = new Order(
                (String) v.apply(ORDER_ID), (BigDecimal) v.apply(ORDER_AMOUNT), (String) v.apply(CURRENCY), (Integer)
                        v.apply(REQUESTED_TERM_DAYS));
        return new CreditApplication(customer, order);
    }

    /**
     * The application as nested maps by path, fields in this list's order, each value passed through
     * {@code convert} ({@code {customer={id=..., paymentHistory={...}, ...}, order={...}}}).
     */
    public static Map<String, Object> tree(CreditApplication application, Function<Object, Object> convert) {
        Map<String, Object> root = new LinkedHashMap<>();
        for (ApplicationField field : ALL) {
            parentIn(root, field).put(field.name(field.segments().length - 1), convert.apply(field.of(application)));
        }
        return root;
    }

    /** Every field in declaration order: {@code values()} copies its array on each call, and a decision asks often. */
    private static final ApplicationField[] ALL = values();

    /** {@link #tree}, with only the {@code included} fields. */
    public static Map<String, Object> tree(
            CreditApplication application, Function<Object, Object> convert, Set<ApplicationField> included) {
        Map<String, Object> root = new LinkedHashMap<>();
        for (ApplicationField field : ALL) {
            if (!included.contains(field)) {
                continue;
            }
            parentIn(root, field).put(field.name(field.segments().length - 1), convert.apply(field.of(application)));
        }
        return root;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parentIn(Map<String, Object> root, ApplicationField field) {
        Map<String, Object> parent = root;
        String[] segments = field.segments();
        for (int i = 0; i < segments.length - 1; i++) {
            parent = (Map<String, Object>) parent.computeIfAbsent(segments[i], k -> new LinkedHashMap<>());
        }
        return parent;
    }

    /** The names a request may use directly inside the object at {@code objectPath} ({@code ""}: the top). */
    public static Set<String> namesIn(String objectPath) {
        String prefix = objectPath.isEmpty() ? "" : objectPath + ".";
        Set<String> names = new LinkedHashSet<>();
        for (ApplicationField field : values()) {
            if (field.path.startsWith(prefix)) {
                names.add(field.path.substring(prefix.length()).split("\\.")[0]);
            }
        }
        return names;
    }

    /** An object is required when a field in it is; otherwise its fields' defaults apply when it is left out. */
    public static boolean objectRequired(String objectPath) {
        for (ApplicationField field : values()) {
            if (field.path.startsWith(objectPath + ".") && field.required()) {
                return true;
            }
        }
        return false;
    }

    public static ApplicationField byPath(String path) {
        for (ApplicationField field : values()) {
            if (field.path.equals(path)) {
                return field;
            }
        }
        return null;
    }

    public static List<String> paths() {
        return Arrays.stream(values()).map(ApplicationField::path).toList();
    }

    /** {@code customer.paymentHistory.invoicesPaid} */
    public String path() {
        return path;
    }

    public String label() {
        return label;
    }

    /** Its column in the decision log's CSV export, or {@code null} when the export leaves it out. */
    public String exportColumn() {
        return exportColumn;
    }

    public FieldRule rule() {
        return rule;
    }

    /** Must a request give it? (Otherwise it has a default, or, for a nullable number or optional text, means "none".) */
    public boolean required() {
        return rule.whenAbsent() == null
                && !(rule instanceof FieldRule.Whole w && w.nullable())
                && !(rule instanceof FieldRule.Text t && t.optional());
    }

    /**
     * Is it the service's to set, from the buyer's credit line? The decision endpoint refuses it in a request;
     * scenarios, the log and replays carry it like any other input.
     */
    public boolean fromCreditLine() {
        return fromCreditLine;
    }

    /** Is its value a number (BigDecimal or Integer)? */
    public boolean numeric() {
        return rule instanceof FieldRule.Decimal || rule instanceof FieldRule.Whole;
    }

    /** Its value in {@code application}: String, BigDecimal, Integer (null: none) or a sorted List of String. */
    public Object of(CreditApplication application) {
        return reader.apply(application);
    }

    private String[] segments() {
        return segments;
    }

    private String name(int segment) {
        return segments()[segment];
    }
}
