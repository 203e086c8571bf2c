package io.termsgate.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.DecisionTrace;
import io.termsgate.engine.Evaluation;
import io.termsgate.engine.RulesetSource;
import io.termsgate.engine.facts.Customer;
import io.termsgate.engine.facts.Order;
import io.termsgate.engine.facts.PaymentHistory;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
public final class CanonicalJson {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** The fields of a decision's result, in the order checkout reads them. */
    public static final List<String> RESULT_FIELDS = List.of("outcome", "approvalRoute", "riskScore", "riskGrade",
            "creditLimit", "availableCredit", "termDays", "currency", "reasons");

    private CanonicalJson() {
    }

    public static String request(CreditApplication application) {
        Customer c = application.customer();
        PaymentHistory h = c.getPaymentHistory();
        Order o = application.order();
        Map<String, Object> history = new LinkedHashMap<>();
        history.put("invoicesPaid", h.getInvoicesPaid());
        history.put("avgDaysBeyondTerms", h.getAvgDaysBeyondTerms());
        history.put("maxDaysPastDue", h.getMaxDaysPastDue());
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("id", c.getId());
        customer.put("country", c.getCountry());
        customer.put("industry", c.getIndustry());
        customer.put("yearsInBusiness", c.getYearsInBusiness());
        customer.put("annualRevenue", c.getAnnualRevenue());
        customer.put("creditScore", c.getCreditScore());
        customer.put("paymentHistory", history);
        customer.put("outstandingBalance", c.getOutstandingBalance());
        customer.put("flags", List.copyOf(c.getFlags()));
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("amount", o.getAmount());
        order.put("currency", o.getCurrency());
        order.put("requestedTermDays", o.getRequestedTermDays());
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("customer", customer);
        request.put("order", order);
        return write(request);
    }

    /** Reads back a request this class wrote (stored requests are canonical and were valid when decided). */
    public static CreditApplication readRequest(String json) {
        JsonNode root = tree(json);
        JsonNode c = root.get("customer");
        JsonNode h = c.get("paymentHistory");
        JsonNode o = root.get("order");
        Set<String> flags = new LinkedHashSet<>();
        c.get("flags").forEach(f -> flags.add(f.asText()));
        Customer customer = new Customer(c.get("id").asText(), c.get("country").asText(), c.get("industry").asText(),
                c.get("yearsInBusiness").decimalValue(), c.get("annualRevenue").decimalValue(),
                c.get("creditScore").isNull() ? null : c.get("creditScore").intValue(),
                new PaymentHistory(h.get("invoicesPaid").intValue(), h.get("avgDaysBeyondTerms").decimalValue(),
                        h.get("maxDaysPastDue").intValue()),
                c.get("outstandingBalance").decimalValue(), flags);
        Order order = new Order(o.get("amount").decimalValue(), o.get("currency").asText(),
                o.get("requestedTermDays").intValue());
        return new CreditApplication(customer, order);
    }

    public static String result(Evaluation e, String currency) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("outcome", e.outcome().name());
        result.put("approvalRoute", e.approvalRoute().name());
        result.put("riskScore", e.riskScore());
        result.put("riskGrade", e.riskGrade());
        result.put("creditLimit", e.creditLimit());
        result.put("availableCredit", e.availableCredit());
        result.put("termDays", e.termDays());
        result.put("currency", currency);
        result.put("reasons", e.reasons());
        return write(result);
    }

    public static String trace(DecisionTrace trace) {
        return write(trace);
    }

    public static String engineVersions(Map<String, String> versions) {
        return write(new TreeMap<>(versions));
    }

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
            BigDecimal value = node.decimalValue().stripTrailingZeros();
            return value.scale() < 0 ? value.setScale(0) : value;
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
