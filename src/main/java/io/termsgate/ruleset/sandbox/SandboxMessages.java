package io.termsgate.ruleset.sandbox;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.termsgate.creditapplication.DecisionRequestReader;
import io.termsgate.engine.ApplicationField;
import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.Evaluation;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.ruleset.ScenarioRunner;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the service and a sandbox worker say to each other, one JSON document a line. The worker's answers are read
 * as data into these records and nothing else: the worker is where untrusted rules run, so its output is untrusted
 * too (bounded in size, strictly typed, never deserialised into arbitrary classes).
 */
final class SandboxMessages {

    /** Largest line the service reads from a worker. */
    static final int MAX_LINE = 16 * 1024 * 1024;

    static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    static {
        JSON.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(MAX_LINE)
                        .build());
    }

    private SandboxMessages() {}

    enum Mode {
        VALIDATE,
        EVALUATE
    }

    /** The first line to a worker: what to do, on which files (base64 by path), at which time. */
    record Start(Mode mode, Map<String, byte[]> files, Instant now, int maxRuleFirings) {}

    /** The worker's answer to {@link Mode#VALIDATE}, or to the compile that {@link Mode#EVALUATE} starts with. */
    record Validation(
            boolean accepted,
            List<RulesetProblem> problems,
            List<RulesetProblem> warnings,
            ScenarioRunner.Report scenarios) {}

    /**
     * One evaluation asked of an {@link Mode#EVALUATE} worker: the application as a request's JSON, which the worker
     * reads with the request reader (one description of an application, no second copy of its fields).
     */
    record Ask(JsonNode application, Instant decisionTime) {

        static Ask of(CreditApplication application, Instant decisionTime) {
            return new Ask(JSON.valueToTree(ApplicationField.tree(application, value -> value)), decisionTime);
        }

        CreditApplication toApplication() {
            return DecisionRequestReader.readInputs(application);
        }
    }

    /** The worker's answer to an {@link Ask}. */
    record Answer(Evaluation evaluation) {}
}
