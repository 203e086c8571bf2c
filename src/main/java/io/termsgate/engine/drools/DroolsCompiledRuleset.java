package io.termsgate.engine.drools;

import io.termsgate.engine.ApplicationField;
import io.termsgate.engine.ApprovalRoute;
import io.termsgate.engine.AuthorityAnswer;
import io.termsgate.engine.AuthorityQuestion;
import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.Evaluation;
import io.termsgate.engine.Outcome;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.facts.KnockoutFindings;
import io.termsgate.engine.facts.RiskScorecard;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.kie.dmn.api.core.DMNContext;
import org.kie.dmn.api.core.DMNDecisionResult;
import org.kie.dmn.api.core.DMNMessage;
import org.kie.dmn.api.core.DMNModel;
import org.kie.dmn.api.core.DMNResult;
import org.kie.dmn.api.core.DMNRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One compiled ruleset: an immutable KieBase (DRL knock-outs and the spreadsheet scorecard) and a DMN runtime (limit,
 * term and routing; and the delegated-authority table, see {@link AuthorityTable}), shared by all threads. Each evaluation opens its own short-lived session and DMN context.
 *
 * <p>The evaluation runs in three steps: the knock-out rules and scorecard rows fire; the scorecard total is
 * inserted and the grade rows fire on it; the DMN model decides from the application, the grade and the knock-outs.
 * Anything that goes wrong on the way makes the decision the safe referral, never an approval.
 */
final class DroolsCompiledRuleset implements CompiledRuleset {

    private static final Logger log = LoggerFactory.getLogger(DroolsCompiledRuleset.class);
    static final String TRACE_KEY = "termsgate.trace";

    private final String version;
    private final RuleSessions rules;
    private final TraceCollector.Origins ruleOrigins;
    private final List<String> characteristics;
    private final DMNRuntime dmnRuntime;
    private final DMNModel dmnModel;
    private final Map<String, List<String>> dmnRuleIds;
    private final AuthorityTable authority;
    private final DmnModels models;
    private final CompiledDmnModel compiledModel;
    private final DmnVerifier verifier;
    private final List<RulesetProblem> warnings;

