package io.termsgate.engine.drools;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random DMN models for the differential test: one decision table of a random hit policy over inputs of every type
 * (number, string, boolean, date, days and time duration), one or two outputs, and a random literal expression over
 * the inputs and the table's result. Seeded: the same seed gives the same model.
 */
final class GeneratedDmnModels {

    static final String[] POLICIES = {
        "UNIQUE",
        "FIRST",
        "PRIORITY",
        "ANY",
        "COLLECT",
        "COLLECT:SUM",
        "COLLECT:MIN",
        "COLLECT:MAX",
        "COLLECT:COUNT",
        "RULE ORDER",
        "OUTPUT ORDER"
    };

    static final String[] INPUTS = {"n", "s", "b", "d", "t"};
    static final String[] TYPES = {"number", "string", "boolean", "date", "days and time duration"};

    private static final String[] NUMBER_TESTS = {
        "-",
        "< 5",
        "<= 5",
        "> 2.5",
        ">= 10",
        "5",
        "-3",
        "[1..5]",
        "(1..5)",
        "[0..10)",
        "(2.5..7]",
        "1, 2, 3",
        "null",
        "not(5)",
        "not(1, 2)",
        "> -1",
        "0.0",
        "10.00"
    };
    private static final String[] STRING_TESTS = {
        "-", "\"A\"", "\"A\",\"B\"", "not(\"C\")", "null", "< \"B\"", ">= \"C\"", "\"\"", "[\"A\"..\"C\"]"
    };
    private static final String[] BOOLEAN_TESTS = {"-", "true", "false", "null"};
    private static final String[] DATE_TESTS = {
        "-",
        "< date(\"2024-06-01\")",
        ">= date(\"2024-03-01\")",
        "[date(\"2024-01-01\")..date(\"2024-12-31\")]",
        "date(\"2024-03-15\")",
        "null"
    };
    private static final String[] DURATION_TESTS = {
        "-",
        "> duration(\"P1D\")",
        "<= duration(\"PT12H\")",
        "[duration(\"PT1H\")..duration(\"P2D\")]",
        "duration(\"PT0S\")",
        "null"
    };

    private static final String[] LITERALS = {
        "n * 2 + 1",
        "if b then n else -n",
        "string length(s)",
        "s + \"x\"",
        "d + t",
        "floor(n)",
        "abs(n)",
        "n > 3 and b",
        "count([n, 1, 2])",
        "sum([n, 1.5])",
        "upper case(s)",
        "decimal(n / 3, 2)",
        "n / 0",
        "if n = null then 0 else n",
        "substring(s, 1, 1)",
        "d > date(\"2024-05-01\")",
        "t * 2",
        "min([n, 4])",
        "n ** 2",
        "not(b)",
        "R",
        "if R = null then \"none\" else \"some\"",
        "[n, s, b]",
        "{a: n, b: s}.a",
        "round half up(n * 1.005, 2)",
        "modulo(n, 3)",
        "string(n)",
        "number(s, null, null)",
        "n in [1..3]",
        "day of year(d)",
        // the constructs compiled to plain Java (FeelSubset), each also against the interpreter
        "min(n, 4)",
        "max([n, 2.5, R])",
        "floor(n / 7) * 1000",
        "ceiling(n * 0.10)",
        "n - 2.50",
        "-n",
        "sum(n, 1.005, 2)",
        "count([s, n])",
        "if b and n > 2 then \"high\" else s",
        "s = \"A\" or not(b)",
        "concatenate([s], if b then [n] else [])",
        "list contains([s, \"B\"], \"A\")",
        "n != null and n <= 10",
        "if R = null then 0 else R",
        "s + \"-\" + s"
    };

    private final Random random;

    GeneratedDmnModels(long seed) {
        this.random = new Random(seed);
    }

    record Generated(String name, String xml, String policy) {}

