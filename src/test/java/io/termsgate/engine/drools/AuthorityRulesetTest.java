package io.termsgate.engine.drools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.RulesetRejectedException;
import io.termsgate.ruleset.RulesetFiles;
import io.termsgate.support.Applications;
import io.termsgate.support.DefaultRuleset;
import io.termsgate.support.RulesetCopy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delegated-authority table is part of the ruleset's contract: a ruleset without it, with one of its decisions
 * renamed, or with a level it cannot answer for is refused at compile time, naming the file and the element, before
 * any referral relies on it.
 */
class AuthorityRulesetTest {

    static final String FILE = "decision-tables/authority.dmn";

    @TempDir
    Path dir;

    /**
     * May Approve is a first-hit table with a catch-all row, which the table analysis always remarks on (and so cannot
     * look for gaps in the grade column); docs/authority.md tells analysts to expect these three warnings and no
     * others.
     */
    @Test
    void theDefaultTableCompilesWithOnlyTheWarningsOfAFirstHitTable() {
        assertThat(DefaultRuleset.compiled().warnings().stream()
                        .filter(p -> p.file().equals(FILE))
                        .filter(p -> p.severity() != RulesetProblem.Severity.INFO)
                        .toList())
                .hasSize(3)
                .allSatisfy(p -> {
                    assertThat(p.location()).isEqualTo("decision 'May Approve', decision table");
                    assertThat(p.message())
                            .containsAnyOf("Hit Policy Recommender", "First Normal Form", "Gap analysis skipped");
                });
    }