    DroolsCompiledRuleset(
            String version,
            RuleBaseCompiler.RuleBase ruleBase,
            DmnCompiler.Compiled dmn,
            List<RulesetProblem> warnings,
            int maxRuleFirings) {
        this.version = version;
        this.rules = new RuleSessions(ruleBase.kieBase(), maxRuleFirings);
        this.ruleOrigins = new TraceCollector.Origins(ruleBase.origins());
        this.characteristics = ruleBase.characteristics();
        this.dmnRuntime = dmn.runtime();
        this.dmnModel = dmn.model();
        this.dmnRuleIds = dmn.ruleIdsByTable();
        this.authority = dmn.authority();
        this.models = dmn.models();
        this.compiledModel = dmn.compiled();
        this.verifier = dmn.verifier() == null ? DmnVerifier.INTERPRETED : dmn.verifier();
        this.warnings = List.copyOf(warnings);
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public List<RulesetProblem> warnings() {
        return warnings;
    }

    @Override
    public Evaluation evaluate(CreditApplication application, Instant decisionTime) {
        RiskScorecard scorecard = new RiskScorecard();
        KnockoutFindings findings = new KnockoutFindings();
        TraceCollector trace = new TraceCollector(ruleOrigins, dmnRuleIds, scorecard);
        Integer score = null;
        String grade = null;
        String stage = "rules";
        try {
            rules.fire(application, decisionTime, findings, scorecard, trace);
            score = scorecard.getScore();
            grade = checkedGrade(scorecard);
            checkScorecard(scorecard, trace);
            stage = "DMN model";
            Map<String, Object> decided = decide(application, score, grade, findings, trace);
            stage = "outputs";
            return outputs(application, findings, score, grade, decided, trace);
        } catch (EngineFailure e) {
            trace.error(e.getMessage());
        } catch (Throwable e) { // a StackOverflowError or OutOfMemoryError of rule code too: this thread goes on
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            trace.error(failed(stage, e));
        }
        return Evaluation.engineFailure(score, grade, trace.build());
    }

    @Override
    public AuthorityAnswer authority(AuthorityQuestion question) {
        if (question == null) {
            return AuthorityAnswer.failed("delegated authority: no question");
        }
        if (authority == null) {
            return AuthorityAnswer.failed("ruleset " + version + " has no delegated-authority table ("
                    + AuthorityDmnNames.FILE + "): referred orders cannot be approved under it");
        }
        return authority.ask(question);
    }

    @Override
    public List<io.termsgate.engine.ModelDescription> models() {
        return models == null ? List.of() : models.descriptions();
    }

    @Override
    public java.util.Optional<io.termsgate.engine.ModelResult> evaluateModel(
            String modelName, String decisionService, Map<String, Object> inputs) {
        if (models == null) {
            return java.util.Optional.empty();
        }
        try {
            return models.evaluate(modelName, decisionService, inputs);
        } catch (Throwable e) { // the model's failure is the call's, never the service's
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            String failure = failed("DMN model '" + modelName + "'", e);
            return java.util.Optional.of(new io.termsgate.engine.ModelResult(
                    null,
                    modelName,
                    Map.of(),
                    List.of(new io.termsgate.engine.ModelResult.Message("ERROR", failure, "FAILED_EVALUATION", null)),
                    List.of(),
                    List.of()));
        }
    }

    private static String checkedGrade(RiskScorecard scorecard) {
        List<String> grades = scorecard.getGrades();
        if (grades.size() != 1) {
            throw new EngineFailure(
                    grades.isEmpty()
                            ? "no risk grade row matched the score " + scorecard.getScore()
                            : "more than one risk grade row matched the score " + scorecard.getScore() + ": " + grades);
        }
        return grades.get(0);
    }

    /** Exactly one band of each characteristic: a gap or an overlap in the sheet is an error, not a silent score. */
    private void checkScorecard(RiskScorecard scorecard, TraceCollector trace) {
        List<RiskScorecard.Award> awards = scorecard.getAwards();
        if (eachOnce(awards)) {
            return;
        }
        Map<String, Integer> awardsByCharacteristic = new LinkedHashMap<>();
        characteristics.forEach(c -> awardsByCharacteristic.put(c, 0));
        for (RiskScorecard.Award award : awards) {
            awardsByCharacteristic.merge(award.characteristic(), 1, Integer::sum);
        }
        List<String> problems = new ArrayList<>();
        awardsByCharacteristic.forEach((characteristic, count) -> {
            if (count == 0) {
                problems.add("no band of '" + characteristic + "' matched");
            } else if (count > 1) {
                problems.add("more than one band of '" + characteristic + "' matched (sheet rows "
                        + trace.rowsAwarding(characteristic) + ")");
            }
        });
        if (!problems.isEmpty()) {
            throw new EngineFailure("scorecard: " + String.join("; ", problems));
        }
    }

    /** Whether the awards are one for each characteristic (the answer of every sound decision), without a map. */
    private boolean eachOnce(List<RiskScorecard.Award> awards) {
        int known = characteristics.size();
        if (awards.size() != known || known > Long.SIZE) {
            return false;
        }
        long seen = 0;
        for (RiskScorecard.Award award : awards) {
            int index = characteristics.indexOf(award.characteristic());
            if (index < 0 || (seen & (1L << index)) != 0) {
                return false;
            }
            seen |= 1L << index;
        }
        return true;
    }

    private Map<String, Object> decide(
            CreditApplication application, int score, String grade, KnockoutFindings findings, TraceCollector trace) {
        Map<String, Object> inputs = dmnInputs(application, score, grade, findings);
        if (compiledModel != null && verifier.compiled()) {
            CompiledDmnModel.Result fast = compiledModel.evaluate(inputs, true);
            if (fast != null && noneNull(fast)) {
                Map<String, Object> decided = new TreeMap<>();
                fast.decisionNames()
                        .forEach(n ->
                                decided.put(n, DmnValues.toPlain(fast.context().get(n))));
                for (CompiledDmnModel.TableMatch table : fast.tables()) {
                    trace.decisionTable(table.decision(), table.tableId(), table.matches(), table.selected());
                }
                trace.decisions(decided);
                List<CompiledDmnModel.TableMatch> matched = fast.tables();
                verifier.maybeVerify(dmnModel.getName(), () -> withTables(decided, matched), () -> {
                    TraceCollector again = new TraceCollector(ruleOrigins, dmnRuleIds, new RiskScorecard());
                    DMNContext same = dmnRuntime.newContext();
                    inputs.forEach(same::set);
                    same.getMetadata().set(TRACE_KEY, again);
                    Map<String, Object> oracle = decided(dmnRuntime.evaluateAll(dmnModel, same), again);
                    List<CompiledDmnModel.TableMatch> tables = again.build().decisionTables().stream()
                            .map(t -> new CompiledDmnModel.TableMatch(
                                    t.decision(), null, t.matchedRules(), t.selectedRules()))
                            .toList();
                    return withTables(oracle, tables);
                });
                return decided;
            }
        }
        DMNContext context = dmnRuntime.newContext();
        inputs.forEach(context::set);
        context.getMetadata().set(TRACE_KEY, trace);
        return decided(dmnRuntime.evaluateAll(dmnModel, context), trace);
    }

    private static boolean noneNull(CompiledDmnModel.Result result) {
        for (String name : result.decisionNames()) {
            if (result.context().get(name) == null) {
                return false;
            }
        }
        return true;
    }

    /** The decisions and, under one more key, the tables' matches: what the shadow check compares. */
    private static Map<String, Object> withTables(
            Map<String, Object> decided, List<CompiledDmnModel.TableMatch> tables) {
        Map<String, Object> all = new TreeMap<>(decided);
        all.put(
                "(decision tables)",
                tables.stream()
                        .map(t -> List.of(t.decision(), t.matches(), t.selected()))
                        .toList());
        return all;
    }

    /** The interpreter's result as the decisions by name; an engine failure when any failed or came out null. */
    private static Map<String, Object> decided(DMNResult result, TraceCollector trace) {

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
        trace.decisions(decided);
        for (DMNMessage message : result.getMessages(DMNMessage.Severity.ERROR)) {
            failures.add(message.getText());
        }
        if (!failures.isEmpty()) {
            throw new EngineFailure("DMN: " + String.join("; ", new TreeSet<>(failures)));
        }
        return decided;
    }

    private Evaluation outputs(
            CreditApplication application,
            KnockoutFindings findings,
            int score,
            String grade,
            Map<String, Object> decided,
            TraceCollector trace) {
        Outcome outcome = enumOutput(decided, DmnNames.OUTCOME, Outcome.class);
        ApprovalRoute route = enumOutput(decided, DmnNames.APPROVAL_ROUTE, ApprovalRoute.class);
        BigDecimal creditLimit = amountOutput(decided, DmnNames.CREDIT_LIMIT);
        BigDecimal availableCredit = amountOutput(decided, DmnNames.AVAILABLE_CREDIT);
        BigDecimal term = amountOutput(decided, DmnNames.TERM_DAYS);
        if (term.scale() > 0
                || term.compareTo(BigDecimal.valueOf(application.order().getRequestedTermDays())) > 0) {
            throw new EngineFailure("'Term Days' must be a whole number of days no longer than the "
                    + application.order().getRequestedTermDays() + " requested, not " + term.toPlainString());
        }
        List<String> reasons = new ArrayList<>(findings.getReasons());
        reasons.addAll(reasonsOutput(decided));
        for (String reason : reasons) {
            if (!reasonCode(reason)) {
                throw new EngineFailure("reason code " + reason + " is not a code of A-Z, 0-9 and _");
            }
        }
        checkConsistent(findings, outcome, route, creditLimit, availableCredit);
        return new Evaluation(
                outcome,
                route,
                score,
                grade,
                creditLimit,
                availableCredit,
                term.intValueExact(),
                reasons,
                trace.build());
    }

    /** {@code [A-Z][A-Z0-9_]{0,63}}, without a regular expression: it is asked of every reason of every decision. */
    static boolean reasonCode(String reason) {
        if (reason == null || reason.isEmpty() || reason.length() > 64) {
            return false;
        }
        char first = reason.charAt(0);
        if (first < 'A' || first > 'Z') {
            return false;
        }
        for (int i = 1; i < reason.length(); i++) {
            char c = reason.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** The answer must hold together; if it does not, it is not trusted (and above all never approved). */
    private static void checkConsistent(
            KnockoutFindings findings,
            Outcome outcome,
            ApprovalRoute route,
            BigDecimal creditLimit,
            BigDecimal availableCredit) {
        boolean consistent = switch (outcome) {
            case APPROVED -> route == ApprovalRoute.AUTO;
            case DECLINED -> route == ApprovalRoute.NONE;
            case REFERRED -> route.compareTo(ApprovalRoute.AUTO) > 0;
        };
        if (!consistent) {
            throw new EngineFailure("outcome " + outcome + " cannot go with approval route " + route);
        }
        if (findings.isDeclined() && outcome != Outcome.DECLINED) {
            throw new EngineFailure(
                    "a knock-out rule declined " + findings.getReasons() + " but the outcome is " + outcome);
        }
        if (availableCredit.compareTo(creditLimit) > 0) {
            throw new EngineFailure("available credit " + availableCredit.toPlainString() + " exceeds the credit limit "
                    + creditLimit.toPlainString());
        }
    }

    private static <E extends Enum<E>> E enumOutput(Map<String, Object> decided, String name, Class<E> type) {
        Object value = decided.get(name);
        try {
            return Enum.valueOf(type, String.valueOf(value));
        } catch (IllegalArgumentException e) {
            throw new EngineFailure(
                    "'" + name + "' must be one of " + List.of(type.getEnumConstants()) + ", not " + value);
        }
    }

    private static BigDecimal amountOutput(Map<String, Object> decided, String name) {
        Object value = decided.get(name);
        if (!(value instanceof BigDecimal amount) || amount.signum() < 0) {
            throw new EngineFailure("'" + name + "' must be a number of at least 0, not " + value);
        }
        return amount;
    }

    private static List<String> reasonsOutput(Map<String, Object> decided) {
        Object value = decided.get(DmnNames.REASONS);
        if (!(value instanceof Collection<?> reasons)) {
            throw new EngineFailure("'" + DmnNames.REASONS + "' must be a list of reason codes, not " + value);
        }
        return reasons.stream().map(r -> r == null ? null : r.toString()).toList();
    }

    /** The DMN model's inputs: the application, the scorecard's score and grade, and what the knock-outs found. */
    static DMNContext dmnContext(
            DMNRuntime runtime, CreditApplication application, int score, String grade, KnockoutFindings findings) {
        DMNContext context = runtime.newContext();
        dmnInputs(application, score, grade, findings).forEach(context::set);
        return context;
    }

    /** The same inputs by name, for the compiled model, which needs no DMN context. */
    private static Map<String, Object> dmnInputs(
            CreditApplication application, int score, String grade, KnockoutFindings findings) {
        Map<String, Object> tree = feel(application);
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put(DmnNames.CUSTOMER, tree.get("customer"));
        inputs.put(DmnNames.ORDER, tree.get("order"));
        inputs.put(DmnNames.RISK_SCORE, BigDecimal.valueOf(score));
        inputs.put(DmnNames.RISK_GRADE, grade);
        inputs.put(
                DmnNames.KNOCKOUTS,
                Map.of("declined", findings.isDeclined(), "referralRoutes", List.copyOf(findings.getReferralRoutes())));
        return inputs;
    }

    /** The application as FEEL sees it: contexts by path, every number a BigDecimal. */
    private static Map<String, Object> feel(CreditApplication application) {
        return ApplicationField.tree(application, value -> value instanceof Integer i ? BigDecimal.valueOf(i) : value);
    }

    /**
     * What the trace says when evaluation threw: the kind of failure and the rule, never the exception's message,
     * which rule code controls (it could carry anything the code could read). The detail is logged under an id that
     * the trace names.
     */
    private String failed(String stage, Throwable e) {
        String incident = UUID.randomUUID().toString();
        String rule = e instanceof RuleSessions.RuleCodeFailed failure ? failure.rule() : null;
        Throwable cause = e instanceof RuleSessions.RuleCodeFailed && e.getCause() != null ? e.getCause() : e;
        String kind = rootOf(cause).getClass().getSimpleName();
        try {
            log.error(
                    "Ruleset {} failed in its {}{} [incident {}]",
                    version,
                    stage,
                    rule == null ? "" : " (rule '" + rule + "')",
                    incident,
                    cause);
        } catch (Throwable logging) { // out of memory or stack while logging: the answer must still be given
            // nothing more to do; the trace still names the incident
        }
        return "the " + stage + " failed: " + kind + (rule == null ? "" : " in rule '" + rule + "'")
                + " (details logged as incident " + incident + ")";
    }

    private static Throwable rootOf(Throwable e) {
        Throwable root = e;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 20; depth++) {
            root = root.getCause();
        }
        return root;
    }

    /** A failure of the ruleset while deciding; becomes the safe referral. */
    static final class EngineFailure extends RuntimeException {
        EngineFailure(String message) {
            super(message, null, false, false);
        }
    }
}
