package io.termsgate.engine.drools;

import static org.assertj.core.api.Assertions.assertThat;

import io.termsgate.engine.ApprovalRoute;
import io.termsgate.engine.DecisionTrace;
import io.termsgate.engine.Evaluation;
import io.termsgate.engine.Outcome;
import io.termsgate.support.Applications;
import io.termsgate.support.DefaultRuleset;
import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * decision-tables/credit-terms.dmn, table by table: limits and caps, terms, risk routing on both sides of every
 * overage boundary, large orders, and the outcome.
 */
class CreditTermsDmnTest {

    /** Grade B, limit 150,000, available 100,000: orders up to 200,000.01 stay below the large-order threshold. */
    static Applications smallBuyer() {
        return Applications.typical().annualRevenue("2000000");
    }

    static Stream<Arguments> limitsByGrade() {
        return Stream.of(
                Arguments.of(
                        Applications.typical()
                                .creditScore(95)
                                .annualRevenue("5000000")
                                .yearsInBusiness("12"),
                        "A",
                        "500000"),
                Arguments.of(
                        Applications.typical()
                                .creditScore(95)
                                .annualRevenue("400000000")
                                .yearsInBusiness("12"),
                        "A",
                        "1000000"),
                Arguments.of(Applications.typical(), "B", "400000"),
                Arguments.of(Applications.typical().annualRevenue("2345678.9"), "B", "175000"),
                Arguments.of(Applications.typical().annualRevenue("999999.99"), "C", "49000"),
                Arguments.of(
                        Applications.typical()
                                .creditScore(45)
                                .annualRevenue("100000000")
                                .yearsInBusiness("2"),
                        "C",
                        "150000"),
                Arguments.of(Applications.typical().creditScore(45).yearsInBusiness("3"), "D", "40000"),
                Arguments.of(
                        Applications.typical()
                                .creditScore(45)
                                .yearsInBusiness("3")
                                .annualRevenue("1000000"),
                        "D",
                        "25000"),
                Arguments.of(
                        Applications.typical()
                                .creditScore(0)
                                .yearsInBusiness("2")
                                .industry("RETAIL")
                                .annualRevenue("1000000"),
                        "E",
                        "0"));
    }

    @ParameterizedTest(name = "grade {1}: limit {2}")
    @MethodSource("limitsByGrade")
    void theLimitIsTheShareOfRevenueUpToTheCapRoundedDownToThousands(Applications a, String grade, String limit) {
        Evaluation e = DefaultRuleset.evaluate(a.build());

        assertThat(e.riskGrade()).isEqualTo(grade);
        assertThat(e.trace().decisions().get("Assessed Limit")).isEqualTo(new BigDecimal(limit));
    }

    @Test
    void withoutABureauFileTheCapIsAtMost50000() {
        Evaluation gradeA = DefaultRuleset.evaluate(Applications.typical()
                .creditScore(null)
                .yearsInBusiness("12")
                .annualRevenue("90000000")
                .avgDaysBeyondTerms("0")
                .build());
        Evaluation gradeD = DefaultRuleset.evaluate(Applications.typical()
                .creditScore(null)
                .yearsInBusiness("2")
                .annualRevenue("999999")
                .invoicesPaid(6)
                .avgDaysBeyondTerms("20")
                .build());

        assertThat(gradeA.riskGrade()).isEqualTo("B");
        assertThat(gradeA.trace().decisions().get("Limit Cap")).isEqualTo(new BigDecimal("50000"));
        assertThat(gradeD.riskGrade()).isEqualTo("E");
        assertThat(gradeD.trace().decisions().get("Limit Cap")).isEqualTo(BigDecimal.ZERO);
        assertThat(matchedRules(gradeA, "Limit Cap")).containsExactly(2, 6);
    }

