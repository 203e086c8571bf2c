package io.termsgate.engine.drools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.RulesetRejectedException;
import io.termsgate.ruleset.RulesetFiles;
import io.termsgate.support.DefaultRuleset;
import io.termsgate.support.RulesetCopy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of hostile rule files, as an attacker holding an analyst's or rule author's key would write them. Each is
 * refused before anything is compiled or run, with its file and line (or sheet and cell, or DMN element); none of
 * them writes the marker file it aims at. The legitimate ruleset and its edits stay accepted.
 */
class PolicyLanguageTest {

    @TempDir
    static Path shared;

    private static Path marker;

    @TempDir
    Path dir;

    @BeforeAll
    static void target() {
        marker = shared.resolve("pwned.txt");
    }

    private static final String HEADER = """
            package termsgate.hostile;
            import io.termsgate.engine.facts.Customer;
            import io.termsgate.engine.facts.KnockoutFindings;
            global KnockoutFindings findings;
            """;

    /** A rule whose consequence is {@code then}; line 8 of the file. */
    private static String rule(String then) {
        return HEADER + """
                rule "Hostile"
                when
                    Customer()
                then
                """ + "    " + then + "\nend\n";
    }

    /** A rule whose condition is {@code when}; line 7 of the file. */
    private static String condition(String when) {
        return HEADER + "rule \"Hostile\"\nwhen\n    " + when + "\nthen\n    findings.decline(\"KO_X\");\nend\n";
    }

