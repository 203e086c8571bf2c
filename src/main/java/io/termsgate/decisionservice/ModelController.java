package io.termsgate.decisionservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.annotations.Operation;
import io.termsgate.audit.AuditLogUnavailableException;
import io.termsgate.engine.FieldRule;
import io.termsgate.engine.ModelResult;
import io.termsgate.web.ApiProblemException;
import io.termsgate.web.InvalidRequestException;
import io.termsgate.web.JsonBodies;
import io.termsgate.web.ProblemTypes;
import java.security.Principal;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Every DMN model of the live ruleset as a decision service, in the shape Kogito serves them (a Kogito client ports
 * by changing its base path to {@code /api/v1/models}); the calls' log for auditors. See docs/decision-services.md.
 */
@RestController
class ModelController {

    static final String PATH = "/api/v1/models";
    /** The response header naming the logged call, for a later replay. */
    static final String CALL_ID = "X-Model-Call-Id";

    private final ModelCalls calls;
    private final JsonBodies jsonBodies;

    ModelController(ModelCalls calls, JsonBodies jsonBodies) {
        this.calls = calls;
        this.jsonBodies = jsonBodies;
    }

    @Operation(
            summary = "The live ruleset's DMN models with their inputs, decisions and decision services (role "
                    + "DECISION_CLIENT)")
    @GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    ObjectNode models() {
        // as a tree: the engine's descriptions are plain values, not part of the published schemas
        return ModelJson.MAPPER.valueToTree(calls.models());
    }

