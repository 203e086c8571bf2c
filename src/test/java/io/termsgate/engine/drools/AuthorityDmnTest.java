package io.termsgate.engine.drools;

import static io.termsgate.engine.ApprovalRoute.CFO;
import static io.termsgate.engine.ApprovalRoute.CREDIT_ANALYST;
import static io.termsgate.engine.ApprovalRoute.CREDIT_MANAGER;
import static org.assertj.core.api.Assertions.assertThat;

import io.termsgate.engine.ApprovalRoute;
import io.termsgate.engine.AuthorityAnswer;
import io.termsgate.engine.AuthorityQuestion;
import io.termsgate.support.DefaultRuleset;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * decision-tables/authority.dmn, table by table: what each level may approve on both sides of every threshold,
 * engine-error referrals (no grade), four eyes at CFO level above 1,000,000, and the deadline of each level.
 */
class AuthorityDmnTest {

    /** A case every level may approve: small, grade A, within the credit, a short term and a small limit. */
    static Case easy() {
        return new Case("10000", "A", "50000", 30, "0");
    }

    record Case(String amount, String grade, String limit, int term, String share) {
        Case amount(String value) {
            return new Case(value, grade, limit, term, share);
        }

        Case grade(String value) {
            return new Case(amount, value, limit, term, share);
        }

        Case limit(String value) {
            return new Case(amount, grade, value, term, share);
        }

        Case term(int value) {
            return new Case(amount, grade, limit, value, share);
        }

        Case share(String value) {
            return new Case(amount, grade, limit, term, value);
        }

        AuthorityQuestion at(ApprovalRoute level) {
            return new AuthorityQuestion(
                    level, new BigDecimal(amount), grade, new BigDecimal(limit), term, new BigDecimal(share));
        }

        @Override
        public String toString() {
            return "order " + amount + ", grade " + grade + ", limit " + limit + ", " + term + " days, share " + share;
        }
    }

    static AuthorityAnswer ask(ApprovalRoute level, Case c) {
        return DefaultRuleset.compiled().authority(c.at(level));
    }

    static Stream<Arguments> mayApprove() {
        return Stream.of(
                // credit analyst: < 250,000, grade A-D, share <= 0.10, term <= 60, limit <= 150,000
                Arguments.of(CREDIT_ANALYST, easy(), true),
                Arguments.of(CREDIT_ANALYST, easy().amount("249999.99"), true),
                Arguments.of(CREDIT_ANALYST, easy().amount("250000"), false),
                Arguments.of(CREDIT_ANALYST, easy().grade("D"), true),
                Arguments.of(CREDIT_ANALYST, easy().grade("E"), false),
                Arguments.of(CREDIT_ANALYST, easy().grade(null), false),
                Arguments.of(CREDIT_ANALYST, easy().share("0.10"), true),
                Arguments.of(CREDIT_ANALYST, easy().share("0.1001"), false),
                Arguments.of(CREDIT_ANALYST, easy().term(60), true),
                Arguments.of(CREDIT_ANALYST, easy().term(61), false),
                Arguments.of(CREDIT_ANALYST, easy().limit("150000"), true),
                Arguments.of(CREDIT_ANALYST, easy().limit("150000.01"), false),
                // credit manager: < 1,000,000, grade A-D, share <= 0.50, term <= 90, limit <= 1,000,000
                Arguments.of(CREDIT_MANAGER, easy(), true),
                Arguments.of(CREDIT_MANAGER, easy().amount("999999.99"), true),
                Arguments.of(CREDIT_MANAGER, easy().amount("1000000"), false),
                Arguments.of(CREDIT_MANAGER, easy().grade("D"), true),
                Arguments.of(CREDIT_MANAGER, easy().grade("E"), false),
                Arguments.of(CREDIT_MANAGER, easy().grade(null), false),
                Arguments.of(CREDIT_MANAGER, easy().share("0.5"), true),
                Arguments.of(CREDIT_MANAGER, easy().share("0.5001"), false),
                Arguments.of(CREDIT_MANAGER, easy().term(90), true),
                Arguments.of(CREDIT_MANAGER, easy().term(91), false),
                Arguments.of(CREDIT_MANAGER, easy().limit("1000000"), true),
                Arguments.of(CREDIT_MANAGER, easy().limit("1000000.01"), false),
                // CFO: anything with a term up to 90 days
                Arguments.of(CFO, easy(), true),
                Arguments.of(CFO, easy().amount("50000000"), true),
                Arguments.of(CFO, easy().grade("E"), true),
                Arguments.of(CFO, easy().grade(null), true),
                Arguments.of(CFO, easy().share("1"), true),
                Arguments.of(CFO, easy().limit("5000000"), true),
                Arguments.of(CFO, easy().term(90), true),
                Arguments.of(CFO, easy().term(91), false));
    }