    static Stream<Arguments> hostileDrl() {
        String file = "\"" + "MARKER" + "\"";
        return Stream.of(
                Arguments.of(
                        "file write",
                        rule("java.nio.file.Files.writeString(java.nio.file.Path.of(" + file + "), \"x\");"),
                        "line 9",
                        "method call"),
                Arguments.of("System.exit", rule("System.exit(9);"), "line 9", "System.exit"),
                Arguments.of(
                        "Runtime.exec",
                        rule("Runtime.getRuntime().exec(\"touch \" + " + file + ");"),
                        "line 9",
                        "not allowed"),
                Arguments.of(
                        "reflection",
                        rule("Class.forName(\"java.lang.Runtime\").getMethod(\"exit\", int.class)"
                                + ".invoke(null, 9);"),
                        "line 9",
                        "not allowed"),
                Arguments.of("thread", rule("new Thread(() -> System.exit(9)).start();"), "line 9", "not allowed"),
                Arguments.of(
                        "environment in a throw",
                        rule("throw new RuntimeException(System.getenv().toString());"),
                        "line 9",
                        "not allowed"),
                Arguments.of(
                        "local variable and loop",
                        rule("for (int i = 0; i < 10; i++) { findings.decline(\"A\"); }"),
                        "line 9",
                        "not allowed"),
                Arguments.of(
                        "new object as argument",
                        rule("findings.decline(new String(\"x\"));"),
                        "line 9",
                        "must be a literal"),
                Arguments.of(
                        "static call as argument",
                        rule("findings.decline(System.getenv(\"TERMSGATE_DB_PASSWORD\"));"),
                        "line 9",
                        "must be a literal"),
                Arguments.of("call on a fact", rule("$c.toString();"), "line 9", "not allowed"),
                Arguments.of("modify / update", rule("update($c);"), "line 9", "not allowed"),
                Arguments.of("drools helper", rule("drools.halt();"), "line 9", "not allowed"),
                Arguments.of(
                        "function block",
                        HEADER + "function void boom() { System.exit(9); }\n",
                        "line 5",
                        "function boom"),
                Arguments.of(
                        "import of a JDK class",
                        "package p;\nimport java.lang.Runtime;\n",
                        "line 2",
                        "import java.lang.Runtime"),
                Arguments.of(
                        "import static",
                        "package p;\nimport static java.lang.System.exit;\n",
                        "line 2",
                        "import function"),
                Arguments.of(
                        "foreign global",
                        "package p;\nimport java.util.List;\nglobal java.util.List list;\n",
                        "line 2",
                        "not allowed"),
                Arguments.of("declare", HEADER + "declare Evil\n  name : String\nend\n", "line 5", "declare Evil"),
                Arguments.of("query", HEADER + "query \"q\"\n  Customer()\nend\n", "line 5", "query"),
                Arguments.of("eval with a call", condition("eval(System.exit(9) == null)"), "line 7", "eval"),
                Arguments.of(
                        "method call in a constraint",
                        condition("Customer( country.toString() == \"DE\" )"),
                        "line 7",
                        "method call"),
                Arguments.of(
                        "static field chain in a constraint",
                        condition("Customer( System.out == null )"),
                        "line 7",
                        "System"),
                Arguments.of(
                        "assignment in a constraint",
                        condition("Customer( creditScore = 5 )"),
                        "line 7",
                        "mismatched input '='"),
                Arguments.of("from with a call", condition("Customer() from java.util.List.of()"), "line 7", "from"),
                Arguments.of(
                        "accumulate", condition("Number() from accumulate(Customer(), count(1))"), "line 7", "not"),
                Arguments.of("foreign fact type", condition("java.io.File()"), "line 7", "not a fact"),
                Arguments.of(
                        "dynamic salience",
                        HEADER + "rule \"S\" salience (System.exit(9))\nwhen\n  Customer()\n"
                                + "then\n  findings.decline(\"A\");\nend\n",
                        "line 5",
                        "salience"),
                Arguments.of(
                        "mvel dialect",
                        HEADER + "rule \"M\" dialect \"mvel\"\nwhen\n  Customer()\nthen\n"
                                + "  findings.decline(\"A\");\nend\n",
                        "line 5",
                        "dialect"),
                Arguments.of(
                        "unicode escape out of a string",
                        rule("findings.decline(\"A\\u0022); System.exit(9); //\");"),
                        "line 9",
                        "Unicode escape"),
                Arguments.of(
                        "rule name that closes a string",
                        HEADER + "rule \"A\\\"); System.exit(9); //\"\nwhen\n"
                                + "  Customer()\nthen\n  findings.decline(\"A\");\nend\n",
                        "line 5",
                        "rule name"),
                Arguments.of(
                        "timer attribute",
                        HEADER + "rule \"T\" timer (int: 1s)\nwhen\n  Customer()\nthen\n"
                                + "  findings.decline(\"A\");\nend\n",
                        "line 5",
                        "timer"),
                // found by an attacker's review: the compiler rewrites 'a := b' as text, strings or not
                Arguments.of(
                        "unification hidden in a string",
                        condition(
                                "Customer( country == \":=country.concat("
                                        + "String.valueOf(new java.io.File(new String(new char[]{'/','t','m','p'})).mkdir())) == \" )"),
                        "line 7",
                        "unification"),
                Arguments.of("positional constraint", condition("Customer( \"DE\"; )"), "line 7", "positional"),
                Arguments.of(
                        "@watch on a pattern",
                        condition("Customer( creditScore > 1 ) @watch( creditScore )"),
                        "line 7",
                        "annotations on a pattern"),
                Arguments.of(
                        "exponentially slow nesting",
                        condition("Customer( " + "(".repeat(20) + "creditScore" + " + 1)".repeat(20) + " > 1 )"),
                        "line 7",
                        "nested"),
                Arguments.of("modify in a comment", rule("findings.decline(\"A\"); // modify"), "line 9", "modify"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileDrl")
    void aHostileRuleFileIsRefusedWithItsLineBeforeAnythingRuns(String name, String drl, String line, String says)
            throws Exception {
        RulesetCopy copy = RulesetCopy.of(dir)
                .write(
                        "rules/hostile.drl",
                        drl.replace("MARKER", marker.toString().replace("\\", "/")));

        List<RulesetProblem> problems = rejected(copy);

        assertThat(problems).as(name).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo("rules/hostile.drl");
            assertThat(p.location()).isEqualTo(line);
            assertThat(p.message()).containsIgnoringCase(says);
        });
        assertThat(problems).allSatisfy(p -> assertThat(p.message()).doesNotContain("\tat ", "Exception:"));
        assertThat(Files.exists(marker)).as("nothing was written").isFalse();
    }

    @Test
    void aSpreadsheetCellThatClosesTheTemplateIsRefusedWithItsCell() {
        // Points column of 'Bureau score', template scorecard.award("Bureau score", $param);
        RulesetCopy copy =
                RulesetCopy.of(dir).setScorecardCell(15, "60 to under 80", "F", "25); scorecard.grade(\"A\"");

        assertThat(rejected(copy)).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo("decision-tables/risk-scorecard.xlsx");
            assertThat(p.location()).isEqualTo("sheet 'Scorecard', cell F15 (table 'Bureau score')");
        });
    }

    @Test
    void aQuoteInAQuotedCellIsRefusedWithItsCell() {
        // Grade column, template scorecard.grade("$param");
        RulesetCopy copy = RulesetCopy.of(dir).setScorecardCell(63, "65 to 79", "E", "B\"); System.exit(9); //");

        assertThat(rejected(copy)).anySatisfy(p -> {
            assertThat(p.location()).isEqualTo("sheet 'Scorecard', cell E63 (table 'Risk grade')");
            assertThat(p.message()).contains("quotes");
        });
    }

    @Test
    void aFormulaWhoseValueHoldsAQuoteIsRefusedWithItsCell() throws Exception {
        // found by trying it over HTTP: the cell is judged by the value the spreadsheet compiler computes
        RulesetCopy copy = RulesetCopy.of(dir);
        Path xlsx = copy.file("decision-tables/risk-scorecard.xlsx");
        try (var in = Files.newInputStream(xlsx);
                var workbook = org.apache.poi.ss.usermodel.WorkbookFactory.create(in)) {
            workbook.getSheet("Scorecard").getRow(62).getCell(4).setCellFormula("\"B\"&\"\"\"); System.exit(9); //\"");
            try (var out = Files.newOutputStream(xlsx)) {
                workbook.write(out);
            }
        }

        assertThat(rejected(copy)).anySatisfy(p -> {
            assertThat(p.location()).isEqualTo("sheet 'Scorecard', cell E63 (table 'Risk grade')");
            assertThat(p.message()).contains("quotes");
        });
    }

    @Test
    void aTemplateRowThatCallsJavaIsRefusedAtItsCell() {
        // the grey template row of 'Bureau score' points
        RulesetCopy copy = RulesetCopy.of(dir)
                .setScorecardCell(
                        10, "band(\"$param\")", "F", "scorecard.award(\"Bureau score\", $param); System.exit(9);");

        assertThat(rejected(copy)).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo("decision-tables/risk-scorecard.xlsx");
            assertThat(p.location()).startsWith("sheet 'Scorecard', ");
            assertThat(p.location()).contains("row 1");
            assertThat(p.message()).contains("System.exit");
        });
    }

    @Test
    void aFunctionsKeywordInTheWorkbookIsRefusedWithItsCell() {
        RulesetCopy copy = RulesetCopy.of(dir)
                .setScorecardCell(4, "IgnoreNumericFormat", "B", "Functions")
                .setScorecardCell(4, "Functions", "C", "function void boom() { System.exit(9); }");

        assertThat(rejected(copy)).anySatisfy(p -> {
            assertThat(p.location()).isEqualTo("sheet 'Scorecard', cell B4");
            assertThat(p.message()).contains("Functions");
        });
    }

    static Stream<Arguments> hostileDmn() {
        return Stream.of(
                Arguments.of(
                        "FEEL external Java function",
                        "floor(min(Customer.annualRevenue * Revenue Share, Limit Cap) / 1000) * 1000",
                        "function(x) external {java: {class: \"java.lang.System\", method signature: \"exit(int)\"}}(9)",
                        "external"),
                Arguments.of(
                        "unbounded iteration",
                        "floor(min(Customer.annualRevenue * Revenue Share, Limit Cap) / 1000) * 1000",
                        "count(for i in 1..2000000000 return i)",
                        "iteration over 2000000000"),
                Arguments.of(
                        "iteration to a computed bound",
                        "floor(min(Customer.annualRevenue * Revenue Share, Limit Cap) / 1000) * 1000",
                        "count(for i in 1..Customer.annualRevenue return i)",
                        "computed bound"),
                Arguments.of(
                        "unbounded iteration in brackets",
                        "floor(min(Customer.annualRevenue * Revenue Share, Limit Cap) / 1000) * 1000",
                        "count(for i in [1..2000000000] return i)",
                        "iteration over 2000000000"),
                Arguments.of(
                        "the Java object behind a value",
                        "floor(min(Customer.annualRevenue * Revenue Share, Limit Cap) / 1000) * 1000",
                        "Customer.class.classLoader",
                        ".class"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileDmn")
    void aHostileDmnExpressionIsRefusedWithItsDecision(String name, String text, String replacement, String says) {
        RulesetCopy copy = RulesetCopy.of(dir).replace("decision-tables/credit-terms.dmn", text, replacement);

        assertThat(rejected(copy)).as(name).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo("decision-tables/credit-terms.dmn");
            assertThat(p.location()).startsWith("decision 'Assessed Limit'");
            assertThat(p.message()).contains(says);
        });
    }

    @Test
    void aJavaFunctionDefinitionAndAForeignImportAreRefused() {
        RulesetCopy copy = RulesetCopy.of(dir)
                .replace(
                        "decision-tables/credit-terms.dmn",
                        "  <description>termsgate default credit policy v1, steps 3-5</description>\n",
                        "  <description>termsgate default credit policy v1, steps 3-5</description>\n"
                                + "  <import namespace=\"https://evil.example/model\" locationURI=\"https://evil.example/m.dmn\""
                                + " importType=\"https://www.omg.org/spec/DMN/20230324/MODEL/\" name=\"evil\"/>\n"
                                + "  <businessKnowledgeModel id=\"_Exit\" name=\"Exit\">\n"
                                + "    <variable id=\"_Exit_var\" name=\"Exit\"/>\n"
                                + "    <encapsulatedLogic kind=\"Java\" id=\"_Exit_fd\">\n"
                                + "      <context><contextEntry><variable name=\"class\"/><literalExpression><text>"
                                + "\"java.lang.System\"</text></literalExpression></contextEntry></context>\n"
                                + "    </encapsulatedLogic>\n"
                                + "  </businessKnowledgeModel>\n");

        List<RulesetProblem> problems = rejected(copy);

        assertThat(problems).anySatisfy(p -> {
            assertThat(p.location()).isEqualTo("business knowledge model 'Exit'");
            assertThat(p.message()).contains("kind Java");
        });
        assertThat(problems).anySatisfy(p -> assertThat(p.message()).contains("https://evil.example/model"));
    }

    @Test
    void aJavaFunctionKindUnderAnotherNamespacePrefixIsRefused() {
        RulesetCopy copy = RulesetCopy.of(dir)
                .replace(
                        "decision-tables/credit-terms.dmn",
                        "  <description>termsgate default credit policy v1, steps 3-5</description>\n",
                        "  <description>termsgate default credit policy v1, steps 3-5</description>\n"
                                + "  <businessKnowledgeModel id=\"_Tmp\" name=\"Tmp\">\n"
                                + "    <variable id=\"_Tmp_var\" name=\"Tmp\"/>\n"
                                + "    <encapsulatedLogic xmlns:x=\"urn:x\" x:kind=\"Java\" id=\"_Tmp_fd\">\n"
                                + "      <context><contextEntry><variable name=\"class\"/><literalExpression><text>"
                                + "\"java.io.File\"</text></literalExpression></contextEntry>"
                                + "<contextEntry><variable name=\"method signature\"/><literalExpression><text>"
                                + "\"createTempFile(java.lang.String, java.lang.String)\"</text></literalExpression>"
                                + "</contextEntry></context>\n"
                                + "    </encapsulatedLogic>\n"
                                + "  </businessKnowledgeModel>\n");

        assertThat(rejected(copy))
                .anySatisfy(p -> {
                    assertThat(p.location()).startsWith("business knowledge model 'Tmp'");
                    assertThat(p.message()).contains("Java");
                })
                .allSatisfy(p -> assertThat(p.file()).isEqualTo("decision-tables/credit-terms.dmn"));
    }

    @Test
    void aSpreadsheetCellWithAHiddenUnificationIsRefused() {
        // a template that quotes its value, and a cell that the compiler would turn inside out
        RulesetCopy copy = RulesetCopy.of(dir)
                .setScorecardCell(54, "construction or hospitality", "C", ":=industry.concat(String.valueOf(1)) ==");

        assertThat(rejected(copy)).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo("decision-tables/risk-scorecard.xlsx");
            assertThat(p.location()).contains("row 54");
            assertThat(p.message()).contains("unification");
        });
    }

    @Test
    void aRecursiveContextFunctionIsRefused() {
        RulesetCopy copy = RulesetCopy.of(dir)
                .replace(
                        "decision-tables/credit-terms.dmn",
                        "<literalExpression id=\"_AssessedLimit_le\" typeRef=\"number\">\n"
                                + "      <text>floor(min(Customer.annualRevenue * Revenue Share, Limit Cap) / 1000) * 1000</text>\n"
                                + "    </literalExpression>",
                        "<context id=\"_AssessedLimit_ctx\">\n"
                                + "      <contextEntry><variable name=\"f\"/><literalExpression><text>function(n) f(n + 1)"
                                + "</text></literalExpression></contextEntry>\n"
                                + "      <contextEntry><literalExpression><text>f(1)</text></literalExpression></contextEntry>\n"
                                + "    </context>");

        assertThat(rejected(copy)).anySatisfy(p -> {
            assertThat(p.location()).startsWith("decision 'Assessed Limit'");
            assertThat(p.message()).contains("calls itself");
        });
    }

    @Test
    void theDefaultRulesetAndALegitimateEditStayWithinTheLanguage() {
        RulesetCopy copy = RulesetCopy.of(dir)
                .setScorecardCell(15, "60 to under 80", "F", 30)
                .setScorecardCell(54, "construction or hospitality", "C", "CONSTRUCTION, HOSPITALITY, MINING")
                .setScorecardCell(55, "any other industry", "D", "CONSTRUCTION, HOSPITALITY, MINING")
                .withoutScenarios();

        assertThat(DefaultRuleset.engine()
                        .compile(RulesetFiles.readFolder(copy.root()))
                        .version())
                .startsWith("sha256:");
    }

    private static List<RulesetProblem> rejected(RulesetCopy copy) {
        try {
            DefaultRuleset.engine().compile(RulesetFiles.readFolder(copy.root()));
        } catch (RulesetRejectedException e) {
            return e.problems();
        }
        return fail("the ruleset was accepted");
    }
}
