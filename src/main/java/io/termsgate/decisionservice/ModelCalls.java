package io.termsgate.decisionservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.termsgate.audit.ChainWalk;
import io.termsgate.audit.PersonalData;
import io.termsgate.creditline.TermsSuspensions;
import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.ModelDescription;
import io.termsgate.engine.ModelResult;
import io.termsgate.ruleset.ActiveRuleset;
import io.termsgate.ruleset.CompiledRulesetCache;
import io.termsgate.web.FieldError;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Calls the live ruleset's DMN models and logs every answered call in the model calls' hash chain before the answer
 * is given; replays a logged call under the ruleset version that answered it; verifies the chain.
 */
@Service
public class ModelCalls {

    private final ActiveRuleset active;
    private final CompiledRulesetCache rulesets;
    private final JdbcModelCalls calls;
    private final Clock clock;
    private final PersonalData personalData;
    private final TermsSuspensions suspensions;
    private final SuspendsTermsProperties suspendsTerms;

    ModelCalls(
            ActiveRuleset active,
            CompiledRulesetCache rulesets,
            JdbcModelCalls calls,
            Clock clock,
            PersonalData personalData,
            TermsSuspensions suspensions,
            SuspendsTermsProperties suspendsTerms) {
        this.active = active;
        this.rulesets = rulesets;
        this.calls = calls;
        this.clock = clock;
        this.personalData = personalData;
        this.suspensions = suspensions;
        this.suspendsTerms = suspendsTerms;
    }

    /** The live version's models. */
    public Models models() {
        CompiledRuleset ruleset = active.current();
        return new Models(ruleset.version(), ruleset.models());
    }

    public record Models(String rulesetVersion, List<ModelDescription> models) {}

    /** An answered and logged call: the engine's result and the call as logged. */
    public record Answered(ModelResult result, ModelCall call) {}

    /** The model (or its decision service) is not in the live ruleset. */
    static final class UnknownModel extends RuntimeException {
        UnknownModel(String message) {
            super(message, null, false, false);
        }
    }

    /** Inputs the model cannot take; nothing was evaluated or logged. */
    static final class BadInputs extends RuntimeException {
        final transient List<FieldError> errors;

        BadInputs(List<FieldError> errors) {
            super("bad inputs", null, false, false);
            this.errors = List.copyOf(errors);
        }
    }

    /**
     * Evaluates the model on the live ruleset and logs the call.
     *
     * @throws UnknownModel when the live ruleset has no such model or decision service
     * @throws BadInputs naming every input of the wrong type or unknown to the model
     * @throws io.termsgate.audit.AuditLogUnavailableException when the call could not be logged in time (nothing
     *     may be answered)
     */
    Answered call(String modelName, String decisionService, JsonNode body, String client) {
        return call(modelName, decisionService, body, client, null);
    }

    /**
     * {@link #call(String, String, JsonNode, String)} made for a customer (or null for none): the call is logged under
     * the customer's subject reference, never the id, and a call of the model that suspends terms suspends or lifts
     * the customer's terms in the transaction that logs it.
     */
    Answered call(String modelName, String decisionService, JsonNode body, String client, String customerId) {
        CompiledRuleset ruleset = active.current();
        requireModel(ruleset, modelName, decisionService);
        List<FieldError> problems = new ArrayList<>();
        Map<String, Object> inputs = ModelJson.inputs(body, problems);
        if (!problems.isEmpty()) {
            throw new BadInputs(problems);
        }
        ModelResult result = ruleset.evaluateModel(modelName, decisionService, inputs)
                .orElseThrow(() -> new UnknownModel(notFound(modelName, decisionService)));
        if (!result.inputProblems().isEmpty()) {
            throw new BadInputs(result.inputProblems().stream()
                    .map(p -> new FieldError(p.input(), p.message()))
                    .toList());
        }
        String customerRef = null;
        if (customerId != null) {
            personalData.prepare(customerId); // a first-time customer's key, created on a connection of its own
            customerRef = personalData.subjectOf(customerId).orElseThrow();
        }
        Instant calledAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ModelCall call = new ModelCall(
                0,
                UUID.randomUUID(),
                calledAt,
                client,
                result.modelName(),
                result.namespace(),
                decisionService,
                ruleset.version(),
                ModelJson.write(inputs),
                ModelJson.write(ModelJson.dmnResult(result)),
                customerRef,
                null,
                null);
        Runnable suspends = null;
        if (customerId != null
                && result.modelName().equals(suspendsTerms.model())
                && result.context().get(suspendsTerms.decision()) instanceof Boolean blocked
                && !result.hasErrors()) {
            suspends = suspensions.fromDunning(customerId, blocked, call.id(), client, calledAt);
        }
        // group commit: many concurrent calls share one transaction; answered only once committed, and what the call
        // does to the customer's terms commits with it
        ModelCall logged = calls.append(call, suspends);
        return new Answered(result, logged);
    }

    private static void requireModel(CompiledRuleset ruleset, String modelName, String decisionService) {
        Optional<ModelDescription> model = ruleset.models().stream()
                .filter(m -> m.name().equals(modelName))
                .findFirst();
        if (model.isEmpty()
                || (decisionService != null
                        && model.get().decisionServices().stream()
                                .noneMatch(s -> s.name().equals(decisionService)))) {
            throw new UnknownModel(notFound(modelName, decisionService));
        }
    }

    private static String notFound(String modelName, String decisionService) {
        return decisionService == null
                ? "The live ruleset has no DMN model named '" + modelName + "'."
                : "DMN model '" + modelName + "' of the live ruleset has no decision service named '" + decisionService
                        + "'.";
    }

    Optional<ModelCall> find(UUID id) {
        return calls.find(id);
    }

    /** A logged call evaluated again under the ruleset version that answered it, and whether it answers the same. */
    @io.swagger.v3.oas.annotations.media.Schema(name = "ModelCallReplay")
    public record Replay(
            UUID callId,
            String rulesetVersion,
            String modelName,
            String decisionService,
            boolean identical,
            JsonNode logged,
            JsonNode replayed) {}

    /** @return empty when there is no such call */
    Optional<Replay> replay(UUID id) {
        return calls.find(id).map(call -> {
            CompiledRuleset ruleset = rulesets.forEvaluation(call.rulesetVersion())
                    .orElseThrow(() -> new UnknownModel("No stored ruleset version " + call.rulesetVersion()));
            List<FieldError> problems = new ArrayList<>();
            Map<String, Object> inputs = ModelJson.inputs(ModelJson.read(call.inputsJson()), problems);
            String replayed = ruleset.evaluateModel(call.modelName(), call.decisionService(), inputs)
                    .map(r -> ModelJson.write(ModelJson.dmnResult(r)))
                    .orElse("null");
            return new Replay(
                    call.id(),
                    call.rulesetVersion(),
                    call.modelName(),
                    call.decisionService(),
                    replayed.equals(call.resultJson()),
                    ModelJson.read(call.resultJson()),
                    ModelJson.read(replayed));
        });
    }

    /** The result of walking the model calls' chain: valid, or the first call that breaks it. */
    @io.swagger.v3.oas.annotations.media.Schema(name = "ModelCallChainReport")
    public record ChainReport(boolean valid, long checked, Long firstInvalidSeq, String problem) {}

    ChainReport verifyChain() {
        JdbcModelCalls.Head head = calls.head();
        ChainWalk.Result walked = ChainWalk.walk(
                head.seq(), head.hash(), calls::chain, new ChainWalk.Names("call", "calls", "the chain's"));
        return new ChainReport(walked.valid(), walked.checked(), walked.firstInvalidSeq(), walked.problem());
    }
}
