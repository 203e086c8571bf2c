package io.termsgate.engine;

import java.time.Instant;
import java.util.List;

/**
 * A ruleset compiled once and shared read-only by every thread; each {@link #evaluate} runs a fresh, independent
 * evaluation. Never throws for a failing rule: an engine failure comes back as a safe referral
 * ({@link Evaluation#engineError()}), and a failing delegated-authority table as a refusal
 * ({@link AuthorityAnswer#failed}).
 */
public interface CompiledRuleset {

    String version();

    /** Warnings found while compiling (decision table analysis and the like); errors would have rejected it. */
    List<RulesetProblem> warnings();

    /**
     * Decides one application. A pure function of the application, this ruleset and {@code decisionTime}: the same
     * three always give the same evaluation, which is what makes replay exact.
     */
    Evaluation evaluate(CreditApplication application, Instant decisionTime);

    /** An application and the time to decide it at: one of the many {@link #evaluateAll} decides. */
    record Question(CreditApplication application, Instant decisionTime) {

        public Question {
            java.util.Objects.requireNonNull(application, "application");
            java.util.Objects.requireNonNull(decisionTime, "decisionTime");
        }
    }

    /**
     * Decides many applications: the answers, in the questions' order, are exactly what {@link #evaluate} gives for
     * each. Here they are decided one after the other on the calling thread; a ruleset evaluated in another process
     * (a candidate in the sandbox) asks them all in one exchange instead of a round trip each.
     */
    default List<Evaluation> evaluateAll(List<Question> questions) {
        List<Evaluation> answers = new java.util.ArrayList<>(questions.size());
        for (Question question : questions) {
            answers.add(evaluate(question.application(), question.decisionTime()));
        }
        return answers;
    }

    /**
     * Asks the ruleset's delegated-authority table (decision-tables/authority.dmn) whether one approver level may
     * approve a referred case with the terms it would grant, how many approvers it takes and when the case is due.
     * A pure function of the question and this ruleset. Never throws: a failure of the table is a refusal with its
     * {@link AuthorityAnswer#error error} set, never an approval.
     */
    AuthorityAnswer authority(AuthorityQuestion question);

    /** The ruleset's DMN models, each callable as a decision service ({@link #evaluateModel}). */
    default List<ModelDescription> models() {
        return List.of();
    }

    /**
     * Evaluates one DMN model of this ruleset, or one of its decision services, on plain input values (see
     * {@link ModelResult} for the mapping). A pure function of the model, the inputs and this ruleset. Never throws
     * for a failing model: failures come back as decision statuses and messages, inputs of the wrong type as
     * {@link ModelResult#inputProblems}.
     *
     * @param decisionService the decision service's name, or null for the whole model
     * @return empty when the ruleset has no such model (or the model no such decision service)
     */
    default java.util.Optional<ModelResult> evaluateModel(
            String modelName, String decisionService, java.util.Map<String, Object> inputs) {
        return java.util.Optional.empty();
    }
}
