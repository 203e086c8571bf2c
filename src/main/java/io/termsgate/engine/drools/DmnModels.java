package io.termsgate.engine.drools;

import io.termsgate.engine.ModelDescription;
import io.termsgate.engine.ModelResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kie.dmn.api.core.DMNContext;
import org.kie.dmn.api.core.DMNDecisionResult;
import org.kie.dmn.api.core.DMNMessage;
import org.kie.dmn.api.core.DMNModel;
import org.kie.dmn.api.core.DMNResult;
import org.kie.dmn.api.core.DMNRuntime;
import org.kie.dmn.api.core.DMNType;
import org.kie.dmn.api.core.ast.DecisionNode;
import org.kie.dmn.api.core.ast.DecisionServiceNode;
import org.kie.dmn.api.core.ast.InputDataNode;
import org.kie.dmn.core.impl.DMNModelImpl;
import org.kie.dmn.model.api.DMNElementReference;

/**
 * Every DMN model of a ruleset as a decision service: described by name, inputs, decisions and decision services,
 * and evaluated on plain values ({@link FeelValues}) in the ruleset's shared runtime (strict mode, type checks on).
 * Read-only after construction, shared by all threads; each call gets its own context.
 */
final class DmnModels {

    private final DMNRuntime runtime;
    private final Map<String, DMNModel> byName = new LinkedHashMap<>();
    private final List<ModelDescription> descriptions = new ArrayList<>();

    private final Map<String, CompiledDmnModel> compiled;
    private final DmnVerifier verifier;

    /** @param fileOfModel the ruleset file of each model, by namespace */
    DmnModels(DMNRuntime runtime, Map<String, String> fileOfModel) {
        this(runtime, fileOfModel, Map.of(), DmnVerifier.INTERPRETED);
    }

    /**
     * @param compiled the models compiled, by name: a whole-model call evaluates compiled when the verifier says so
     *     (decision service calls run interpreted)
     */
    DmnModels(
            DMNRuntime runtime,
            Map<String, String> fileOfModel,
            Map<String, CompiledDmnModel> compiled,
            DmnVerifier verifier) {
        this.runtime = runtime;
        this.compiled = Map.copyOf(compiled);
        this.verifier = verifier;
        runtime.getModels().stream()
                .sorted(java.util.Comparator.comparing(DMNModel::getName))
                .forEach(model -> {
                    byName.put(model.getName(), model);
                    descriptions.add(describe(model, fileOfModel.get(model.getNamespace())));
                });
    }

    List<ModelDescription> descriptions() {
        return List.copyOf(descriptions);
    }

    Optional<ModelResult> evaluate(String modelName, String decisionService, Map<String, Object> inputs) {
        DMNModel model = modelName == null ? null : byName.get(modelName);
        if (model == null) {
            return Optional.empty();
        }
        DecisionServiceNode service = null;
        if (decisionService != null) {
            service = model.getDecisionServices().stream()
                    .filter(s -> s.getName().equals(decisionService))
                    .findFirst()
                    .orElse(null);
            if (service == null) {
                return Optional.empty();
            }
        }
        Map<String, DMNType> accepted = acceptedInputs(model, service);
        List<ModelResult.InputProblem> problems = new ArrayList<>();
        DMNContext context = runtime.newContext();
        Map<String, Object> given = inputs == null ? Map.of() : inputs;
        for (Map.Entry<String, Object> input : given.entrySet()) {
            if (!accepted.containsKey(input.getKey())) {
                problems.add(new ModelResult.InputProblem(
                        input.getKey(),
                        "is not an input of " + (service == null ? "model" : "decision service") + " '"
                                + (service == null ? model.getName() : service.getName()) + "'; its inputs are "
                                + accepted.keySet()));
                continue;
            }
            Map<String, DMNType> imported = importedInputs(model, input.getKey());
            Object value = imported.isEmpty()
                    ? FeelValues.toFeel(input.getKey(), accepted.get(input.getKey()), input.getValue(), problems)
                    : importedValues(input.getKey(), imported, input.getValue(), problems);
            context.set(input.getKey(), value);
        }
        if (!problems.isEmpty()) {
            return Optional.of(ModelResult.rejected(model.getNamespace(), model.getName(), problems));
        }
        CompiledDmnModel fast = service == null && verifier.compiled() ? compiled.get(model.getName()) : null;
        if (fast != null) {
            CompiledDmnModel.Result answer = fast.evaluate(context.getAll(), false);
            if (answer != null) {
                ModelResult result = plain(model, answer);
                Map<String, Object> asGiven = new LinkedHashMap<>(context.getAll());
                verifier.maybeVerify(model.getName(), decisionsOf(result), () -> {
                    DMNContext again = runtime.newContext();
                    asGiven.forEach(again::set);
                    return decisionsOf(plain(model, runtime.evaluateAll(model, again)));
                });
                return Optional.of(result);
            }
        }
        DMNResult result = service == null
                ? runtime.evaluateAll(model, context)
                : runtime.evaluateDecisionService(model, context, service.getName());
        return Optional.of(plain(model, result));
    }