    @Test
    void availableCreditIsWhatIsLeftAfterOpenReceivablesNeverBelowZero() {
        assertThat(DefaultRuleset.evaluate(Applications.typical()
                                .outstandingBalance("12345.67")
                                .build())
                        .availableCredit())
                .isEqualTo(new BigDecimal("387654.33"));
        assertThat(DefaultRuleset.evaluate(Applications.typical()
                                .outstandingBalance("400000.01")
                                .build())
                        .availableCredit())
                .isEqualTo(BigDecimal.ZERO);
    }

    static Stream<Arguments> terms() {
        return Stream.of(
                Arguments.of(
                        Applications.typical()
                                .creditScore(95)
                                .yearsInBusiness("12")
                                .requestedTermDays(90),
                        90),
                Arguments.of(Applications.typical().requestedTermDays(90), 60),
                Arguments.of(Applications.typical().requestedTermDays(45), 45),
                Arguments.of(Applications.typical().requestedTermDays(15), 15),
                Arguments.of(
                        Applications.typical()
                                .annualRevenue("999999")
                                .requestedTermDays(60)
                                .amount("100"),
                        45),
                Arguments.of(
                        Applications.typical()
                                .creditScore(95)
                                .yearsInBusiness("12")
                                .industry("CONSTRUCTION")
                                .requestedTermDays(90),
                        45),
                Arguments.of(
                        Applications.typical()
                                .creditScore(95)
                                .yearsInBusiness("12")
                                .industry("HOSPITALITY")
                                .requestedTermDays(60),
                        45),
                Arguments.of(
                        Applications.typical()
                                .creditScore(45)
                                .yearsInBusiness("3")
                                .outstandingBalance("0")
                                .amount("100")
                                .requestedTermDays(90),
                        30));
    }

    @ParameterizedTest(name = "term {1} days")
    @MethodSource("terms")
    void theTermIsTheRequestedOneUpToTheLongestForTheGradeAndIndustry(Applications a, int days) {
        assertThat(DefaultRuleset.evaluate(a.build()).termDays()).isEqualTo(days);
    }

    static Stream<Arguments> overages() {
        return Stream.of(
                Arguments.of("99999.99", ApprovalRoute.AUTO, List.of()),
                Arguments.of("100000", ApprovalRoute.AUTO, List.of()),
                Arguments.of("100000.01", ApprovalRoute.CREDIT_ANALYST, List.of("REF_OVER_LIMIT")),
                Arguments.of("110000", ApprovalRoute.CREDIT_ANALYST, List.of("REF_OVER_LIMIT")),
                Arguments.of("110000.01", ApprovalRoute.CREDIT_MANAGER, List.of("REF_OVER_LIMIT")),
                Arguments.of("200000", ApprovalRoute.CREDIT_MANAGER, List.of("REF_OVER_LIMIT")),
                Arguments.of("200000.01", ApprovalRoute.CFO, List.of("REF_OVER_LIMIT")));
    }

    @ParameterizedTest(name = "order {0} against 100,000 available → {1}")
    @MethodSource("overages")
    void theOverageDecidesTheRoute(String amount, ApprovalRoute route, List<String> reasons) {
        Evaluation e = DefaultRuleset.evaluate(smallBuyer().amount(amount).build());

        assertThat(e.approvalRoute()).isEqualTo(route);
        assertThat(e.outcome()).isEqualTo(route == ApprovalRoute.AUTO ? Outcome.APPROVED : Outcome.REFERRED);
        assertThat(e.reasons()).isEqualTo(reasons);
    }

    @Test
    void gradeDIsReferredToAnAnalystEvenWhenItFits() {
        Evaluation e = DefaultRuleset.evaluate(Applications.typical()
                .creditScore(45)
                .yearsInBusiness("3")
                .outstandingBalance("0")
                .amount("40000")
                .build());

        assertThat(e.riskGrade()).isEqualTo("D");
        assertThat(e.approvalRoute()).isEqualTo(ApprovalRoute.CREDIT_ANALYST);
        assertThat(e.reasons()).containsExactly("REF_RISK_GRADE");
    }