    @Test
    void aRulesetWithoutTheAuthorityTableIsRefusedNamingIt() {
        RulesetCopy copy = RulesetCopy.of(dir).delete(FILE);

        assertThat(rejected(copy)).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo(FILE);
            assertThat(p.message()).contains("May Approve", "Approvers Needed", "Due Business Hours");
        });
    }

    @Test
    void aRenamedDecisionIsRefusedNamingTheFileAndTheDecision() {
        // renamed the way the editor renames: the decision and its variable
        RulesetCopy copy = RulesetCopy.of(dir)
                .replace(FILE, "name=\"Due Business Hours\">", "name=\"Deadline Hours\">")
                .replace(FILE, "name=\"Due Business Hours\" typeRef", "name=\"Deadline Hours\" typeRef");

        assertThat(rejected(copy)).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo(FILE);
            assertThat(p.location()).isEqualTo("model 'authority'");
            assertThat(p.message()).contains("no decision named 'Due Business Hours'", "Deadline Hours");
        });
    }

    @Test
    void allDecisionsRenamedIsRefusedNamingTheFile() {
        RulesetCopy copy = RulesetCopy.of(dir);
        for (String name : List.of("May Approve", "Approvers Needed", "Due Business Hours")) {
            copy.replace(FILE, "name=\"" + name + "\">", "name=\"" + name + " v2\">")
                    .replace(FILE, "name=\"" + name + "\" typeRef", "name=\"" + name + " v2\" typeRef");
        }

        assertThat(rejected(copy)).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo(FILE);
            assertThat(p.message()).contains("no DMN model decides May Approve");
        });
    }

    @Test
    void anInputTheServiceDoesNotProvideIsRefusedNamingIt() {
        RulesetCopy copy = RulesetCopy.of(dir)
                .replace(FILE, "name=\"Over Limit Share\">", "name=\"Overage Share\">")
                .replace(FILE, "name=\"Over Limit Share\" typeRef", "name=\"Overage Share\" typeRef")
                .replace(
                        FILE,
                        "typeRef=\"number\"><text>Over Limit Share</text>",
                        "typeRef=\"number\"><text>Overage Share</text>");

        assertThat(rejected(copy)).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo(FILE);
            assertThat(p.location()).isEqualTo("input data 'Overage Share'");
        });
    }

    @Test
    void aLevelWithoutADeadlineIsRefused() {
        RulesetCopy copy = RulesetCopy.of(dir)
                .replace(
                        FILE,
                        "<outputEntry id=\"_DueBusinessHours_dt_r2_o1\"><text>8</text>",
                        "<outputEntry id=\"_DueBusinessHours_dt_r2_o1\"><text>null</text>");

        assertThat(rejected(copy)).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo(FILE);
            assertThat(p.message()).contains("CREDIT_MANAGER", "Due Business Hours");
        });
    }

    @Test
    void anEmptiedDeadlineCellIsRefused() {
        RulesetCopy copy = RulesetCopy.of(dir)
                .replace(
                        FILE,
                        "<outputEntry id=\"_DueBusinessHours_dt_r3_o1\"><text>16</text>",
                        "<outputEntry id=\"_DueBusinessHours_dt_r3_o1\"><text></text>");

        assertThat(rejected(copy)).anySatisfy(p -> assertThat(p.file()).isEqualTo(FILE));
    }

    @Test
    void aDeadlineOfZeroHoursIsRefused() {
        RulesetCopy copy = RulesetCopy.of(dir)
                .replace(
                        FILE,
                        "<outputEntry id=\"_DueBusinessHours_dt_r1_o1\"><text>4</text>",
                        "<outputEntry id=\"_DueBusinessHours_dt_r1_o1\"><text>0</text>");

        assertThat(rejected(copy)).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo(FILE);
            assertThat(p.message()).contains("CREDIT_ANALYST", "at least 1");
        });
    }

    @Test
    void aLevelTheTableNoLongerListsIsRefused() {
        // the CFO row of Due Business Hours now answers nobody: the CFO gets no deadline
        RulesetCopy copy = RulesetCopy.of(dir)
                .replace(
                        FILE,
                        "<inputEntry id=\"_DueBusinessHours_dt_r3_i1\"><text>&quot;CFO&quot;</text>",
                        "<inputEntry id=\"_DueBusinessHours_dt_r3_i1\"><text>&quot;CREDIT_MANAGER&quot;</text>");

        assertThat(rejected(copy)).anySatisfy(p -> assertThat(p.file()).isEqualTo(FILE));
    }

    @Test
    void javaCodeInTheAuthorityTableIsRefusedLikeAnywhereElse() {
        RulesetCopy copy = RulesetCopy.of(dir)
                .replace(
                        FILE,
                        "<outputEntry id=\"_DueBusinessHours_dt_r3_o1\"><text>16</text>",
                        "<outputEntry id=\"_DueBusinessHours_dt_r3_o1\"><text>(function(x) external {java: {class: "
                                + "&quot;java.lang.System&quot;, method signature: &quot;exit(int)&quot;}})(0)"
                                + "</text>");

        assertThat(rejected(copy)).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo(FILE);
            assertThat(p.message()).contains("external");
        });
    }

    @Test
    void aVersionStoredBeforeTheAuthorityTableStillCompilesAndDecidesButApprovesNoReferral() {
        RulesetCopy copy = RulesetCopy.of(dir).delete(FILE);

        var compiled = DefaultRuleset.engine().compile(RulesetFiles.readFolder(copy.root()));

        var withoutTable = compiled.evaluate(Applications.typical().build(), DefaultRuleset.DECISION_TIME);
        var withTable =
                DefaultRuleset.compiled().evaluate(Applications.typical().build(), DefaultRuleset.DECISION_TIME);
        assertThat(withoutTable.outcome()).isEqualTo(withTable.outcome());
        assertThat(withoutTable.creditLimit()).isEqualTo(withTable.creditLimit());
        assertThat(withoutTable.termDays()).isEqualTo(withTable.termDays());
        assertThat(withoutTable.reasons()).isEqualTo(withTable.reasons());
        var answer = compiled.authority(new io.termsgate.engine.AuthorityQuestion(
                io.termsgate.engine.ApprovalRoute.CFO,
                new java.math.BigDecimal("1000"),
                "A",
                java.math.BigDecimal.ZERO,
                30,
                java.math.BigDecimal.ZERO));
        assertThat(answer.mayApprove()).isFalse();
        assertThat(answer.error()).contains("no delegated-authority table");
    }

    /** A candidate's way in: the language check (which requires the table), then the compile. */
    private static List<RulesetProblem> rejected(RulesetCopy copy) {
        var source = RulesetFiles.readFolder(copy.root());
        List<RulesetProblem> refused = DefaultRuleset.engine().checkLanguage(source).stream()
                .filter(RulesetProblem::isError)
                .toList();
        if (!refused.isEmpty()) {
            return refused;
        }
        try {
            DefaultRuleset.engine().compile(source);
        } catch (RulesetRejectedException e) {
            return e.problems();
        }
        return fail("the ruleset was accepted");
    }
}
