package io.termsgate.engine.drools;

import static org.assertj.core.api.Assertions.assertThat;

import io.termsgate.engine.DecisionTrace;
import io.termsgate.engine.Evaluation;
import io.termsgate.support.Applications;
import io.termsgate.support.DefaultRuleset;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * decision-tables/risk-scorecard.xlsx, band by band, on both sides of every boundary: which row fires and what it
 * awards. The typical buyer scores 70; each case changes one characteristic.
 */
class RiskScorecardTest {

    record Band(String characteristic, Function<Applications, Applications> change, String band, int points) {
        @Override
        public String toString() {
            return characteristic + " → " + band;
        }
    }

    static Stream<Band> bands() {
        return Stream.of(
                new Band("Bureau score", a -> a.creditScore(null), "no bureau file", 10),
                new Band("Bureau score", a -> a.creditScore(0), "0 to under 40", 0),
                new Band("Bureau score", a -> a.creditScore(39), "0 to under 40", 0),
                new Band("Bureau score", a -> a.creditScore(40), "40 to under 60", 10),
                new Band("Bureau score", a -> a.creditScore(59), "40 to under 60", 10),
                new Band("Bureau score", a -> a.creditScore(60), "60 to under 80", 25),
                new Band("Bureau score", a -> a.creditScore(79), "60 to under 80", 25),
                new Band("Bureau score", a -> a.creditScore(80), "80 to 100", 35),
                new Band("Bureau score", a -> a.creditScore(100), "80 to 100", 35),
                new Band("Years in business", a -> a.yearsInBusiness("0"), "under 2 years", 0),
                new Band("Years in business", a -> a.yearsInBusiness("1.99"), "under 2 years", 0),
                new Band("Years in business", a -> a.yearsInBusiness("2"), "2 to under 5 years", 10),
                new Band("Years in business", a -> a.yearsInBusiness("4.999"), "2 to under 5 years", 10),
                new Band("Years in business", a -> a.yearsInBusiness("5"), "5 to under 10 years", 20),
                new Band("Years in business", a -> a.yearsInBusiness("9.99"), "5 to under 10 years", 20),
                new Band("Years in business", a -> a.yearsInBusiness("10"), "10 years or more", 25),
                new Band("Years in business", a -> a.yearsInBusiness("200"), "10 years or more", 25),
                new Band(
                        "Payment behaviour",
                        a -> a.invoicesPaid(0).avgDaysBeyondTerms("0"),
                        "thin history: fewer than 6 invoices paid",
                        10),
                new Band(
                        "Payment behaviour",
                        a -> a.invoicesPaid(5).avgDaysBeyondTerms("99"),
                        "thin history: fewer than 6 invoices paid",
                        10),
                new Band(
                        "Payment behaviour",
                        a -> a.invoicesPaid(6).avgDaysBeyondTerms("0"),
                        "pays on time (0 days late on average)",
                        25),
                new Band(
                        "Payment behaviour",
                        a -> a.invoicesPaid(6).avgDaysBeyondTerms("0.01"),
                        "up to 10 days late on average",
                        15),
                new Band("Payment behaviour", a -> a.avgDaysBeyondTerms("10"), "up to 10 days late on average", 15),
                new Band("Payment behaviour", a -> a.avgDaysBeyondTerms("10.01"), "over 10 and up to 30 days late", 5),
                new Band("Payment behaviour", a -> a.avgDaysBeyondTerms("30"), "over 10 and up to 30 days late", 5),
                new Band("Payment behaviour", a -> a.avgDaysBeyondTerms("30.01"), "more than 30 days late", 0),
                new Band("Annual revenue", a -> a.annualRevenue("0"), "under 1,000,000", 0),
                new Band("Annual revenue", a -> a.annualRevenue("999999.99"), "under 1,000,000", 0),
                new Band("Annual revenue", a -> a.annualRevenue("1000000"), "1,000,000 to under 10,000,000", 5),
                new Band("Annual revenue", a -> a.annualRevenue("9999999.99"), "1,000,000 to under 10,000,000", 5),
                new Band("Annual revenue", a -> a.annualRevenue("10000000"), "10,000,000 to under 50,000,000", 10),
                new Band("Annual revenue", a -> a.annualRevenue("49999999.99"), "10,000,000 to under 50,000,000", 10),
                new Band("Annual revenue", a -> a.annualRevenue("50000000"), "50,000,000 or more", 15),
                new Band("Industry", a -> a.industry("CONSTRUCTION"), "construction or hospitality", -5),
                new Band("Industry", a -> a.industry("HOSPITALITY"), "construction or hospitality", -5),
                new Band("Industry", a -> a.industry("RETAIL"), "any other industry", 0),
                new Band("Industry", a -> a.industry("PUBLIC_SECTOR"), "any other industry", 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bands")
    void exactlyTheBandOnThisSideOfTheBoundaryAwardsItsPoints(Band band) {
        Evaluation e = DefaultRuleset.evaluate(
                band.change().apply(Applications.typical()).build());

        assertThat(e.trace().errors()).isEmpty();
        DecisionTrace.SpreadsheetRow row = DefaultRuleset.row(e, band.characteristic());
        assertThat(row.label()).isEqualTo(band.band());
        assertThat(row.effect())
                .isEqualTo(band.characteristic() + " " + (band.points() >= 0 ? "+" : "") + band.points() + " points");
        assertThat(row.file()).isEqualTo("decision-tables/risk-scorecard.xlsx");
        assertThat(e.trace().spreadsheetRows())
                .filteredOn(r -> r.table().equals(band.characteristic()))
                .hasSize(1);
    }

    static Stream<Arguments> grades() {
        // score of the typical buyer is 70; the bureau score and revenue move it
        return Stream.of(
                Arguments.of(Applications.typical().creditScore(80), 80, "A"),
                Arguments.of(Applications.typical().creditScore(80).annualRevenue("9999999"), 75, "B"),
                Arguments.of(Applications.typical().annualRevenue("9999999"), 65, "B"),
                Arguments.of(Applications.typical().annualRevenue("999999"), 60, "C"),
                Arguments.of(Applications.typical().creditScore(40).annualRevenue("9999999"), 50, "C"),
                Arguments.of(Applications.typical().creditScore(40).annualRevenue("999999"), 45, "D"),
                Arguments.of(Applications.typical().creditScore(0).yearsInBusiness("2"), 35, "D"),
                Arguments.of(
                        Applications.typical()
                                .creditScore(0)
                                .yearsInBusiness("2")
                                .industry("CONSTRUCTION"),
                        30,
                        "E"),
                Arguments.of(
                        Applications.typical()
                                .creditScore(0)
                                .yearsInBusiness("1.5")
                                .annualRevenue("1")
                                .invoicesPaid(6)
                                .avgDaysBeyondTerms("31")
                                .industry("CONSTRUCTION"),
                        -5,
                        "E"));
    }

    @ParameterizedTest(name = "score {1} → grade {2}")
    @MethodSource("grades")
    void theGradeFollowsTheScore(Applications application, int score, String grade) {
        Evaluation e = DefaultRuleset.evaluate(application.build());

        assertThat(e.riskScore()).isEqualTo(score);
        assertThat(e.riskGrade()).isEqualTo(grade);
        assertThat(DefaultRuleset.row(e, "Risk grade").effect()).isEqualTo("risk grade " + grade);
    }
}
