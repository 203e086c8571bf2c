package io.termsgate.creditline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.termsgate.audit.CanonicalRequest;
import io.termsgate.audit.Decided;
import io.termsgate.audit.DecisionLog;
import io.termsgate.creditapplication.DecisionRequestReader;
import io.termsgate.creditapplication.DecisionRequestReader.Requested;
import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.Evaluation;
import io.termsgate.receivables.Receivables;
import io.termsgate.receivables.ReceivablesForTests;
import io.termsgate.support.DefaultRuleset;
import io.termsgate.support.PolicyExamples;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Real credit lines for a slice test, on the slice's database and decision log: the lines, holds and ledger, the
 * views the API and the portal read, and the receivables they count. Nothing sweeps expired holds.
 */
@TestConfiguration(proxyBeanMethods = false)
public class CreditLineSlice {

    /** Who places the orders of {@link #order}: the demo checkout key, as the decision endpoint would log it. */
    public static final String CHECKOUT = "demo-checkout";

    /**
     * Decides an order of {@code amount} for {@code customerId} under the default ruleset, now, as checkout's
     * decision endpoint does (EX-01's application, the balance taken from the line): EX-01's policy limit is 400,000,
     * so an order up to what is available is approved and holds its amount.
     */
    public static CreditLines.Decision order(
            CreditLines creditLines, String customerId, String orderId, String amount, String currency) {
        ObjectNode request = PolicyExamples.byCustomerId("EX-01").request().deepCopy();
        ((ObjectNode) request.get("customer")).put("id", customerId).remove("outstandingBalance");
        ObjectNode order = (ObjectNode) request.get("order");
        order.put("id", orderId).put("amount", new BigDecimal(amount)).put("currency", currency);
        Requested requested = DecisionRequestReader.readRequest(request);
        CompiledRuleset ruleset = DefaultRuleset.compiled();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return creditLines.decide(requested, at, new CreditLines.Decider() {
            @Override
            public Evaluation evaluate(CreditApplication evaluated) {
                return ruleset.evaluate(evaluated, at);
            }

            @Override
            public Decided decided(CreditApplication evaluated, Evaluation evaluation, Map<String, Object> creditLine) {
                return new Decided(
                        UUID.randomUUID(),
                        at,
                        CHECKOUT,
                        null,
                        CanonicalRequest.of(requested.application(), requested.given()),
                        evaluated,
                        creditLine,
                        ruleset.version(),
                        DefaultRuleset.engine().versions(),
                        evaluation,
                        100);
            }
        });
    }

    /** {@link #order} in euros. */
    public static CreditLines.Decision order(
            CreditLines creditLines, String customerId, String orderId, String amount) {
        return order(creditLines, customerId, orderId, amount, "EUR");
    }

    @Bean
    Receivables receivables(JdbcClient jdbc) {
        return ReceivablesForTests.on(jdbc);
    }

    @Bean
    JdbcCreditLines jdbcCreditLines(JdbcClient jdbc, Receivables receivables) {
        return new JdbcCreditLines(jdbc, receivables);
    }

    @Bean
    CreditLines creditLines(
            JdbcCreditLines lines,
            DecisionLog decisionLog,
            PlatformTransactionManager transactions,
            DataSource dataSource,
            Clock clock) {
        return new CreditLines(
                lines,
                decisionLog,
                transactions,
                dataSource,
                new CreditLineProperties(Duration.ofDays(30), Duration.ofMinutes(1)),
                clock);
    }

    @Bean
    TermsSuspensions termsSuspensions(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock) {
        return new TermsSuspensions(jdbc, transactions, clock);
    }

    @Bean
    CreditLineViews creditLineViews(CreditLines creditLines, DecisionLog decisionLog, Clock clock) {
        return new CreditLineViews(creditLines, decisionLog, clock);
    }
}
