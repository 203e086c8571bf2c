package io.termsgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.termsgate.engine.ApprovalRoute;
import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.DecisionTrace;
import io.termsgate.engine.Evaluation;
import io.termsgate.engine.Outcome;
import io.termsgate.support.Applications;
import java.math.BigDecimal;
import java.util.ArrayList;
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
        String[] amounts = {
            "0",
            "0.00",
            "400000",
            "400000.00",
            "350000.5",
            "1E+3",
            "12345678901234567890.123",
            "-5",
            "1E+999",
            "1E+1000",
            "1E-1000"
        };
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

            Object directly = outcome(() -> CanonicalJson.resultFields(evaluation, currency));
            Object throughText = outcome(() -> CanonicalJson.resultFields(CanonicalJson.result(evaluation, currency)));
            assertThat(directly).as(evaluation.toString()).isEqualTo(throughText);
            if (!(directly instanceof java.util.Map<?, ?>)) {
                continue; // a number too long for the log's reader fails both ways
            }
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> direct = (java.util.Map<String, Object>) directly;
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> logged = (java.util.Map<String, Object>) throughText;
            assertThat(direct.keySet()).containsExactlyElementsOf(logged.keySet());
            direct.forEach((field, value) -> assertThat(value == null ? null : value.getClass())
                    .as(field)
                    .isEqualTo(
                            logged.get(field) == null ? null : logged.get(field).getClass()));
        }
    }

    /**
     * A backtest reads stored requests and results in one pass over their text; the tree reader is the oracle.
     * Canonical texts of random applications and results, and the same texts bent every way a text can be (names missing, null,
     * twice, unknown, in other number spellings, of another shape), read back identically both ways, or fail both ways.
     */
    @Test
    void storedTextsReadInOnePassExactlyAsTheTreeReadsThem() {
        java.util.Random random = new java.util.Random(1616);
        String[] decimals = {"0", "7.5", "7.50", "20000000", "1E+3", "50000.25", "-3", "123456789012345678901234.5"};
        String[] bends = {
            "null",
            "\"text\"",
            "12",
            "12.50",
            "1E+2",
            "true",
            "{}",
            "{\"a\":[1,{\"b\":null}]}",
            "[]",
            "[\"X\",2,null,[3]]",
            "99999999999",
            "-0.0",
            "\"\"",
            "1e99999999999",
            "[1e-99999999999]",
            "{\"deep\":[[1E+2]]}",
            "1" + "0".repeat(1000)
        };
        int compared = 0;
        for (int i = 0; i < 3_000; i++) {
            CreditApplication application = Applications.typical()
                    .id("T-" + random.nextInt(100))
                    .yearsInBusiness(decimals[random.nextInt(decimals.length)].replace("-", ""))
                    .annualRevenue(decimals[random.nextInt(decimals.length)].replace("-", ""))
                    .creditScore(random.nextBoolean() ? null : random.nextInt(101))
                    .invoicesPaid(random.nextInt(500))
                    .outstandingBalance(decimals[random.nextInt(decimals.length)].replace("-", ""))
                    .flags(random.nextBoolean() ? new String[] {} : new String[] {"FRAUD_ALERT", "COLLECTIONS"})
                    .orderId(random.nextBoolean() ? null : "O-" + random.nextInt(1000))
                    .requestedTermDays(new int[] {15, 30, 45, 60, 90}[random.nextInt(5)])
                    .build();
            String request = CanonicalJson.request(application);
            sameRequest(request);
            sameRequest(bend(request, random, bends));
            sameRequest(bend(bend(request, random, bends), random, bends));

            Evaluation evaluation = new Evaluation(
                    Outcome.values()[random.nextInt(Outcome.values().length)],
                    ApprovalRoute.values()[random.nextInt(ApprovalRoute.values().length)],
                    random.nextBoolean() ? null : random.nextInt(100),
                    random.nextBoolean() ? null : "B",
                    new BigDecimal(decimals[random.nextInt(decimals.length)]),
                    new BigDecimal(decimals[random.nextInt(decimals.length)]),
                    random.nextInt(90),
                    random.nextBoolean() ? List.of() : List.of("A_FIRST", "Z_LAST"),
                    new DecisionTrace(List.of(), List.of(), List.of(), java.util.Map.of(), List.of()));
            String result = CanonicalJson.result(evaluation, "EUR");
            sameResult(result);
            sameResult(bend(result, random, bends));
            sameResult(bend(bend(result, random, bends), random, bends));
            compared += 6;
        }
        for (String odd :
                List.of("[]", "\"x\"", "null", "{}", "{\"customer\":\"x\",\"order\":[1]}", "{\"outcome\":{}}")) {
            sameRequest(odd);
            sameResult(odd);
        }
        assertThat(compared).isEqualTo(18_000);
    }

    /** The text with one value (found after a name) replaced, dropped, given twice or given an unknown neighbour. */
    private static String bend(String json, java.util.Random random, String[] bends) {
        java.util.List<Integer> names = new ArrayList<>();
        for (int at = json.indexOf("\":"); at >= 0; at = json.indexOf("\":", at + 1)) {
            names.add(at + 2);
        }
        int value = names.get(random.nextInt(names.size()));
        int end = valueEnd(json, value);
        int nameStart = json.lastIndexOf('"', value - 3);
        String name = json.substring(nameStart, value - 1);
        String bend = bends[random.nextInt(bends.length)];
        switch (random.nextInt(4)) {
            case 0:
                return json.substring(0, value) + bend + json.substring(end);
            case 1: // the name given twice, the second time with another value
                return json.substring(0, end) + "," + name + ":" + bend + json.substring(end);
            case 2: // an unknown name beside it
                return json.substring(0, end) + ",\"unknown" + random.nextInt(3) + "\":" + bend + json.substring(end);
            default: // dropped
                String before = json.substring(0, nameStart);
                String after = json.substring(end);
                if (before.endsWith(",")) {
                    return before.substring(0, before.length() - 1) + after;
                }
                return after.startsWith(",") ? before + after.substring(1) : before + after;
        }
    }

    /** Where the JSON value starting at {@code start} ends. */
    private static int valueEnd(String json, int start) {
        int depth = 0;
        boolean inString = false;
        for (int at = start; at < json.length(); at++) {
            char c = json.charAt(at);
            if (inString) {
                if (c == '\\') {
                    at++;
                } else if (c == '"') {
                    inString = false;
                    if (depth == 0) {
                        return at + 1;
                    }
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    return at;
                }
                depth--;
                if (depth == 0) {
                    return at + 1;
                }
            } else if (c == ',' && depth == 0) {
                return at;
            }
        }
        return json.length();
    }

    private static void sameRequest(String json) {
        assertThat(outcome(() -> CanonicalJson.readRequest(json)))
                .as(json)
                .isEqualTo(outcome(() -> CanonicalJson.readRequestAsTree(json)));
    }

    private static void sameResult(String json) {
        Object fast = outcome(() -> CanonicalJson.resultFields(json));
        Object tree = outcome(() -> CanonicalJson.resultFieldsAsTree(json));
        assertThat(fast).as(json).isEqualTo(tree);
        if (fast instanceof java.util.Map<?, ?> fields) {
            fields.forEach((field, value) -> assertThat(value == null ? null : value.getClass())
                    .as(json + " " + field)
                    .isEqualTo(
                            ((java.util.Map<?, ?>) tree).get(field) == null
                                    ? null
                                    : ((java.util.Map<?, ?>) tree).get(field).getClass()));
        }
    }

    /** The value, or the kind of exception that was thrown instead. */
    private static Object outcome(java.util.function.Supplier<Object> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            return e.getClass();
        }
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