    /** A compiled answer in the interpreter's shape: every decision succeeded, no messages. */
    static ModelResult plain(DMNModel model, CompiledDmnModel.Result answer) {
        Map<String, Object> context = new LinkedHashMap<>();
        answer.context().forEach((name, value) -> context.put(name, FeelValues.toPlain(value)));
        // in the interpreter's order: its result keeps decision results in a hash map by id
        Map<String, DecisionNode> byId = new java.util.HashMap<>();
        model.getDecisions().forEach(d -> byId.put(d.getId(), d));
        List<ModelResult.DecisionResult> decisions = new ArrayList<>();
        for (DecisionNode decision : byId.values()) {
            decisions.add(new ModelResult.DecisionResult(
                    decision.getId(),
                    decision.getName(),
                    FeelValues.toPlain(answer.context().get(decision.getName())),
                    List.of(),
                    DMNDecisionResult.DecisionEvaluationStatus.SUCCEEDED.name()));
        }
        return new ModelResult(model.getNamespace(), model.getName(), context, List.of(), decisions, List.of());
    }

    /** What the shadow check compares: each decision's value, status and messages, and the call's messages. */
    private static Map<String, Object> decisionsOf(ModelResult result) {
        Map<String, Object> all = new LinkedHashMap<>();
        for (ModelResult.DecisionResult decision : result.decisionResults()) {
            all.put(
                    decision.decisionName(),
                    java.util.Arrays.asList(decision.result(), decision.evaluationStatus(), decision.messages()));
        }
        all.put("(messages)", result.messages());
        return all;
    }

    static ModelResult plain(DMNModel model, DMNResult result) {
        Map<String, Object> context = new LinkedHashMap<>();
        result.getContext().getAll().forEach((name, value) -> context.put(name, FeelValues.toPlain(value)));
        List<ModelResult.DecisionResult> decisions = new ArrayList<>();
        for (DMNDecisionResult decision : result.getDecisionResults()) {
            decisions.add(new ModelResult.DecisionResult(
                    decision.getDecisionId(),
                    decision.getDecisionName(),
                    FeelValues.toPlain(decision.getResult()),
                    messages(decision.getMessages()),
                    decision.getEvaluationStatus().name()));
        }
        return new ModelResult(
                model.getNamespace(), model.getName(), context, messages(result.getMessages()), decisions, List.of());
    }

    private static List<ModelResult.Message> messages(List<DMNMessage> messages) {
        return messages.stream()
                .map(m -> new ModelResult.Message(
                        m.getSeverity().name(),
                        m.getText(),
                        m.getMessageType() == null ? null : m.getMessageType().name(),
                        m.getSourceId()))
                .toList();
    }

    /**
     * The inputs a call may give, with their types: the model's own input data; for each model it imports, its alias
     * (a context of that model's inputs); and for a decision service, its input decisions too.
     */
    private static Map<String, DMNType> acceptedInputs(DMNModel model, DecisionServiceNode service) {
        Map<String, DMNType> accepted = new LinkedHashMap<>();
        for (InputDataNode input : model.getInputs()) {
            String alias = aliasOf(model, input);
            if (alias == null) {
                accepted.put(input.getName(), input.getType());
            } else {
                accepted.putIfAbsent(alias, null); // a context of the imported model's inputs, read as given
            }
        }
        if (service != null) {
            for (DMNElementReference reference : service.getDecisionService().getInputDecision()) {
                DecisionNode decision = decisionOf(model, reference);
                if (decision != null) {
                    accepted.put(decision.getName(), decision.getResultType());
                }
            }
        }
        return accepted;
    }

    /** The inputs of the model imported under {@code alias}, by name; empty when no model is imported so. */
    private static Map<String, DMNType> importedInputs(DMNModel model, String alias) {
        Map<String, DMNType> inputs = new LinkedHashMap<>();
        for (InputDataNode input : model.getInputs()) {
            if (alias.equals(aliasOf(model, input))) {
                inputs.put(input.getName(), input.getType());
            }
        }
        return inputs;
    }