    @Operation(
            summary = "Evaluate a DMN model: the whole result context, inputs and every decision (DECISION_CLIENT)",
            description = "Answers 200 with the context as Kogito does; 422 when a decision failed (the messages say "
                    + "why); 400 naming each input of the wrong type or unknown to the model. Every answered call is "
                    + "logged before it is given; its id is in the X-Model-Call-Id header.")
    @PostMapping(
            path = PATH + "/{modelName}",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> evaluate(
            @PathVariable String modelName,
            @RequestParam(required = false) String customerId,
            @RequestBody(required = false) byte[] body,
            Principal client) {
        return context(call(modelName, null, body, client, customerId));
    }

    @Operation(
            summary = "Evaluate a DMN model: Kogito's dmnresult (namespace, modelName, dmnContext, messages, "
                    + "decisionResults) (DECISION_CLIENT)")
    @PostMapping(
            path = PATH + "/{modelName}/dmnresult",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> dmnResult(
            @PathVariable String modelName,
            @RequestParam(required = false) String customerId,
            @RequestBody(required = false) byte[] body,
            Principal client) {
        return dmnResult(call(modelName, null, body, client, customerId));
    }

    @Operation(summary = "Evaluate one decision service of a DMN model: its result context (DECISION_CLIENT)")
    @PostMapping(
            path = PATH + "/{modelName}/{decisionServiceName}",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> evaluateService(
            @PathVariable String modelName,
            @PathVariable String decisionServiceName,
            @RequestParam(required = false) String customerId,
            @RequestBody(required = false) byte[] body,
            Principal client) {
        return context(call(modelName, decisionServiceName, body, client, customerId));
    }

    @Operation(summary = "Evaluate one decision service of a DMN model: Kogito's dmnresult (DECISION_CLIENT)")
    @PostMapping(
            path = PATH + "/{modelName}/{decisionServiceName}/dmnresult",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> serviceDmnResult(
            @PathVariable String modelName,
            @PathVariable String decisionServiceName,
            @RequestParam(required = false) String customerId,
            @RequestBody(required = false) byte[] body,
            Principal client) {
        return dmnResult(call(modelName, decisionServiceName, body, client, customerId));
    }

    @Operation(
            summary = "One logged model call: who called which model of which ruleset version when, with what "
                    + "inputs and what answer (AUDITOR)")
    @GetMapping(path = PATH + "/calls/{callId}", produces = MediaType.APPLICATION_JSON_VALUE)
    ObjectNode loggedCall(@PathVariable String callId) {
        ModelCall call = calls.find(callId(callId)).orElseThrow(() -> notFound(callId));
        ObjectNode json = ModelJson.MAPPER.createObjectNode();
        json.put("callId", call.id().toString());
        json.put("seq", call.seq());
        json.put("calledAt", call.calledAt().toString());
        json.put("client", call.client());
        json.put("modelName", call.modelName());
        json.put("namespace", call.modelNamespace());
        json.put("decisionService", call.decisionService());
        json.put("customerRef", call.customerRef());
        json.put("rulesetVersion", call.rulesetVersion());
        json.set("inputs", ModelJson.read(call.inputsJson()));
        json.set("result", ModelJson.read(call.resultJson()));
        json.put("previousHash", call.previousHash());
        json.put("hash", call.hash());
        return json;
    }

    @Operation(summary = "Replay a logged model call under the ruleset version that answered it (AUDITOR)")
    @PostMapping(path = PATH + "/calls/{callId}/replay", produces = MediaType.APPLICATION_JSON_VALUE)
    ModelCalls.Replay replay(@PathVariable String callId) {
        return calls.replay(callId(callId)).orElseThrow(() -> notFound(callId));
    }

    @Operation(summary = "Verify the model calls' hash chain (AUDITOR)")
    @GetMapping(path = "/api/v1/audit/models/verify", produces = MediaType.APPLICATION_JSON_VALUE)
    ModelCalls.ChainReport verify() {
        return calls.verifyChain();
    }

    private ModelCalls.Answered call(
            String modelName, String decisionService, byte[] body, Principal client, String customerId) {
        if (customerId != null && !FieldRule.REFERENCE.matcher(customerId).matches()) {
            throw InvalidRequestException.of("Invalid model call", "customerId", FieldRule.REFERENCE_RULE);
        }
        JsonNode json = jsonBodies.parse(body);
        try {
            return calls.call(modelName, decisionService, json, client.getName(), customerId);
        } catch (ModelCalls.UnknownModel e) {
            throw new ApiProblemException(
                    HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "No such model", e.getMessage());
        } catch (ModelCalls.BadInputs e) {
            throw new InvalidRequestException("Invalid model inputs", e.errors);
        } catch (AuditLogUnavailableException e) {
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.RETRY_AFTER, "1");
            throw new ApiProblemException(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    ProblemTypes.SERVICE_UNAVAILABLE,
                    "Model call log unavailable",
                    "The call could not be recorded, so no answer is given. Retry.",
                    headers);
        }
    }

    private static ResponseEntity<String> context(ModelCalls.Answered answered) {
        ModelResult result = answered.result();
        if (result.hasErrors()) {
            throw new ApiProblemException(
                            HttpStatus.UNPROCESSABLE_ENTITY,
                            ProblemTypes.MODEL_EVALUATION_FAILED,
                            "The model could not decide",
                            "A decision of model '" + result.modelName() + "' failed; the messages say which and why.")
                    .with("callId", answered.call().id().toString())
                    .with("messages", ModelJson.MAPPER.valueToTree(result.messages()))
                    .with(
                            "decisionResults",
                            ModelJson.MAPPER.valueToTree(result.decisionResults().stream()
                                    .filter(d -> !"SUCCEEDED".equals(d.evaluationStatus()))
                                    .toList()));
        }
        return ResponseEntity.ok()
                .header(CALL_ID, answered.call().id().toString())
                .contentType(MediaType.APPLICATION_JSON)
                .body(ModelJson.write(result.context()));
    }

    private static ResponseEntity<String> dmnResult(ModelCalls.Answered answered) {
        return ResponseEntity.ok()
                .header(CALL_ID, answered.call().id().toString())
                .contentType(MediaType.APPLICATION_JSON)
                .body(ModelJson.write(ModelJson.dmnResult(answered.result())));
    }

    private static UUID callId(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.of("Invalid call id", "callId", "must be a UUID");
        }
    }

    private static ApiProblemException notFound(String callId) {
        return new ApiProblemException(
                HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "No such model call", "No model call " + callId + ".");
    }
}
