package io.termsgate.engine.drools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.termsgate.engine.ApprovalRoute;
import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.Evaluation;
import io.termsgate.engine.Outcome;
import io.termsgate.engine.RulesetRejectedException;
import io.termsgate.ruleset.RulesetFiles;
import io.termsgate.support.Applications;
import io.termsgate.support.DefaultRuleset;
import io.termsgate.support.RulesetCopy;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policy changes are file changes: an analyst's edit of the spreadsheet or the DMN, loaded from a folder at run time,
 * changes the decision with no Java change and no build. And a ruleset that fails at run time never approves.
 */
class EditedRulesetTest {

    @TempDir
    Path dir;

    private CompiledRuleset compile(RulesetCopy copy) {
        return DefaultRuleset.engine().compile(RulesetFiles.readFolder(copy.root()));
    }

    /**
     * The engine refuses rule code outside the policy language before it compiles; the net under that (any
     * Throwable of rule code is the safe referral) is tested here on rules built the way the engine builds them,
     * minus the check. Only a test can do this: the service has no such path.
     */
    private static CompiledRuleset compileOutsideThePolicyLanguage(RulesetCopy copy) {
        io.termsgate.engine.RulesetSource source = RulesetFiles.readFolder(copy.root());
        java.util.List<io.termsgate.engine.RulesetProblem> problems = new java.util.ArrayList<>();
        org.kie.internal.utils.KieHelper helper = new org.kie.internal.utils.KieHelper();
        java.util.Map<String, RuleOrigin> origins = new java.util.HashMap<>();
        java.util.Map<String, byte[]> dmn = new java.util.TreeMap<>();
        java.util.List<String> characteristics = new java.util.ArrayList<>();
        source.files().forEach((path, bytes) -> {
            if (path.endsWith(".drl")) {
                helper.addContent(
                        new String(bytes, java.nio.charset.StandardCharsets.UTF_8), org.kie.api.io.ResourceType.DRL);
            } else if (path.endsWith(".xlsx")) {
                SpreadsheetTables.Converted sheet = SpreadsheetTables.convert(path, bytes, problems);
                helper.addContent(sheet.drl(), org.kie.api.io.ResourceType.DRL);
                sheet.rules().forEach((name, origin) -> origins.put(sheet.packageName() + "." + name, origin));
                characteristics.addAll(sheet.characteristics());
            } else if (path.endsWith(".dmn")) {
                dmn.put(path, bytes);
            }
        });
        org.kie.api.KieBase kieBase = helper.build(org.drools.model.codegen.ExecutableModelProject.class);
        DmnCompiler.Compiled model = DmnCompiler.compile(dmn, problems);
        model.runtime().addListener(DroolsDecisionEngine.TRACE_LISTENER);
        return new DroolsCompiledRuleset(
                source.version(),
                new RuleBaseCompiler.RuleBase(
                        kieBase,
                        Map.copyOf(origins),
                        characteristics.stream().distinct().sorted().toList()),
                model,
                problems,
                10_000);
    }

    @Test
    void aBandMovedInTheSpreadsheetChangesTheScoreGradeLimitAndTerm() {
        // the analyst moves the 60-80 bureau band up to 75: a score of 70 now earns 10 points, not 25
        RulesetCopy copy = RulesetCopy.of(dir)
                .setScorecardCell(14, "40 to under 60", "E", 75)
                .setScorecardCell(15, "60 to under 80", "D", 75);

        Evaluation before = DefaultRuleset.evaluate(Applications.typical().build());
        Evaluation after = compile(copy).evaluate(Applications.typical().build(), DefaultRuleset.DECISION_TIME);

        assertThat(before.riskScore()).isEqualTo(70);
        assertThat(after.riskScore()).isEqualTo(55);
        assertThat(after.riskGrade()).isEqualTo("C");
        assertThat(after.creditLimit()).isEqualTo(new BigDecimal("150000"));
        assertThat(after.termDays()).isEqualTo(45);
        assertThat(DefaultRuleset.row(after, "Bureau score").row()).isEqualTo(14);
    }

