package io.termsgate.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * What shadow tests share: the candidate an analyst would upload to raise the grade-B cap from 400,000 to 500,000
 * (the real DMN file with its cap cell edited, and the scenarios it changes updated by hand, as the analyst does), and
 * live requests of every grade.
 */
final class ShadowFixtures {

    static final String ANALYST = "demo-analyst";
    static final String CHECKOUT = "demo-checkout";
    static final String AUDITOR = "demo-auditor";
    static final String CREDIT_TERMS = "decision-tables/credit-terms.dmn";
    static final String EXAMPLES = "decision-tables/scenarios/policy-examples.csv";
    static final String CREDIT_LINES = "decision-tables/scenarios/credit-lines.csv";
    static final String CAP_CELL = "<outputEntry id=\"_LimitCap_dt_r2_o1\"><text>";

    private ShadowFixtures() {}

    static String liveVersion(Http http) {
        return http.get("/api/v1/rulesets/active", ANALYST)
                .json()
                .get("version")
                .asText();
    }

    /** Uploads the live files with the grade-B cap at {@code cap} and the scenarios that changes; the candidate. */
    static String gradeBCapCandidate(Http http, String live) {
        String dmn = text(http, live, CREDIT_TERMS);
        assertThat(dmn).contains(CAP_CELL + "400000</text>");
        String examples = text(http, live, EXAMPLES);
        String creditLines = text(http, live, CREDIT_LINES);
        // every grade-B worked example earns more than the cap at 7.5 % of revenue: its limit and what is available
        // both rise by 100,000 (what is available stays 0 where the balance is above the limit)
        examples = examples.replace(",B,400000,350000,", ",B,500000,450000,")
                .replace(",B,400000,387654.33,", ",B,500000,487654.33,")
                .replace(",B,400000,0,", ",B,500000,0,");
        creditLines = creditLines
                .replace(",APPROVED,AUTO,400000,50000,", ",APPROVED,AUTO,500000,150000,")
                .replace(
                        ",REFERRED,CREDIT_MANAGER,400000,10000,60,REF_OVER_LIMIT",
                        ",APPROVED,AUTO,500000,110000,60,none")
                .replace(",REFERRED,CFO,400000,0,", ",REFERRED,CREDIT_MANAGER,500000,50000,");
        Http.Response upload = http.postMultipart(
                "/api/v1/rulesets",
                ANALYST,
                Map.of("base", live),
                new Http.Part(
                        "file",
                        CREDIT_TERMS,
                        dmn.replace(CAP_CELL + "400000</text>", CAP_CELL + "500000</text>")
                                .getBytes(StandardCharsets.UTF_8)),
                new Http.Part("file", EXAMPLES, examples.getBytes(StandardCharsets.UTF_8)),
                new Http.Part("file", CREDIT_LINES, creditLines.getBytes(StandardCharsets.UTF_8)));
        assertThat(upload.status()).as(upload.body()).isIn(200, 201); // 200: stored already (uploaded by another test)
        assertThat(upload.json().at("/scenarios/failed").asInt())
                .as(upload.body())
                .isZero();
        return upload.json().at("/version").asText();
    }

    /** A candidate that changes no answer: the cap's annotation reworded. */
    static String rewordedCandidate(Http http, String live) {
        String dmn = text(http, live, CREDIT_TERMS);
        Http.Response upload = http.postMultipart(
                "/api/v1/rulesets",
                ANALYST,
                Map.of("base", live),
                new Http.Part(
                        "file",
                        CREDIT_TERMS,
                        dmn.replace("<text>grade B cap</text>", "<text>grade B cap (reviewed)</text>")
                                .getBytes(StandardCharsets.UTF_8)));
        assertThat(upload.status()).as(upload.body()).isIn(200, 201); // 200: stored already (uploaded by another test)
        return upload.json().at("/version").asText();
    }

    private static String text(Http http, String version, String file) {
        return new String(
                http.getBytes("/api/v1/rulesets/" + version + "/files/" + file, ANALYST), StandardCharsets.UTF_8);
    }

    /**
     * Live requests of every grade, balance and order size (without order ids: nothing is held, so deciding one again
     * gives the same answer), the buyers named {@code prefix} and a number.
     */
    static List<JsonNode> requests(String prefix, int count, long seed) {
        Random random = new Random(seed);
        int[] scores = {95, 85, 70, 70, 62, 45, 25};
        long[] revenues = {12_000_000, 20_000_000, 35_000_000, 45_000_000};
        long[] balances = {0, 50_000, 380_000, 2_000_000};
        long[] amounts = {25_000, 120_000, 380_000, 440_000};
        List<JsonNode> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ObjectNode request = PolicyExamples.byCustomerId("EX-01").request().deepCopy();
            ObjectNode customer = (ObjectNode) request.get("customer");
            customer.put("id", prefix + i)
                    .put("creditScore", scores[random.nextInt(scores.length)])
                    .put("annualRevenue", revenues[random.nextInt(revenues.length)])
                    .put("outstandingBalance", balances[random.nextInt(balances.length)]);
            if (random.nextInt(10) == 0) {
                customer.putArray("flags").add("FRAUD_ALERT");
            }
            ((ObjectNode) request.get("order")).put("amount", amounts[random.nextInt(amounts.length)]);
            requests.add(request);
        }
        return requests;
    }

    /**
     * Each request sent by one of eight clients at once, as checkout's many threads would send them (one at a time,
     * a few hundred decisions take most of a test's time); the answers in the requests' order. What {@code send}
     * asserts fails the caller.
     */
    static <T> List<T> concurrently(List<JsonNode> requests, Function<Integer, T> send) {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<T>> answers = new ArrayList<>();
            for (int i = 0; i < requests.size(); i++) {
                int index = i;
                answers.add(clients.submit(() -> send.apply(index)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> answer : answers) {
                results.add(answer.get());
            }
            return results;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            clients.shutdownNow();
        }
    }

    /** The answer without what differs between two decisions of one request: its id and time. */
    static JsonNode answer(JsonNode decided) {
        ObjectNode answer = decided.deepCopy();
        answer.remove("decisionId");
        answer.remove("decidedAt");
        return answer;
    }

    /** Whether the challenger changes this live answer, from the answer alone: a grade-B limit at the 400,000 cap. */
    static boolean capped(JsonNode decided) {
        return decided.get("riskGrade").asText().equals("B")
                && decided.get("creditLimit").decimalValue().compareTo(new java.math.BigDecimal("400000")) == 0;
    }
}
