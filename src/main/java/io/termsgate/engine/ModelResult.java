package io.termsgate.engine;

import java.util.List;
import java.util.Map;

/**
 * What one DMN model (or one of its decision services) answered for one set of inputs, as plain values: numbers as
 * {@link java.math.BigDecimal}, strings, booleans, {@code null}, dates, times and durations as ISO 8601 strings,
 * contexts as maps and lists as lists (the mapping is docs/decision-services.md's).
 *
 * <p>When an input was of the wrong type or unknown, nothing was evaluated: {@link #inputProblems} names each, and
 * the rest is empty.
 *
 * @param context the whole result context: the inputs and every decision's value
 */
public record ModelResult(
        String namespace,
        String modelName,
        Map<String, Object> context,
        List<Message> messages,
        List<DecisionResult> decisionResults,
        List<InputProblem> inputProblems) {

    public ModelResult {
        messages = List.copyOf(messages);
        decisionResults = List.copyOf(decisionResults);
        inputProblems = List.copyOf(inputProblems);
    }

    public static ModelResult rejected(String namespace, String modelName, List<InputProblem> problems) {
        return new ModelResult(namespace, modelName, Map.of(), List.of(), List.of(), problems);
    }

    /** Whether any decision failed or any message is an error. */
    public boolean hasErrors() {
        return !inputProblems.isEmpty()
                || messages.stream().anyMatch(m -> "ERROR".equals(m.severity()))
                || decisionResults.stream().anyMatch(d -> !"SUCCEEDED".equals(d.evaluationStatus()));
    }

    /** One decision's value and status ({@code SUCCEEDED}, {@code FAILED}, {@code SKIPPED}, ...). */
    public record DecisionResult(
            String decisionId, String decisionName, Object result, List<Message> messages, String evaluationStatus) {

        public DecisionResult {
            messages = List.copyOf(messages);
        }
    }

    /** A message of the DMN runtime: {@code ERROR}, {@code WARN} or {@code INFO}, its kind and the element. */
    public record Message(String severity, String message, String messageType, String sourceId) {}

    /** An input the model cannot take: its name (a path for a field: {@code Invoice.amount}) and why. */
    public record InputProblem(String input, String message) {}
}
