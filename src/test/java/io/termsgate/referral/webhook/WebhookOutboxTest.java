package io.termsgate.referral.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.termsgate.support.Http;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The whole service with checkout's webhook pointed at a receiver in this test that fails a delivery twice (a 500,
 * then a connection closed without an answer) and takes it the third time.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "termsgate.referrals.webhook-secret=" + WebhookOutboxTest.SECRET,
            "termsgate.referrals.webhook-timeout=2s",
            "termsgate.referrals.webhook-initial-backoff=50ms",
            "termsgate.referrals.webhook-max-backoff=200ms",
            "termsgate.referrals.webhook-poll-interval=50ms",
            "termsgate.referrals.webhook-max-attempts=5",
            // the referral cases' own settings share the prefix: the webhook's settings ignore them
            "termsgate.referrals.expire-after=2d"
        })
@ActiveProfiles("test")
class WebhookOutboxTest {

    static final String SECRET = "test-webhook-secret-0123456789abcdef";
    static final String MARKER = "test.marker";

    /** referral.decided: 500, then a closed connection, then 200; the marker event: 200 at once. */
    static final Receiver RECEIVER =
            new Receiver((event, attempt) -> MARKER.equals(event) ? 200 : attempt == 1 ? 500 : attempt == 2 ? 0 : 200);

    @DynamicPropertySource
    static void webhook(DynamicPropertyRegistry registry) {
        registry.add("termsgate.referrals.webhook-url", RECEIVER::url);
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    WebhookOutbox outbox;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry registry;

    Http http;
    TransactionTemplate transactions;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        transactions = new TransactionTemplate(transactionManager);
    }

