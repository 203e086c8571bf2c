package io.termsgate.engine.drools;

import io.termsgate.engine.ApprovalRoute;
import io.termsgate.engine.AuthorityAnswer;
import io.termsgate.engine.AuthorityQuestion;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.kie.dmn.api.core.DMNContext;
import org.kie.dmn.api.core.DMNDecisionResult;
import org.kie.dmn.api.core.DMNMessage;
import org.kie.dmn.api.core.DMNModel;
import org.kie.dmn.api.core.DMNResult;
import org.kie.dmn.api.core.DMNRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delegated-authority model of a compiled ruleset (decision-tables/authority.dmn), asked one question at a time.
 * Shares the ruleset's DMN runtime read-only; each question gets a fresh DMN context, so any number of threads may
 * ask at once. Anything that goes wrong is a refusal with an error, never an approval.
 */
final class AuthorityTable {

    private static final Logger log = LoggerFactory.getLogger(AuthorityTable.class);

    /** The levels the table answers for: the routes of a referral. */
    static final List<ApprovalRoute> LEVELS =
            List.of(ApprovalRoute.CREDIT_ANALYST, ApprovalRoute.CREDIT_MANAGER, ApprovalRoute.CFO);

    private final DMNRuntime runtime;
    private final DMNModel model;
    private final CompiledDmnModel compiled;
    private final DmnVerifier verifier;

    AuthorityTable(DMNRuntime runtime, DMNModel model) {
        this(runtime, model, null, DmnVerifier.INTERPRETED);
    }

    /** @param compiled the model compiled, or null: evaluated so when the verifier says compiled */
    AuthorityTable(DMNRuntime runtime, DMNModel model, CompiledDmnModel compiled, DmnVerifier verifier) {
        this.runtime = runtime;
        this.model = model;
        this.compiled = compiled;
        this.verifier = verifier;
    }

    AuthorityAnswer ask(AuthorityQuestion question) {
        String outOfRange = outOfRange(question);
        if (outOfRange != null) {
            return AuthorityAnswer.failed(outOfRange);
        }
        try {
            return answer(decide(question));
        } catch (AuthorityFailure e) {
            return AuthorityAnswer.failed(e.getMessage());
        } catch (Throwable e) { // whatever the table's FEEL did: this thread goes on, and nobody is approved
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return AuthorityAnswer.failed(failed(e));
        }
    }

    /** What the table is never asked: the record holds the types, this the ranges the referral module promises. */
    private static String outOfRange(AuthorityQuestion question) {
        if (!LEVELS.contains(question.level())) {
            return "delegated authority: " + question.level() + " is not an approver level; one of " + LEVELS;
        }
        if (question.orderAmount().signum() <= 0) {
            return "delegated authority: the order amount must be greater than 0";
        }
        if (question.creditLimit().signum() < 0) {
            return "delegated authority: the credit limit must be at least 0";
        }
        if (question.overLimitShare().signum() < 0 || question.overLimitShare().compareTo(BigDecimal.ONE) > 0) {
            return "delegated authority: the over-limit share must be from 0 to 1";
        }
        return null;
    }

    private Map<String, Object> decide(AuthorityQuestion question) {
        Map<String, Object> inputs = new java.util.LinkedHashMap<>();
        inputs.put(AuthorityDmnNames.LEVEL, question.level().name());
        inputs.put(AuthorityDmnNames.ORDER_AMOUNT, question.orderAmount());
        inputs.put(AuthorityDmnNames.RISK_GRADE, question.riskGrade());
        inputs.put(AuthorityDmnNames.CREDIT_LIMIT, question.creditLimit());
        inputs.put(AuthorityDmnNames.TERM_DAYS, BigDecimal.valueOf(question.termDays()));
        inputs.put(AuthorityDmnNames.OVER_LIMIT_SHARE, question.overLimitShare());
        if (compiled != null && verifier.compiled()) {
            CompiledDmnModel.Result fast = compiled.evaluate(inputs, false);
            if (fast != null
                    && fast.decisionNames().stream()
                            .allMatch(n -> fast.context().get(n) != null)) {
                Map<String, Object> decided = new TreeMap<>();
                fast.decisionNames()
                        .forEach(n ->
                                decided.put(n, DmnValues.toPlain(fast.context().get(n))));
                verifier.maybeVerify(model.getName(), decided, () -> interpreted(inputs));
                return decided;
            }
        }
        return interpreted(inputs);
    }

    /** The same answer from KIE's interpreter: the oracle, and the path for whatever the compiled one hands on. */
    Map<String, Object> interpreted(Map<String, Object> inputs) {
        DMNContext context = runtime.newContext();
        inputs.forEach(context::set);
        DMNResult result = runtime.evaluateAll(model, context);

        Map<String, Object> decided = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (DMNDecisionResult decision : result.getDecisionResults()) {
            decided.put(decision.getDecisionName(), DmnValues.toPlain(decision.getResult()));
            if (decision.getEvaluationStatus() != DMNDecisionResult.DecisionEvaluationStatus.SUCCEEDED) {
                failures.add("decision '" + decision.getDecisionName() + "' " + decision.getEvaluationStatus());
            } else if (decision.getResult() == null) {
                failures.add("decision '" + decision.getDecisionName() + "' came out null");
            }
        }
        // the same texts the trace of a credit decision shows: the engine's, never an exception's message
        for (DMNMessage message : result.getMessages(DMNMessage.Severity.ERROR)) {
            failures.add(message.getText());
        }
        if (!failures.isEmpty()) {
            throw new AuthorityFailure("delegated authority: " + String.join("; ", new TreeSet<>(failures)));
        }
        return decided;
    }

    private static AuthorityAnswer answer(Map<String, Object> decided) {
        Object mayApprove = decided.get(AuthorityDmnNames.MAY_APPROVE);
        if (!(mayApprove instanceof Boolean approve)) {
            throw new AuthorityFailure("delegated authority: '" + AuthorityDmnNames.MAY_APPROVE
                    + "' must be true or false, not " + mayApprove);
        }
        int approvers = atLeastOne(decided, AuthorityDmnNames.APPROVERS_NEEDED);
        int dueHours = atLeastOne(decided, AuthorityDmnNames.DUE_BUSINESS_HOURS);
        return new AuthorityAnswer(approve, approvers, dueHours, null);
    }

    private static int atLeastOne(Map<String, Object> decided, String name) {
        Object value = decided.get(name);
        if (!(value instanceof BigDecimal number)
                || number.scale() > 0
                || number.compareTo(BigDecimal.ONE) < 0
                || number.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            throw new AuthorityFailure(
                    "delegated authority: '" + name + "' must be a whole number of at least 1, not " + value);
        }
        return number.intValueExact();
    }

    /** The kind of failure and where its details are logged, never its message (see DroolsCompiledRuleset). */
    private static String failed(Throwable e) {
        String reference = "unlogged";
        try {
            reference = ProblemReferences.logged(log, "The delegated-authority table failed", e);
        } catch (Throwable logging) { // out of memory or stack while logging: the answer must still be given
            // the answer goes without a reference
        }
        Throwable root = e;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 20; depth++) {
            root = root.getCause();
        }
        return "delegated authority failed: " + root.getClass().getSimpleName() + " (details logged as reference "
                + reference + ")";
    }

    /** A failure of the table while answering; becomes the refusal. */
    private static final class AuthorityFailure extends RuntimeException {
        AuthorityFailure(String message) {
            super(message, null, false, false);
        }
    }
}
