package io.termsgate.audit;

import io.swagger.v3.oas.annotations.media.Schema;
import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.Evaluation;
import io.termsgate.ruleset.CompiledRulesetCache;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Re-evaluates a logged decision: its stored request, at its stored decision time, under its own ruleset version
 * (which must give the identical result) or under another stored version (a what-if).
 */
@Service
public class Replays {

    private final DecisionLog decisionLog;
    private final CompiledRulesetCache rulesets;

    public Replays(DecisionLog decisionLog, CompiledRulesetCache rulesets) {
        this.decisionLog = decisionLog;
        this.rulesets = rulesets;
    }

    /** One result field that came out differently. */
    @Schema(name = "Difference")
    public record Difference(String field, Object original, Object replayed) {}

    /**
     * @param identical every result field is equal
     * @param traceIdentical the replay also fired the same rules and matched the same table rows
     */
    @Schema(name = "Replay")
    public record Replay(
            UUID decisionId,
            boolean identical,
            String originalRulesetVersion,
            String replayedRulesetVersion,
            Instant decidedAt,
            Map<String, Object> original,
            Map<String, Object> replayed,
            List<Difference> differences,
            boolean traceIdentical) {}

    /** Thrown when no decision or no stored ruleset version has the id asked for. */
    public static class NotFound extends RuntimeException {
        public NotFound(String message) {
            super(message);
        }
    }

    /** Thrown when the decision's request is gone: its customer's personal data was erased. */
    public static class Erased extends RuntimeException {
        public Erased(String message) {
            super(message);
        }
    }

    public Replay replay(UUID decisionId, Optional<String> rulesetVersion) {
        LoggedDecision logged = decisionLog
                .find(decisionId)
                .orElseThrow(() -> new NotFound("No decision " + decisionId + " in the log"));
        DecisionRecord record = logged.record();
        if (record.erased()) {
            throw new Erased("Decision " + decisionId + " cannot be replayed: its customer's personal data was erased "
                    + "(their data key destroyed), so its request is gone; the record, its result and its place in "
                    + "the chain remain (GET /api/v1/audit/erasures)");
        }
        String version = rulesetVersion.orElse(record.rulesetVersion());
        CompiledRuleset ruleset =
                rulesets.forEvaluation(version).orElseThrow(() -> new NotFound("No stored ruleset version " + version));
        return compare(record, ruleset);
    }

    /**
     * A logged result beside the result of evaluating its request again: both as plain values in result-field order,
     * and the fields that differ, in that order.
     */
    public record Comparison(
            Evaluation evaluation,
            Map<String, Object> original,
            Map<String, Object> replayed,
            List<Difference> differences) {

        public boolean differs(String field) {
            return differences.stream().anyMatch(d -> d.field().equals(field));
        }
    }

    /**
     * The fields of an answer that a comparison of two rulesets reports on (a backtest's changed decisions, a
     * challenger's): what checkout acts on, in the order the reports show them.
     */
    public static final List<String> ANSWER_FIELDS =
            List.of("outcome", "approvalRoute", "creditLimit", "availableCredit", "termDays", "reasons");

    /** Replays a record under a compiled ruleset, its trace compared too. */
    public static Replay compare(DecisionRecord record, CompiledRuleset ruleset) {
        Comparison comparison = compare(record.requestJson(), record.resultJson(), record.decidedAt(), ruleset);
        boolean traceIdentical =
                CanonicalJson.trace(comparison.evaluation().trace()).equals(record.traceJson());
        return new Replay(
                record.decisionId(),
                comparison.differences().isEmpty(),
                record.rulesetVersion(),
                ruleset.version(),
                record.decidedAt(),
                comparison.original(),
                comparison.replayed(),
                comparison.differences(),
                traceIdentical);
    }

    /**
     * The one comparison of a logged decision with its replay, shared by auditors' replays and analysts' backtests
     * (which replay many and need no trace): the stored request evaluated at its stored time under {@code ruleset}.
     */
    public static Comparison compare(
            String requestJson, String resultJson, Instant decidedAt, CompiledRuleset ruleset) {
        CreditApplication application = CanonicalJson.readRequest(requestJson);
        return compare(application, ruleset.evaluate(application, decidedAt), resultJson);
    }

    /** A logged decision to compare with its replay: its stored request and result, and when it was decided. */
    public record Logged(String requestJson, String resultJson, Instant decidedAt) {}

    /**
     * Compares many logged decisions with their replays under {@code ruleset}, asked of it all at once
     * ({@link CompiledRuleset#evaluateAll}: one exchange with a candidate in the sandbox instead of a round trip
     * each). Each comparison, in order, is what {@link #compare(String, String, Instant, CompiledRuleset)} gives alone.
     */
    public static List<Comparison> compareAll(List<Logged> logged, CompiledRuleset ruleset) {
        List<CreditApplication> applications = new ArrayList<>(logged.size());
        List<CompiledRuleset.Question> questions = new ArrayList<>(logged.size());
        for (Logged decision : logged) {
            CreditApplication application = CanonicalJson.readRequest(decision.requestJson());
            applications.add(application);
            questions.add(new CompiledRuleset.Question(application, decision.decidedAt()));
        }
        List<Evaluation> evaluations = ruleset.evaluateAll(questions);
        List<Comparison> comparisons = new ArrayList<>(logged.size());
        for (int i = 0; i < logged.size(); i++) {
            comparisons.add(compare(
                    applications.get(i), evaluations.get(i), logged.get(i).resultJson()));
        }
        return comparisons;
    }

    /** The stored result compared with {@code evaluation}, the stored request's {@code application} replayed. */
    private static Comparison compare(CreditApplication application, Evaluation evaluation, String resultJson) {
        Map<String, Object> original = CanonicalJson.resultFields(resultJson);
        Map<String, Object> replayed =
                CanonicalJson.resultFields(evaluation, application.order().getCurrency());
        List<Difference> differences = new ArrayList<>();
        for (String field : CanonicalJson.RESULT_FIELDS) {
            if (!Objects.equals(original.get(field), replayed.get(field))) {
                differences.add(new Difference(field, original.get(field), replayed.get(field)));
            }
        }
        return new Comparison(evaluation, original, replayed, differences);
    }
}
