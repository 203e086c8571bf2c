package io.termsgate.engine.drools;

import static org.assertj.core.api.Assertions.assertThat;

import io.termsgate.engine.ApprovalRoute;
import io.termsgate.engine.DecisionTrace;
import io.termsgate.engine.Evaluation;
import io.termsgate.engine.Outcome;
import io.termsgate.support.Applications;
import io.termsgate.support.DefaultRuleset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** rules/knockouts.drl, rule by rule: each knock-out fires on its condition, and only there. */
class KnockoutRulesTest {

    static Stream<Arguments> declines() {
        return Stream.of(
                Arguments.of("K1 Sanctions match", Applications.typical().flags("SANCTIONS_MATCH"), "KO_SANCTIONS"),
                Arguments.of("K2 Bankruptcy", Applications.typical().flags("BANKRUPTCY"), "KO_BANKRUPTCY"),
                Arguments.of("K3 In collections", Applications.typical().flags("COLLECTIONS"), "KO_COLLECTIONS"),
                Arguments.of(
                        "K4 Severe delinquency: more than 90 days past due",
                        Applications.typical().maxDaysPastDue(91),
                        "KO_SEVERE_DELINQUENCY"),
                Arguments.of("K5 Unsupported country", Applications.typical().country("BR"), "KO_UNSUPPORTED_COUNTRY"),
                Arguments.of(
                        "K6 Unsupported currency", Applications.typical().currency("JPY"), "KO_UNSUPPORTED_CURRENCY"));
    }

    @Test
    void termsSuspendedByDunningReferToACreditManager() {
        Evaluation e = DefaultRuleset.evaluate(
                Applications.typical().flags("TERMS_SUSPENDED").build());

        assertThat(firedRules(e)).containsExactly("K9 Terms suspended by dunning: refer to a credit manager");
        assertThat(e.outcome()).isEqualTo(Outcome.REFERRED);
        assertThat(e.approvalRoute()).isEqualTo(ApprovalRoute.CREDIT_MANAGER);
        assertThat(e.reasons()).containsExactly("REF_TERMS_SUSPENDED");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("declines")
    void aKnockOutDeclinesWithItsReasonAndNoCredit(String rule, Applications application, String reason) {
        Evaluation e = DefaultRuleset.evaluate(application.build());

        assertThat(firedRules(e)).containsExactly(rule);
        assertThat(e.outcome()).isEqualTo(Outcome.DECLINED);
        assertThat(e.approvalRoute()).isEqualTo(ApprovalRoute.NONE);
        assertThat(e.reasons()).containsExactly(reason);
        assertThat(e.creditLimit()).isZero();
        assertThat(e.availableCredit()).isZero();
        assertThat(e.termDays()).isZero();
        assertThat(e.riskGrade()).as("the scorecard is still reported").isEqualTo("B");
    }

    @Test
    void fraudAlertRefersToACreditManager() {
        Evaluation e = DefaultRuleset.evaluate(
                Applications.typical().flags("FRAUD_ALERT").build());

        assertThat(firedRules(e)).containsExactly("K7 Fraud alert: refer to a credit manager");
        assertThat(e.outcome()).isEqualTo(Outcome.REFERRED);
        assertThat(e.approvalRoute()).isEqualTo(ApprovalRoute.CREDIT_MANAGER);
        assertThat(e.reasons()).containsExactly("REF_FRAUD_ALERT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0.5", "0.9999999999"})
    void lessThanOneYearTradingRefersToAnAnalyst(String years) {
        Evaluation e = DefaultRuleset.evaluate(
                Applications.typical().yearsInBusiness(years).build());

        assertThat(firedRules(e)).containsExactly("K8 New business: less than one year trading");
        assertThat(e.approvalRoute()).isEqualTo(ApprovalRoute.CREDIT_ANALYST);
        assertThat(e.reasons()).contains("REF_NEW_BUSINESS");
    }

    @Test
    void noKnockOutFiresOnTheEdgeOfEachCondition() {
        Evaluation e = DefaultRuleset.evaluate(Applications.typical()
                .yearsInBusiness("1")
                .maxDaysPastDue(90)
                .country("CA")
                .currency("GBP")
                .build());

        assertThat(firedRules(e)).isEmpty();
        assertThat(e.outcome()).isEqualTo(Outcome.APPROVED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"DE", "FR", "NL", "BE", "AT", "ES", "IT", "GB", "IE", "US", "CA"})
    void everySupportedCountryPasses(String country) {
        assertThat(firedRules(DefaultRuleset.evaluate(
                        Applications.typical().country(country).build())))
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"EUR", "USD", "GBP"})
    void everySupportedCurrencyPasses(String currency) {
        assertThat(firedRules(DefaultRuleset.evaluate(
                        Applications.typical().currency(currency).build())))
                .isEmpty();
    }

    @Test
    void everyMatchingRuleAddsItsReason() {
        Evaluation e = DefaultRuleset.evaluate(Applications.typical()
                .flags("SANCTIONS_MATCH", "BANKRUPTCY", "COLLECTIONS", "FRAUD_ALERT")
                .maxDaysPastDue(120)
                .country("BR")
                .currency("JPY")
                .yearsInBusiness("0.5")
                .build());

        assertThat(e.outcome()).isEqualTo(Outcome.DECLINED);
        assertThat(e.reasons())
                .containsExactly(
                        "KO_BANKRUPTCY",
                        "KO_COLLECTIONS",
                        "KO_SANCTIONS",
                        "KO_SEVERE_DELINQUENCY",
                        "KO_UNSUPPORTED_COUNTRY",
                        "KO_UNSUPPORTED_CURRENCY",
                        "REF_FRAUD_ALERT",
                        "REF_NEW_BUSINESS");
        assertThat(e.trace().rules()).allSatisfy(r -> assertThat(r.file()).isEqualTo("rules/knockouts.drl"));
    }

    private static List<String> firedRules(Evaluation e) {
        return e.trace().rules().stream().map(DecisionTrace.FiredRule::rule).toList();
    }
}