    @Test
    void aDeliveryThatFailsTwiceArrivesTheThirdTimeSignedAndUnchanged() throws Exception {
        UUID decision = UUID.randomUUID();
        UUID referral = UUID.randomUUID();
        // not canonical JSON on purpose (spacing, key order, non-ASCII): what is signed and sent is what was given
        String body = "{\"referralId\": \"" + referral + "\", \"decisionId\":\"" + decision
                + "\",\"outcome\":\"APPROVED\",\"note\":\"Müller & Söhne — 5 000 €\"}";
        transactions.executeWithoutResult(tx -> outbox.enqueue("referral.decided", decision, referral, body));
        Instant enqueued = Instant.now();

        await("three attempts arrive", () -> RECEIVER.bodiesEqualTo(body).size() >= 3);
        JsonNode item = awaitDelivery(referral, "DELIVERED");

        List<Receiver.Received> attempts = RECEIVER.bodiesEqualTo(body);
        assertThat(attempts).hasSize(3);
        String deliveryId = attempts.get(0).delivery();
        assertThat(UUID.fromString(deliveryId)).isNotNull();
        for (Receiver.Received attempt : attempts) {
            assertThat(attempt.delivery()).isEqualTo(deliveryId);
            assertThat(attempt.event()).isEqualTo("referral.decided");
            assertThat(attempt.contentType()).isEqualTo("application/json");
            assertThat(attempt.body()).isEqualTo(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(attempt.signature()).matches("t=\\d+,v1=[0-9a-f]{64}");
            assertThat(Receiver.verifies(attempt.signature(), attempt.body(), SECRET))
                    .as(attempt.signature())
                    .isTrue();
            assertThat(Receiver.verifies(attempt.signature(), attempt.body(), SECRET.replace('0', '1')))
                    .isFalse();
            long t = Long.parseLong(attempt.signature().replaceAll("^t=(\\d+),.*", "$1"));
            assertThat(Math.abs(t - enqueued.getEpochSecond())).isLessThan(60);
        }

        assertThat(item.get("deliveryId").asText()).isEqualTo(deliveryId);
        assertThat(item.get("event").asText()).isEqualTo("referral.decided");
        assertThat(item.get("decisionId").asText()).isEqualTo(decision.toString());
        assertThat(item.get("attempts").asInt()).isEqualTo(3);
        assertThat(item.get("lastStatus").asInt()).isEqualTo(200);
        assertThat(item.get("lastError").isNull()).isTrue();
        assertThat(item.get("nextAttemptAt").isNull()).isTrue();
        assertThat(Instant.parse(item.get("deliveredAt").asText()))
                .isAfterOrEqualTo(Instant.parse(item.get("createdAt").asText()));
        assertThat(Instant.parse(item.get("lastAttemptAt").asText()))
                .isEqualTo(Instant.parse(item.get("deliveredAt").asText()));
        assertThat(item.has("body")).isFalse();
        assertThat(registry.get(WebhookDeliverer.METRIC)
                        .tag("result", "delivered")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(1);
        assertThat(registry.get(WebhookDeliverer.METRIC)
                        .tag("result", "failed_attempt")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(2);
        assertThat(registry.get("termsgate.referrals.webhook.pending").gauge()).isNotNull();
    }

    @Test
    void aReferralDeclinedOverHttpReachesCheckoutAsItsFinalStatusAfterTwoFailures() throws Exception {
        // checkout's order is referred (EX-14: over the limit, to a credit manager), a credit manager declines it
        com.fasterxml.jackson.databind.node.ObjectNode request = io.termsgate.support.PolicyExamples.byCustomerId(
                        "EX-14")
                .request()
                .deepCopy();
        String customer = "HOOK-" + UUID.randomUUID().toString().substring(0, 8);
        ((com.fasterxml.jackson.databind.node.ObjectNode) request.get("customer")).put("id", customer);
        ((com.fasterxml.jackson.databind.node.ObjectNode) request.get("order")).put("id", "SO-HOOK-1");
        Http.Response decided = http.postJson("/api/v1/credit-decisions", "demo-checkout", request.toString());
        assertThat(decided.status()).as(decided.body()).isEqualTo(201);
        String decisionId = decided.json().get("decisionId").asText();
        JsonNode cases = http.get("/api/v1/referrals?customerId=" + customer, "demo-credit-manager")
                .json();
        String referralId = cases.at("/items/0/id").asText();
        Http.Response declined = http.postJson(
                "/api/v1/referrals/" + referralId + "/decline",
                "demo-credit-manager",
                "{\"reasons\": [\"EXPOSURE_TOO_HIGH\"], \"note\": \"over the limit\"}");
        assertThat(declined.status()).as(declined.body()).isEqualTo(200);

        await(
                "three attempts arrive",
                () -> RECEIVER.received.stream()
                                .filter(r -> r.bodyText().contains(referralId))
                                .count()
                        >= 3);
        List<Receiver.Received> attempts = RECEIVER.received.stream()
                .filter(r -> r.bodyText().contains(referralId))
                .toList();
        assertThat(attempts).hasSize(3);
        Receiver.Received last = attempts.get(2);
        assertThat(last.event()).isEqualTo("referral.decided");
        assertThat(Receiver.verifies(last.signature(), last.body(), SECRET)).isTrue();
        JsonNode told = new com.fasterxml.jackson.databind.ObjectMapper().readTree(last.body());
        assertThat(told.get("decisionId").asText()).isEqualTo(decisionId);
        assertThat(told.get("outcome").asText()).isEqualTo("DECLINED");
        assertThat(told.get("final").asBoolean()).isTrue();
        assertThat(told.get("decidedBy").asText()).isEqualTo("demo-credit-manager");
        assertThat(told.get("reasons").toString()).isEqualTo("[\"EXPOSURE_TOO_HIGH\"]");
        // what checkout is told is what it reads when it polls
        assertThat(told)
                .isEqualTo(http.get("/api/v1/credit-decisions/" + decisionId + "/status", "demo-checkout")
                        .json());
        assertThat(awaitDelivery(UUID.fromString(referralId), "DELIVERED")
                        .get("attempts")
                        .asInt())
                .isEqualTo(3);
    }

    @Test
    void anAnswerWhoseTransactionRollsBackIsNeverSent() {
        UUID referral = UUID.randomUUID();
        String body = "{\"referralId\":\"" + referral + "\",\"outcome\":\"DECLINED\"}";
        transactions.executeWithoutResult(tx -> {
            outbox.enqueue("referral.decided", UUID.randomUUID(), referral, body);
            tx.setRollbackOnly();
        });
        assertThat(jdbc.sql("SELECT COUNT(*) FROM referral_webhook WHERE referral_id = ?")
                        .param(referral)
                        .query(Long.class)
                        .single())
                .isZero();

        // a delivery committed after it arrives; by then the deliverer has looked at the outbox since
        UUID markerReferral = UUID.randomUUID();
        String marker = "{\"marker\":\"" + markerReferral + "\"}";
        transactions.executeWithoutResult(tx -> outbox.enqueue(MARKER, UUID.randomUUID(), markerReferral, marker));
        await("the marker arrives", () -> !RECEIVER.bodiesEqualTo(marker).isEmpty());
        assertThat(RECEIVER.bodiesEqualTo(body)).isEmpty();
    }

    @Test
    void operatorsListDeliveriesNewestFirstAndOnlyOperators() {
        UUID older = UUID.randomUUID();
        UUID newer = UUID.randomUUID();
        transactions.executeWithoutResult(tx -> outbox.enqueue(MARKER, UUID.randomUUID(), older, "{\"n\":1}"));
        Instant olderAt = Instant.now();
        while (!Instant.now().isAfter(olderAt.plusMillis(1))) {
            Thread.onSpinWait(); // "newer" must be created at a later millisecond: ties have no order
        }
        transactions.executeWithoutResult(tx -> outbox.enqueue(MARKER, UUID.randomUUID(), newer, "{\"n\":2}"));
        awaitDelivery(newer, "DELIVERED");
        awaitDelivery(older, "DELIVERED");

        JsonNode page =
                http.get("/api/v1/referrals/webhooks?size=100", "demo-operator").json();
        assertThat(page.get("page").asInt()).isZero();
        assertThat(page.get("size").asInt()).isEqualTo(100);
        assertThat(page.get("total").asLong()).isGreaterThanOrEqualTo(2);
        List<String> referrals = page.get("items").findValuesAsText("referralId");
        assertThat(referrals.indexOf(newer.toString())).isLessThan(referrals.indexOf(older.toString()));
        List<String> created = page.get("items").findValuesAsText("createdAt");
        assertThat(created).isSortedAccordingTo((a, b) -> Instant.parse(b).compareTo(Instant.parse(a)));

        JsonNode first = http.get("/api/v1/referrals/webhooks?status=DELIVERED&page=0&size=1", "demo-operator")
                .json();
        assertThat(first.get("items")).hasSize(1);
        assertThat(first.get("items").get(0).get("status").asText()).isEqualTo("DELIVERED");
        assertThat(http.get("/api/v1/referrals/webhooks?status=FAILED", "demo-operator")
                        .json()
                        .get("total")
                        .asLong())
                .isZero();

        assertThat(http.get("/api/v1/referrals/webhooks", "demo-auditor").status())
                .isEqualTo(403);
        assertThat(http.get("/api/v1/referrals/webhooks", "demo-checkout").status())
                .isEqualTo(403);
        assertThat(http.get("/api/v1/referrals/webhooks", "demo-buyer").status())
                .isEqualTo(403);
        assertThat(http.get("/api/v1/referrals/webhooks", null).status()).isEqualTo(401);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "status=bogus|status",
                "status=delivered|status",
                "status=|status",
                "status=PENDING&status=FAILED|status",
                "status=PENDING%00|status",
                "status=%27%20OR%201%3D1--|status",
                "page=-1|page",
                "page=abc|page",
                "page=1e3|page",
                "page=99999999999999999999|page",
                "page=21474837|page",
                "size=0|size",
                "size=101|size",
                "size=100000|size",
                "size=-5|size",
                "size=%20|size"
            })
    void badQueryParametersAreOneProblemNamingTheParameter(String query, String parameter) {
        Http.Response answer = http.get("/api/v1/referrals/webhooks?" + query, "demo-operator");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().get("type").asText()).endsWith("/problems/invalid-request");
        assertThat(answer.json().at("/errors/0/field").asText()).isEqualTo(parameter);
        assertThat(answer.body()).doesNotContain("Exception");
    }

    private JsonNode awaitDelivery(UUID referral, String status) {
        JsonNode[] found = new JsonNode[1];
        await(referral + " " + status, () -> {
            for (JsonNode item : http.get("/api/v1/referrals/webhooks?size=100", "demo-operator")
                    .json()
                    .get("items")) {
                if (item.get("referralId").asText().equals(referral.toString())
                        && item.get("status").asText().equals(status)) {
                    found[0] = item;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /** Polls until {@code condition} holds, failing after a deadline: never a fixed sleep. */
    static void await(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within 20 s: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
