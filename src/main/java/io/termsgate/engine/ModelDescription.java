package io.termsgate.engine;

import java.util.List;
import java.util.Map;

/**
 * One DMN model of a ruleset as its callers see it (a decision service, {@code /api/v1/models}): its name, its
 * inputs, its decisions and its decision services, each with its declared type.
 *
 * @param name the model's name, unique within a ruleset (the {@code name} of its {@code definitions})
 * @param namespace the model's namespace
 * @param file the ruleset file it comes from ({@code decision-tables/dunning.dmn})
 */
public record ModelDescription(
        String name,
        String namespace,
        String file,
        List<Variable> inputs,
        List<Variable> decisions,
        List<Service> decisionServices) {

    public ModelDescription {
        inputs = List.copyOf(inputs);
        decisions = List.copyOf(decisions);
        decisionServices = List.copyOf(decisionServices);
    }

    /** An input or a decision: its DMN id, its name and its type. */
    public record Variable(String id, String name, Type type) {}

    /**
     * A decision service of the model: the inputs it takes (input data and input decisions, by name) and the
     * decisions it answers.
     */
    public record Service(String id, String name, List<String> inputs, List<String> outputs) {

        public Service {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
        }
    }

    /**
     * A declared DMN type.
     *
     * @param name the type's name as the model writes it ({@code tRiskGrade}, {@code number})
     * @param feel the FEEL type its values have: {@code number}, {@code string}, {@code boolean}, {@code date},
     *     {@code time}, {@code date and time}, {@code days and time duration}, {@code years and months duration},
     *     {@code context}, or {@code Any}; of each element for a collection
     * @param collection whether a value is a list of such values
     * @param fields the fields of a structured type, in order; empty otherwise
     * @param allowedValues the type's allowed values as FEEL unary tests ({@code "A","B"}), or null
     */
    public record Type(String name, String feel, boolean collection, Map<String, Type> fields, String allowedValues) {

        public Type {
            fields = fields == null
                    ? Map.of()
                    : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
        }
    }
}
