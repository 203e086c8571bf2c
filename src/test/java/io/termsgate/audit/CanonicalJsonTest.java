package io.termsgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.termsgate.engine.ApprovalRoute;
import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.DecisionTrace;
import io.termsgate.engine.Evaluation;
import io.termsgate.engine.Outcome;
import io.termsgate.support.Applications;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The text the hash chain is built on: derived from the field descriptions, it must never change. */
class CanonicalJsonTest {

    static final String REQUEST = "{\"customer\":{\"id\":\"T-1\",\"country\":\"DE\",\"industry\":\"MANUFACTURING\","
            + "\"yearsInBusiness\":7.5,\"annualRevenue\":20000000,\"creditScore\":null,"
            + "\"paymentHistory\":{\"invoicesPaid\":24,\"avgDaysBeyondTerms\":4,\"maxDaysPastDue\":12},"
            + "\"outstandingBalance\":50000.25,\"flags\":[\"COLLECTIONS\",\"FRAUD_ALERT\"]},"
            + "\"order\":{\"amount\":25000,\"currency\":\"EUR\",\"requestedTermDays\":60}}";

    @Test
    void aRequestIsWrittenAsItAlwaysWas() {
        CreditApplication application = Applications.typical()
                .yearsInBusiness("7.5")
                .creditScore(null)
                .outstandingBalance("50000.25")
                .flags("FRAUD_ALERT", "COLLECTIONS")
                .build();

        assertThat(CanonicalJson.request(application)).isEqualTo(REQUEST);
    }

    @Test
    void aStoredRequestReadsBackToTheSameApplication() {
        CreditApplication application =
                Applications.typical().creditScore(null).flags("BANKRUPTCY").build();

        assertThat(CanonicalJson.readRequest(CanonicalJson.request(application)))
                .isEqualTo(application);
        assertThat(CanonicalJson.request(CanonicalJson.readRequest(REQUEST))).isEqualTo(REQUEST);
    }

    @Test
    void aResultIsWrittenAsItAlwaysWas() {
        Evaluation evaluation = new Evaluation(
                Outcome.APPROVED,
                ApprovalRoute.AUTO,
                70,
                "B",
                new BigDecimal("400000"),
                new BigDecimal("350000.5"),
                60,
                List.of("Z_LAST", "A_FIRST"),
                new DecisionTrace(List.of(), List.of(), List.of(), java.util.Map.of(), List.of()));

        assertThat(CanonicalJson.result(evaluation, "EUR"))
                .isEqualTo(
                        "{\"outcome\":\"APPROVED\","
                                + "\"approvalRoute\":\"AUTO\",\"riskScore\":70,\"riskGrade\":\"B\",\"creditLimit\":400000,"
                                + "\"availableCredit\":350000.5,\"termDays\":60,\"currency\":\"EUR\",\"reasons\":[\"A_FIRST\",\"Z_LAST\"]}");
        assertThat(CanonicalJson.RESULT_FIELDS)
                .containsExactly(
                        "outcome",
                        "approvalRoute",
                        "riskScore",
                        "riskGrade",
                        "creditLimit",
                        "availableCredit",
                        "termDays",
                        "currency",
                        "reasons");
    }

    /**
     * A backtest reads a replayed result's fields straight from the evaluation; they must be what the logged text
     * reads back as: the same values, scales, classes and nulls, for results of every shape.
     */
    @Test
    void anEvaluationsFieldsAreExactlyWhatItsLoggedTextReadsBackAs() {
        java.util.Random random = new java.util.Random(16);
        String[] amounts = {"0", "0.00", "400000", "400000.00", "350000.5", "1E+3", "12345678901234567890.123", "-5"};
        for (int i = 0; i < 5_000; i++) {
            List<String> reasons =
                    random.nextBoolean() ? List.of() : List.of("R_" + random.nextInt(5), "Q_" + random.nextInt(5));
            Evaluation evaluation = new Evaluation(
                    Outcome.values()[random.nextInt(Outcome.values().length)],
                    ApprovalRoute.values()[random.nextInt(ApprovalRoute.values().length)],
                    random.nextInt(4) == 0 ? null : random.nextInt(1000) - 100,
                    random.nextInt(4) == 0 ? null : String.valueOf((char) ('A' + random.nextInt(5))),
                    new BigDecimal(amounts[random.nextInt(amounts.length)]),
                    new BigDecimal(amounts[random.nextInt(amounts.length)])
                            .add(BigDecimal.valueOf(random.nextInt(100_000), random.nextInt(4))),
                    random.nextInt(120),
                    reasons,
                    new DecisionTrace(List.of(), List.of(), List.of(), java.util.Map.of(), List.of()));
            String currency = random.nextBoolean() ? "EUR" : "USD";

            java.util.Map<String, Object> direct = CanonicalJson.resultFields(evaluation, currency);
            java.util.Map<String, Object> logged =
                    CanonicalJson.resultFields(CanonicalJson.result(evaluation, currency));

            assertThat(direct).as(evaluation.toString()).isEqualTo(logged);
            assertThat(direct.keySet()).containsExactlyElementsOf(logged.keySet());
            direct.forEach((field, value) -> assertThat(value == null ? null : value.getClass())
                    .as(field)
                    .isEqualTo(
                            logged.get(field) == null ? null : logged.get(field).getClass()));
        }
    }
}