    @Test
    void aCapChangedInTheDmnChangesTheLimit() {
        RulesetCopy copy = RulesetCopy.of(dir)
                .replace(
                        "decision-tables/credit-terms.dmn",
                        "<outputEntry id=\"_LimitCap_dt_r2_o1\"><text>400000</text>",
                        "<outputEntry id=\"_LimitCap_dt_r2_o1\"><text>300000</text>");

        Evaluation after = compile(copy).evaluate(Applications.typical().build(), DefaultRuleset.DECISION_TIME);

        assertThat(after.creditLimit()).isEqualTo(new BigDecimal("300000"));
        assertThat(after.availableCredit()).isEqualTo(new BigDecimal("250000"));
        assertThat(after.outcome()).isEqualTo(Outcome.APPROVED);
    }

    @Test
    void theVersionNamesTheFilesExactly() {
        RulesetCopy copy = RulesetCopy.of(dir);
        String original = RulesetFiles.readFolder(copy.root()).version();
        copy.replace("rules/knockouts.drl", "K1 Sanctions match", "K1 Sanctions list match");

        assertThat(original).isEqualTo(DefaultRuleset.compiled().version()).matches("sha256:[0-9a-f]{64}");
        assertThat(RulesetFiles.readFolder(copy.root()).version()).isNotEqualTo(original);
    }

    @Test
    void aRuleThatThrowsGivesTheSafeReferral() {
        // within the policy language: a constraint that divides by a difference that comes out zero at run time
        RulesetCopy copy = RulesetCopy.of(dir).write("rules/broken.drl", """
                package termsgate.broken;
                import io.termsgate.engine.facts.Customer;
                import io.termsgate.engine.facts.KnockoutFindings;
                global KnockoutFindings findings;
                rule "Divides by zero"
                when
                    Customer( paymentHistory.maxDaysPastDue / (paymentHistory.invoicesPaid - paymentHistory.invoicesPaid) > 1 )
                then
                    findings.decline("KO_NEVER");
                end
                """);

        Evaluation e = compile(copy).evaluate(Applications.typical().build(), DefaultRuleset.DECISION_TIME);

        assertSafeReferral(e, "the rules failed: ArithmeticException");
        assertThat(String.join("\n", e.trace().errors()))
                .doesNotContain("/ by zero")
                .contains("incident ");
    }

    @Test
    void aRuleThatRecursesUntilTheStackRunsOutGivesTheSafeReferralAndTheThreadGoesOn() {
        RulesetCopy copy = RulesetCopy.of(dir).write("rules/recursion.drl", """
                package termsgate.recursion;
                import io.termsgate.engine.facts.Customer;
                function int deeper(int depth) {
                    return deeper(depth + 1) + 1;
                }
                rule "Recurses forever"
                when
                    $c : Customer()
                then
                    deeper(0);
                end
                """);
        CompiledRuleset ruleset = compileOutsideThePolicyLanguage(copy);

        Evaluation first = ruleset.evaluate(Applications.typical().build(), DefaultRuleset.DECISION_TIME);
        Evaluation second = ruleset.evaluate(Applications.typical().build(), DefaultRuleset.DECISION_TIME);

        assertSafeReferral(first, "the rules failed: StackOverflowError in rule 'Recurses forever'");
        assertSafeReferral(second, "StackOverflowError");
        // the same thread decides on, with the ruleset that works
        assertThat(DefaultRuleset.evaluate(Applications.typical().build()).outcome())
                .isEqualTo(Outcome.APPROVED);
    }

    @Test
    void anErrorThrownByRuleCodeGivesTheSafeReferralWithoutItsMessage() {
        RulesetCopy copy = RulesetCopy.of(dir).write("rules/thrower.drl", """
                package termsgate.thrower;
                import io.termsgate.engine.facts.Customer;
                rule "Throws what it read"
                when
                    $c : Customer()
                then
                    throw new OutOfMemoryError("secret=" + $c.getId());
                end
                """);

        Evaluation e = compileOutsideThePolicyLanguage(copy)
                .evaluate(Applications.typical().build(), DefaultRuleset.DECISION_TIME);

        assertSafeReferral(e, "the rules failed: OutOfMemoryError in rule 'Throws what it read'");
        assertThat(String.join("\n", e.trace().errors())).doesNotContain("secret");
    }

