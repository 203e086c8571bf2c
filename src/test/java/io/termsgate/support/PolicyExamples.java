package io.termsgate.support;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.termsgate.creditapplication.DecisionRequestReader;
import io.termsgate.engine.CreditApplication;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The worked cases of the credit policy (src/test/resources/policy/examples.json, a copy of the policy team's
 * shared/policy/examples.json): each request and the exact outputs it must produce.
 */
public final class PolicyExamples {

    public static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    public record Example(String name, JsonNode request, JsonNode expected) {

        public CreditApplication application() {
            return DecisionRequestReader.read(request);
        }

        public String customerId() {
            return request.path("customer").path("id").asText();
        }

        @Override
        public String toString() {
            return customerId() + " " + name;
        }
    }

    private PolicyExamples() {}

    public static List<Example> all() {
        try (InputStream in = PolicyExamples.class.getResourceAsStream("/policy/examples.json")) {
            List<Example> examples = new ArrayList<>();
            for (JsonNode node : JSON.readTree(in)) {
                examples.add(new Example(node.get("name").asText(), node.get("request"), node.get("expected")));
            }
            return examples;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Example byCustomerId(String id) {
        return all().stream().filter(e -> e.customerId().equals(id)).findFirst().orElseThrow();
    }
}
