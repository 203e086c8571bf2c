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

    @Test
    void engineVersionsAreWrittenSortedEachTimeAsTheyAreNow() {
        java.util.Map<String, String> versions =
                new java.util.HashMap<>(java.util.Map.of("drools", "10.2", "dmn", "10.2"));

        assertThat(CanonicalJson.engineVersions(versions)).isEqualTo("{\"dmn\":\"10.2\",\"drools\":\"10.2\"}");
        assertThat(CanonicalJson.engineVersions(java.util.Map.of("drools", "10.3")))
                .isEqualTo("{\"drools\":\"10.3\"}");
        assertThat(CanonicalJson.engineVersions(versions)).isEqualTo("{\"dmn\":\"10.2\",\"drools\":\"10.2\"}");
        // the map written last, changed since: written as it is now
        versions.put("dmn", "10.4");
        assertThat(CanonicalJson.engineVersions(versions)).isEqualTo("{\"dmn\":\"10.4\",\"drools\":\"10.2\"}");
    }
}