    @Test
    void aRuleThatCouldFireForeverIsRefusedBeforeItRuns() {
        // update() is outside the policy language, so a rule cannot re-trigger itself; the engine's firing limit
        // stays as the net under that
        RulesetCopy copy = RulesetCopy.of(dir).write("rules/loop.drl", """
                package termsgate.loop;
                import io.termsgate.engine.facts.Customer;
                rule "Re-triggers itself"
                when
                    $c : Customer()
                then
                    update($c);
                end
                """);

        assertThatThrownBy(() -> compile(copy))
                .isInstanceOfSatisfying(
                        RulesetRejectedException.class,
                        e -> assertThat(e.problems()).anySatisfy(p -> {
                            assertThat(p.file()).isEqualTo("rules/loop.drl");
                            assertThat(p.location()).isEqualTo("line 7");
                            assertThat(p.message()).contains("update($c)");
                        }));
    }

    @Test
    void aDmnDecisionThatFailsGivesTheSafeReferral() {
        RulesetCopy copy = RulesetCopy.of(dir)
                .replace(
                        "decision-tables/credit-terms.dmn",
                        "floor(min(Customer.annualRevenue * Revenue Share, Limit Cap) / 1000) * 1000",
                        "floor(min(Customer.annualRevenue * Revenue Share, Limit Cap) / (Customer.outstandingBalance - 50000)) * 1000");

        assertSafeReferral(
                compile(copy).evaluate(Applications.typical().build(), DefaultRuleset.DECISION_TIME), "Assessed Limit");
    }

    @Test
    void aGapInTheScorecardGivesTheSafeReferralNotAZeroScore() {
        // delete the "60 to under 80" band: a bureau score of 70 matches no row
        RulesetCopy copy = RulesetCopy.of(dir)
                .setScorecardCell(15, "60 to under 80", "C", null)
                .setScorecardCell(15, "60 to under 80", "D", 81)
                .setScorecardCell(15, "60 to under 80", "E", 82);

        assertSafeReferral(
                compile(copy).evaluate(Applications.typical().build(), DefaultRuleset.DECISION_TIME),
                "no band of 'Bureau score' matched");
    }

    @Test
    void overlappingBandsGiveTheSafeReferral() {
        RulesetCopy copy = RulesetCopy.of(dir).setScorecardCell(14, "40 to under 60", "E", 71);

        assertSafeReferral(
                compile(copy).evaluate(Applications.typical().build(), DefaultRuleset.DECISION_TIME),
                "more than one band of 'Bureau score' matched (sheet rows [14, 15])");
    }

    @Test
    void aDmnThatApprovesADeclinedBuyerIsNotTrusted() {
        RulesetCopy copy = RulesetCopy.of(dir)
                .replace(
                        "decision-tables/credit-terms.dmn",
                        "<outputEntry id=\"_RiskRoute_dt_r1_o1\"><text>&quot;NONE&quot;</text>",
                        "<outputEntry id=\"_RiskRoute_dt_r1_o1\"><text>&quot;AUTO&quot;</text>");
        // a mistaken edit: the "a knock-out declined" row now routes automatically

        Evaluation e = compile(copy)
                .evaluate(Applications.typical().flags("SANCTIONS_MATCH").build(), DefaultRuleset.DECISION_TIME);

        assertThat(e.outcome()).isNotEqualTo(Outcome.APPROVED);
        assertThat(e.reasons()).containsExactly("ENGINE_ERROR");
    }

    private static void assertSafeReferral(Evaluation e, String errorMentions) {
        assertThat(e.outcome()).isEqualTo(Outcome.REFERRED);
        assertThat(e.approvalRoute()).isEqualTo(ApprovalRoute.CREDIT_ANALYST);
        assertThat(e.reasons()).containsExactly("ENGINE_ERROR");
        assertThat(e.creditLimit()).isZero();
        assertThat(e.availableCredit()).isZero();
        assertThat(e.termDays()).isZero();
        assertThat(e.engineError()).isTrue();
        assertThat(String.join("\n", e.trace().errors())).contains(errorMentions);
    }
}
