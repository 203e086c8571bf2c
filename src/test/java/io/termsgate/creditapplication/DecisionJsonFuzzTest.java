package io.termsgate.creditapplication;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.termsgate.audit.AuditFormats;
import io.termsgate.engine.ApprovalRoute;
import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.Evaluation;
import io.termsgate.engine.Outcome;
import io.termsgate.support.DefaultRuleset;
import io.termsgate.web.ApiProblemException;
import io.termsgate.web.InvalidRequestException;
import io.termsgate.web.JsonBodies;
import java.time.Instant;

/**
 * Fuzzes the decision endpoint's JSON handling with the service's own parser settings. Whatever the bytes, the
 * outcome is one of: a parse error (400), an invalid request naming its fields (400), or a valid application that
 * survives canonical JSON unchanged and that the engine decides without throwing and without contradicting itself.
 *
 * <p>{@code ./mvnw verify} replays the seed corpus in src/test/resources/io/termsgate/request/
 * DecisionJsonFuzzTestInputs; {@code JAZZER_FUZZ=1 ./mvnw test -Dtest=DecisionJsonFuzzTest} fuzzes (see
 * docs/reliability.md).
 */
class DecisionJsonFuzzTest {

    /** The parser settings of the service (application.yml and web.JsonConfig). */
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    static {
        JSON.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(32)
                        .maxNumberLength(64)
                        .maxStringLength(1_000_000)
                        .build());
    }

    static final JsonBodies BODIES = new JsonBodies(JSON);
    static final Instant TIME = Instant.parse("2026-11-22T10:00:00Z");

    @FuzzTest(maxDuration = "2m")
    void decisionRequest(byte[] body) {
        JsonNode tree;
        try {
            tree = BODIES.parse(body);
        } catch (ApiProblemException e) {
            assertThat(e.problem().getStatus()).isEqualTo(400);
            return; // 400 malformed JSON
        }
        CreditApplication application;
        try {
            application = DecisionRequestReader.read(tree);
        } catch (InvalidRequestException e) {
            assertThat(e.errors())
                    .isNotEmpty()
                    .allSatisfy(error -> assertThat(error.field()).isNotNull());
            return; // 400 naming the fields
        }
        String canonical = AuditFormats.request(application);
        assertThat(AuditFormats.readRequest(canonical)).isEqualTo(application);
        try {
            assertThat(DecisionRequestReader.readInputs(JSON.readTree(canonical)))
                    .isEqualTo(application);
        } catch (JsonProcessingException e) {
            throw new AssertionError("canonical JSON does not parse: " + canonical, e);
        }
        Evaluation evaluation = DefaultRuleset.compiled().evaluate(application, TIME);
        if (evaluation.outcome() == Outcome.APPROVED) {
            assertThat(evaluation.approvalRoute()).isEqualTo(ApprovalRoute.AUTO);
            assertThat(evaluation.reasons()).doesNotContain("ENGINE_ERROR");
        }
        assertThat(evaluation.availableCredit()).isLessThanOrEqualTo(evaluation.creditLimit());
    }
}