    @Test
    void gradeEIsDeclinedWithNoCredit() {
        Evaluation e = DefaultRuleset.evaluate(Applications.typical()
                .creditScore(0)
                .yearsInBusiness("2")
                .industry("CONSTRUCTION")
                .build());

        assertThat(e.outcome()).isEqualTo(Outcome.DECLINED);
        assertThat(e.approvalRoute()).isEqualTo(ApprovalRoute.NONE);
        assertThat(e.reasons()).containsExactly("DECLINE_RISK_GRADE");
        assertThat(e.creditLimit()).isZero();
        assertThat(e.termDays()).isZero();
    }

    static Stream<Arguments> largeOrders() {
        // grade A with 1,000,000 available: only the order's size raises the route
        return Stream.of(
                Arguments.of("249999.99", ApprovalRoute.AUTO, List.of()),
                Arguments.of("250000", ApprovalRoute.CREDIT_MANAGER, List.of("REF_LARGE_ORDER")),
                Arguments.of("999999.99", ApprovalRoute.CREDIT_MANAGER, List.of("REF_LARGE_ORDER")),
                Arguments.of("1000000", ApprovalRoute.CFO, List.of("REF_LARGE_ORDER")));
    }

    @ParameterizedTest(name = "order {0} → {1}")
    @MethodSource("largeOrders")
    void largeOrdersRaiseTheRoute(String amount, ApprovalRoute route, List<String> reasons) {
        Evaluation e = DefaultRuleset.evaluate(Applications.typical()
                .creditScore(95)
                .yearsInBusiness("30")
                .annualRevenue("400000000")
                .avgDaysBeyondTerms("0")
                .outstandingBalance("0")
                .amount(amount)
                .build());

        assertThat(e.approvalRoute()).isEqualTo(route);
        assertThat(e.reasons()).isEqualTo(reasons);
    }

    @Test
    void aLargeOrderThatDoesNotRaiseTheRouteAddsNoReason() {
        Evaluation e =
                DefaultRuleset.evaluate(Applications.typical().amount("1200000").build());

        assertThat(e.approvalRoute()).isEqualTo(ApprovalRoute.CFO);
        assertThat(e.reasons()).containsExactly("REF_OVER_LIMIT");
    }

    @Test
    void knockOutReferralsRaiseTheRouteButNeverLowerIt() {
        Evaluation raised = DefaultRuleset.evaluate(
                Applications.typical().flags("FRAUD_ALERT").build());
        Evaluation kept = DefaultRuleset.evaluate(
                Applications.typical().flags("FRAUD_ALERT").amount("1200000").build());

        assertThat(raised.approvalRoute()).isEqualTo(ApprovalRoute.CREDIT_MANAGER);
        assertThat(kept.approvalRoute()).isEqualTo(ApprovalRoute.CFO);
    }

    @Test
    void theTraceNamesTheMatchedRuleOfEveryDecisionTable() {
        Evaluation e = DefaultRuleset.evaluate(smallBuyer().amount("110000.01").build());

        assertThat(matchedRules(e, "Risk Route")).containsExactly(6);
        assertThat(e.trace().decisionTables())
                .filteredOn(t -> t.decision().equals("Risk Route"))
                .first()
                .satisfies(t -> assertThat(t.selectedRuleIds()).containsExactly("_RiskRoute_dt_r6"));
        assertThat(matchedRules(e, "Large Order Route")).containsExactly(1);
        assertThat(matchedRules(e, "Outcome")).containsExactly(3);
        assertThat(e.trace().decisions()).containsEntry("Overage", new BigDecimal("10000.01"));
    }

    private static List<Integer> matchedRules(Evaluation e, String decision) {
        return e.trace().decisionTables().stream()
                .filter(t -> t.decision().equals(decision))
                .findFirst()
                .map(DecisionTrace.DecisionTableMatch::matchedRules)
                .orElseThrow();
    }
}