    @ParameterizedTest(name = "{0}, {1} → {2}")
    @MethodSource("mayApprove")
    void eachLevelMayApproveUpToItsThresholds(ApprovalRoute level, Case c, boolean mayApprove) {
        AuthorityAnswer answer = ask(level, c);

        assertThat(answer.error()).isNull();
        assertThat(answer.mayApprove()).isEqualTo(mayApprove);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(names = {"CREDIT_ANALYST", "CREDIT_MANAGER", "CFO"})
    void anEngineErrorReferralWithoutAGradeGetsAnAnswerAtEveryLevel(ApprovalRoute level) {
        // what an engine-error referral carries: no grade, no credit, no term, nothing within the credit
        AuthorityAnswer answer = ask(level, new Case("10000", null, "0", 0, "1"));

        assertThat(answer.error()).isNull();
        assertThat(answer.mayApprove()).isEqualTo(level == CFO);
        assertThat(answer.approversNeeded()).isEqualTo(1);
        assertThat(answer.dueBusinessHours()).isPositive();
    }

    static Stream<Arguments> approvers() {
        return Stream.of(
                Arguments.of(CREDIT_ANALYST, "10000", 1),
                Arguments.of(CREDIT_ANALYST, "5000000", 1),
                Arguments.of(CREDIT_MANAGER, "10000", 1),
                Arguments.of(CREDIT_MANAGER, "5000000", 1),
                Arguments.of(CFO, "10000", 1),
                Arguments.of(CFO, "1000000", 1),
                Arguments.of(CFO, "1000000.01", 2),
                Arguments.of(CFO, "50000000", 2));
    }

    @ParameterizedTest(name = "{0}, order {1} → {2} approver(s)")
    @MethodSource("approvers")
    void aCfoApprovalAbove1000000NeedsFourEyes(ApprovalRoute level, String amount, int approvers) {
        AuthorityAnswer answer = ask(level, easy().amount(amount));

        assertThat(answer.error()).isNull();
        assertThat(answer.approversNeeded()).isEqualTo(approvers);
    }

    static Stream<Arguments> deadlines() {
        return Stream.of(Arguments.of(CREDIT_ANALYST, 4), Arguments.of(CREDIT_MANAGER, 8), Arguments.of(CFO, 16));
    }

    @ParameterizedTest(name = "{0} → {1} business hours")
    @MethodSource("deadlines")
    void eachLevelHasItsDeadlineWhetherOrNotItMayApprove(ApprovalRoute level, int hours) {
        assertThat(ask(level, easy()).dueBusinessHours()).isEqualTo(hours);
        assertThat(ask(level, easy().term(91)).dueBusinessHours()).isEqualTo(hours);
    }

    @Test
    void aQuestionOutsideWhatTheTableIsAskedIsRefusedWithAnErrorNotThrown() {
        List<AuthorityAnswer> answers = List.of(
                ask(ApprovalRoute.AUTO, easy()),
                ask(ApprovalRoute.NONE, easy()),
                ask(CFO, easy().amount("0")),
                ask(CFO, easy().limit("-1")),
                ask(CFO, easy().share("1.01")),
                ask(CFO, easy().share("-0.01")),
                DefaultRuleset.compiled().authority(null));

        assertThat(answers).allSatisfy(a -> {
            assertThat(a.mayApprove()).isFalse();
            assertThat(a.isFailed()).isTrue();
            assertThat(a.error())
                    .startsWith("delegated authority")
                    .doesNotContain("Exception")
                    .doesNotContain("\tat ");
        });
    }

    @Test
    void manyThreadsMayAskAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<AuthorityAnswer>> answers = IntStream.range(0, 400)
                    .mapToObj(i -> pool.submit(() ->
                            ask(i % 2 == 0 ? CREDIT_ANALYST : CFO, easy().amount(i % 2 == 0 ? "300000" : "2000000"))))
                    .toList();
            for (int i = 0; i < answers.size(); i++) {
                AuthorityAnswer answer = answers.get(i).get();
                assertThat(answer.mayApprove()).isEqualTo(i % 2 != 0);
                assertThat(answer.approversNeeded()).isEqualTo(i % 2 == 0 ? 1 : 2);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
