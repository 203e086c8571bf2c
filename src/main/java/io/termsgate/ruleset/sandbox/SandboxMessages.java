package io.termsgate.ruleset.sandbox;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.Evaluation;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.facts.Customer;
import io.termsgate.engine.facts.Order;
import io.termsgate.engine.facts.PaymentHistory;
import io.termsgate.ruleset.Scenarios;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the service and a sandbox worker say to each other, one JSON document a line. The worker's answers are read
 * as data into these records and nothing else: the worker is where untrusted rules run, so its output is untrusted
 * too (bounded in size, strictly typed, never deserialised into arbitrary classes).
 */
final class SandboxMessages {

    /** Largest line the service reads from a worker. */
    static final int MAX_LINE = 16 * 1024 * 1024;

    static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_LINE).build());
    }

    private SandboxMessages() {
    }

    enum Mode {
        VALIDATE, EVALUATE
    }

    /** The first line to a worker: what to do, on which files (base64 by path), at which time. */
    record Start(Mode mode, Map<String, byte[]> files, Instant now, int maxRuleFirings) {
    }

    /** The worker's answer to {@link Mode#VALIDATE}, or to the compile that {@link Mode#EVALUATE} starts with. */
    record Validation(boolean accepted, List<RulesetProblem> problems, List<RulesetProblem> warnings,
            Scenarios.Report scenarios) {
    }

    /** One evaluation asked of an {@link Mode#EVALUATE} worker. */
    record Ask(Application application, Instant decisionTime) {
    }

    /** A credit application as plain data. */
    record Application(String id, String country, String industry, BigDecimal yearsInBusiness,
            BigDecimal annualRevenue, Integer creditScore, int invoicesPaid, BigDecimal avgDaysBeyondTerms,
            int maxDaysPastDue, BigDecimal outstandingBalance, List<String> flags, BigDecimal amount,
            String currency, int requestedTermDays) {

        static Application of(CreditApplication a) {
            Customer c = a.customer();
            Order o = a.order();
            PaymentHistory h = c.getPaymentHistory();
            return new Application(c.getId(), c.getCountry(), c.getIndustry(), c.getYearsInBusiness(),
                    c.getAnnualRevenue(), c.getCreditScore(), h.getInvoicesPaid(), h.getAvgDaysBeyondTerms(),
                    h.getMaxDaysPastDue(), c.getOutstandingBalance(), List.copyOf(c.getFlags()), o.getAmount(),
                    o.getCurrency(), o.getRequestedTermDays());
        }

        CreditApplication toApplication() {
            return new CreditApplication(new Customer(id, country, industry, yearsInBusiness, annualRevenue,
                    creditScore, new PaymentHistory(invoicesPaid, avgDaysBeyondTerms, maxDaysPastDue),
                    outstandingBalance, new TreeSet<>(flags)), new Order(amount, currency, requestedTermDays));
        }
    }

    /** The worker's answer to an {@link Ask}. */
    record Answer(Evaluation evaluation) {
    }
}