    /** The inputs of an imported model, given as one object under the import's name, each read by its type. */
    private static Object importedValues(
            String alias, Map<String, DMNType> inputs, Object value, List<ModelResult.InputProblem> problems) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> given)) {
            problems.add(new ModelResult.InputProblem(
                    alias, "must be an object of the imported model's inputs " + inputs.keySet()));
            return null;
        }
        Map<String, Object> feel = new LinkedHashMap<>();
        given.forEach((name, v) -> {
            String key = String.valueOf(name);
            if (!inputs.containsKey(key)) {
                problems.add(new ModelResult.InputProblem(
                        alias + "." + key, "is not an input of the imported model; its inputs are " + inputs.keySet()));
            } else {
                feel.put(key, FeelValues.toFeel(alias + "." + key, inputs.get(key), v, problems));
            }
        });
        return feel;
    }

    private static String aliasOf(DMNModel model, InputDataNode input) {
        if (input.getModelNamespace() == null || input.getModelNamespace().equals(model.getNamespace())) {
            return null;
        }
        if (model instanceof DMNModelImpl impl) {
            return impl.getImportAliasFor(input.getModelNamespace(), input.getModelName())
                    .orElse(input.getModelName());
        }
        return input.getModelName();
    }

    private static DecisionNode decisionOf(DMNModel model, DMNElementReference reference) {
        String href = reference.getHref();
        String id = href == null ? "" : href.substring(href.indexOf('#') + 1);
        DecisionNode decision = model.getDecisionById(id);
        return decision;
    }

    private static ModelDescription describe(DMNModel model, String file) {
        List<ModelDescription.Variable> inputs = new ArrayList<>();
        for (InputDataNode input : model.getInputs()) {
            String alias = aliasOf(model, input);
            inputs.add(new ModelDescription.Variable(
                    input.getId(),
                    alias == null ? input.getName() : alias + "." + input.getName(),
                    type(input.getType(), 0)));
        }
        List<ModelDescription.Variable> decisions = new ArrayList<>();
        for (DecisionNode decision : model.getDecisions()) {
            if (decision.getModelNamespace() != null
                    && !decision.getModelNamespace().equals(model.getNamespace())) {
                continue;
            }
            decisions.add(new ModelDescription.Variable(
                    decision.getId(), decision.getName(), type(decision.getResultType(), 0)));
        }
        List<ModelDescription.Service> services = new ArrayList<>();
        for (DecisionServiceNode service : model.getDecisionServices()) {
            if (service.getModelNamespace() != null
                    && !service.getModelNamespace().equals(model.getNamespace())) {
                continue;
            }
            List<String> in = new ArrayList<>();
            for (DMNElementReference reference : service.getDecisionService().getInputData()) {
                String href = reference.getHref();
                InputDataNode input = model.getInputById(href == null ? "" : href.substring(href.indexOf('#') + 1));
                if (input != null) {
                    in.add(input.getName());
                }
            }
            service.getDecisionService().getInputDecision().forEach(r -> {
                DecisionNode d = decisionOf(model, r);
                if (d != null) {
                    in.add(d.getName());
                }
            });
            List<String> out = new ArrayList<>();
            service.getDecisionService().getOutputDecision().forEach(r -> {
                DecisionNode d = decisionOf(model, r);
                if (d != null) {
                    out.add(d.getName());
                }
            });
            services.add(new ModelDescription.Service(service.getId(), service.getName(), in, out));
        }
        return new ModelDescription(model.getName(), model.getNamespace(), file, inputs, decisions, services);
    }

    private static ModelDescription.Type type(DMNType type, int depth) {
        if (type == null) {
            return new ModelDescription.Type("Any", "Any", false, Map.of(), null);
        }
        Map<String, ModelDescription.Type> fields = new LinkedHashMap<>();
        if (type.isComposite() && depth < 8) {
            type.getFields().forEach((name, field) -> fields.put(name, type(field, depth + 1)));
        }
        String feel = type.isCollection() && !type.isComposite()
                ? (type.getBaseType() == null ? "Any" : FeelValues.feelOf(type.getBaseType()))
                : FeelValues.feelOf(type);
        return new ModelDescription.Type(
                type.getName(), feel, type.isCollection(), fields, FeelValues.allowedValues(type));
    }
}