    Generated next(int index) {
        String policy = POLICIES[index % POLICIES.length];
        String hit = policy.contains(":") ? policy.substring(0, policy.indexOf(':')) : policy;
        String aggregation = policy.contains(":") ? policy.substring(policy.indexOf(':') + 1) : null;
        boolean stringOutput = aggregation == null && random.nextBoolean();
        boolean twoOutputs = aggregation == null && random.nextInt(4) == 0;
        boolean ordered = hit.equals("PRIORITY") || hit.equals("OUTPUT ORDER");
        List<Integer> columns = new ArrayList<>();
        for (int i = 0; i < INPUTS.length; i++) {
            if (random.nextInt(3) > 0) {
                columns.add(i);
            }
        }
        if (columns.isEmpty()) {
            columns.add(random.nextInt(INPUTS.length));
        }
        String name = "generated" + index;
        StringBuilder x = new StringBuilder();
        x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<definitions xmlns=\"https://www.omg.org/spec/DMN/20230324/MODEL/\" id=\"_")
                .append(name)
                .append("\" name=\"")
                .append(name)
                .append("\" namespace=\"https://termsgate.io/dmn/")
                .append(name)
                .append("\">\n");
        for (int i = 0; i < INPUTS.length; i++) {
            x.append("  <inputData id=\"_in_")
                    .append(INPUTS[i])
                    .append("\" name=\"")
                    .append(INPUTS[i])
                    .append("\">")
                    .append("<variable id=\"_in_")
                    .append(INPUTS[i])
                    .append("_v\" name=\"")
                    .append(INPUTS[i])
                    .append("\" typeRef=\"")
                    .append(TYPES[i])
                    .append("\"/></inputData>\n");
        }
        boolean listResult = (hit.equals("COLLECT") && aggregation == null)
                || hit.equals("RULE ORDER")
                || hit.equals("OUTPUT ORDER");
        String tableType = twoOutputs || listResult ? "" : " typeRef=\"" + (stringOutput ? "string" : "number") + "\"";
        x.append("  <decision id=\"_R\" name=\"R\"><variable id=\"_R_v\" name=\"R\"")
                .append(tableType)
                .append("/>\n");
        for (int i : columns) {
            x.append("    <informationRequirement id=\"_R_ir")
                    .append(i)
                    .append("\"><requiredInput href=\"#_in_")
                    .append(INPUTS[i])
                    .append("\"/></informationRequirement>\n");
        }
        x.append("    <decisionTable id=\"_R_dt\" hitPolicy=\"").append(hit).append("\"");
        if (aggregation != null) {
            x.append(" aggregation=\"").append(aggregation).append("\"");
        }
        x.append(">\n");
        for (int i : columns) {
            x.append("      <input id=\"_R_i")
                    .append(i)
                    .append("\"><inputExpression id=\"_R_ie")
                    .append(i)
                    .append("\" typeRef=\"")
                    .append(TYPES[i])
                    .append("\"><text>")
                    .append(INPUTS[i])
                    .append("</text></inputExpression></input>\n");
        }
        String[] stringValues = {"\"HIGH\"", "\"MID\"", "\"LOW\""};
        String[] numberValues = {"3", "2", "1.50", "0", "-2"};
        x.append("      <output id=\"_R_o1\"")
                .append(twoOutputs ? " name=\"o1\" typeRef=\"number\"" : "")
                .append(">");
        if (ordered || random.nextInt(3) == 0) {
            x.append("<outputValues><text>")
                    .append(escape(String.join(",", stringOutput && !twoOutputs ? stringValues : numberValues)))
                    .append("</text></outputValues>");
        }
        x.append("</output>\n");
        if (twoOutputs) {
            x.append("      <output id=\"_R_o2\" name=\"o2\" typeRef=\"string\">");
            if (ordered) {
                x.append("<outputValues><text>")
                        .append(escape(String.join(",", stringValues)))
                        .append("</text></outputValues>");
            }
            x.append("</output>\n");
        }
        int rules = 2 + random.nextInt(7);
        for (int r = 0; r < rules; r++) {
            x.append("      <rule id=\"_R_r").append(r).append("\">");
            for (int i : columns) {
                x.append("<inputEntry><text>").append(escape(test(i))).append("</text></inputEntry>");
            }
            if (twoOutputs) {
                x.append("<outputEntry><text>").append(escape(numberOutput())).append("</text></outputEntry>");
                x.append("<outputEntry><text>")
                        .append(escape(stringValues[random.nextInt(3)]))
                        .append("</text></outputEntry>");
            } else {
                x.append("<outputEntry><text>")
                        .append(escape(stringOutput ? stringValues[random.nextInt(3)] : numberOutput()))
                        .append("</text></outputEntry>");
            }
            x.append("</rule>\n");
        }
        x.append("    </decisionTable>\n  </decision>\n");
        x.append("  <decision id=\"_L\" name=\"L\"><variable id=\"_L_v\" name=\"L\"/>\n");
        for (String input : INPUTS) {
            x.append("    <informationRequirement><requiredInput href=\"#_in_")
                    .append(input)
                    .append("\"/></informationRequirement>\n");
        }
        x.append("    <informationRequirement><requiredDecision href=\"#_R\"/></informationRequirement>\n");
        x.append("    <literalExpression id=\"_L_le\"><text>")
                .append(escape(LITERALS[random.nextInt(LITERALS.length)]))
                .append("</text></literalExpression>\n  </decision>\n</definitions>\n");
        return new Generated(name, x.toString(), policy);
    }

    private String numberOutput() {
        return switch (random.nextInt(6)) {
            case 0 -> "n + 1";
            case 1 -> "1.50";
            case 2 -> "-2";
            case 3 -> "0";
            case 4 -> "2";
            default -> "3";
        };
    }

    private String test(int input) {
        String[] tests = switch (input) {
            case 0 -> NUMBER_TESTS;
            case 1 -> STRING_TESTS;
            case 2 -> BOOLEAN_TESTS;
            case 3 -> DATE_TESTS;
            default -> DURATION_TESTS;
        };
        // one cell in three is '-', so rules overlap and gaps stay common but not universal
        return random.nextInt(3) == 0 ? "-" : tests[random.nextInt(tests.length)];
    }

    /** Inputs for a generated model: values of each type near the tests' literals, nulls and wrong types. */
    Map<String, Object> inputs() {
        Map<String, Object> inputs = new LinkedHashMap<>();
        boolean dirty = random.nextInt(5) == 0;
        for (int i = 0; i < INPUTS.length; i++) {
            Object value;
            int roll = dirty ? random.nextInt(10) : 10;
            if (roll < 3) {
                value = null;
            } else if (roll < 5) {
                value = i == 1 ? BigDecimal.ONE : "wrong";
            } else {
                value = switch (i) {
                    case 0 ->
                        new BigDecimal(new String[] {
                                    "-3", "0", "1", "2", "2.5", "3", "5", "5.0", "7", "10", "10.00", "11", "0.1"
                                }
                                [random.nextInt(13)]);
                    case 1 -> new String[] {"A", "B", "C", "D", "", "HIGH"}[random.nextInt(6)];
                    case 2 -> random.nextBoolean();
                    case 3 -> LocalDate.of(2023, 12, 1).plusDays(random.nextInt(420));
                    default -> Duration.ofHours(random.nextInt(60));
                };
            }
            inputs.put(INPUTS[i], value);
        }
        return inputs;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
