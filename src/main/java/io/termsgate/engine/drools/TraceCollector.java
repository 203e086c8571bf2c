package io.termsgate.engine.drools;

import io.termsgate.engine.DecisionTrace;
import io.termsgate.engine.facts.RiskScorecard;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kie.api.definition.rule.Rule;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.event.rule.MatchCancelledEvent;
import org.kie.api.event.rule.MatchCreatedEvent;
import org.kie.dmn.api.core.event.AfterEvaluateDecisionTableEvent;

/**
 * Collects the trace of one evaluation. Created per evaluation and touched by one thread only: it is the Drools
 * session's agenda listener, and the DMN runtime's shared listener finds it in the evaluation's own context.
 */
final class TraceCollector extends DefaultAgendaEventListener {

    private final Origins origins;
    private final Map<String, List<String>> ruleIdsByTable;
    private final RiskScorecard scorecard;
    private final List<DecisionTrace.FiredRule> rules = new ArrayList<>();
    private final List<DecisionTrace.SpreadsheetRow> rows = new ArrayList<>();
    private final List<DecisionTrace.DecisionTableMatch> tables = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private Map<String, Object> decisions = Map.of();
    /**
     * The sheet row of each award on the scorecard, by the award's index: to name the rows when bands overlap.
     * Awards made by other rules (none in a well-formed ruleset) have row 0.
     */
    private int[] awardRows = new int[16];

    private int awardsBefore;
    private int gradesBefore;

    TraceCollector(Origins origins, Map<String, List<String>> ruleIdsByTable, RiskScorecard scorecard) {
        this.origins = origins;
        this.ruleIdsByTable = ruleIdsByTable;
        this.scorecard = scorecard;
    }

    @Override
    public void beforeMatchFired(BeforeMatchFiredEvent event) {
        awardsBefore = scorecard.getAwards().size();
        gradesBefore = scorecard.getGrades().size();
    }

    @Override
    public void afterMatchFired(AfterMatchFiredEvent event) {
        Rule rule = event.getMatch().getRule();
        Origins.Known known = origins.of(rule);
        RuleOrigin origin = known.origin();
        if (origin != null && origin.isSpreadsheetRow()) {
            rows.add(new DecisionTrace.SpreadsheetRow(
                    origin.file(), origin.table(), origin.row(), known.label(), effect()));
            int awards = scorecard.getAwards().size();
            if (awards > awardRows.length) {
                awardRows = java.util.Arrays.copyOf(awardRows, Math.max(awards, awardRows.length * 2));
            }
            for (int i = awardsBefore; i < awards; i++) {
                awardRows[i] = origin.row();
            }
        } else {
            rules.add(new DecisionTrace.FiredRule(origin == null ? null : origin.file(), rule.getName()));
        }
    }

    // nothing to record when matches come and go: only firings count
    @Override
    public void matchCreated(MatchCreatedEvent event) {}

    @Override
    public void matchCancelled(MatchCancelledEvent event) {}

    /** Metadata values keep the quotes they were written with in the generated DRL. */
    private static String label(Object value) {
        if (value == null) {
            return null;
        }
        String text = value.toString();
        return text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")
                ? text.substring(1, text.length() - 1)
                : text;
    }

    private String effect() {
        StringBuilder effect = new StringBuilder();
        List<RiskScorecard.Award> awards = scorecard.getAwards();
        for (int i = awardsBefore; i < awards.size(); i++) {
            RiskScorecard.Award award = awards.get(i);
            effect.append(effect.isEmpty() ? "" : "; ")
                    .append(award.characteristic())
                    .append(' ')
                    .append(award.points() >= 0 ? "+" : "")
                    .append(award.points())
                    .append(" points");
        }
        List<String> grades = scorecard.getGrades();
        for (int i = gradesBefore; i < grades.size(); i++) {
            effect.append(effect.isEmpty() ? "" : "; ").append("risk grade ").append(grades.get(i));
        }
        return effect.toString();
    }

    void decisionTable(AfterEvaluateDecisionTableEvent event) {
        decisionTable(event.getNodeName(), event.getDecisionTableId(), event.getMatches(), event.getSelected());
    }

    /** A decision table's matched and selected rules (1-based), from the interpreter's event or the compiled path. */
    void decisionTable(String decision, String tableId, List<Integer> matches, List<Integer> selected) {
        // rule ids from the model itself: the event's own id lists are not reliable for every hit policy
        List<String> ids = ruleIdsByTable.getOrDefault(tableId, List.of());
        List<String> selectedIds = new ArrayList<>(selected.size());
        for (int i : selected) {
            selectedIds.add(i >= 1 && i <= ids.size() ? ids.get(i - 1) : null);
        }
        tables.add(new DecisionTrace.DecisionTableMatch(decision, matches, selected, selectedIds));
    }

    /** The sheet rows that awarded points for a characteristic, in firing order. */
    List<Integer> rowsAwarding(String characteristic) {
        List<Integer> rowsAwarding = new ArrayList<>();
        List<RiskScorecard.Award> awards = scorecard.getAwards();
        for (int i = 0; i < awards.size() && i < awardRows.length; i++) {
            if (java.util.Objects.equals(awards.get(i).characteristic(), characteristic) && awardRows[i] != 0) {
                rowsAwarding.add(awardRows[i]);
            }
        }
        return rowsAwarding;
    }

    void decisions(Map<String, Object> values) {
        this.decisions = values;
    }

    void error(String message) {
        errors.add(message);
    }

    DecisionTrace build() {
        return new DecisionTrace(rules, rows, tables, decisions, errors);
    }

    /**
     * Where each rule of one rule base came from, by the rule itself: the rule base's rules are the same objects in
     * every session, so the lookup by "package.name" is made once per rule rather than once per firing.
     */
    static final class Origins {
        /** A rule's origin ({@code null}: not recorded) and, for a sheet row, its band's label. */
        record Known(RuleOrigin origin, String label) {}

        private final Map<String, RuleOrigin> byName;
        private final java.util.concurrent.ConcurrentHashMap<Rule, Known> byRule =
                new java.util.concurrent.ConcurrentHashMap<>();

        Origins(Map<String, RuleOrigin> byName) {
            this.byName = Map.copyOf(byName);
        }

        Known of(Rule rule) {
            Known known = byRule.get(rule);
            if (known == null) {
                RuleOrigin origin = byName.get(rule.getPackageName() + "." + rule.getName());
                known = new Known(
                        origin,
                        origin != null && origin.isSpreadsheetRow()
                                ? label(rule.getMetaData().get("band"))
                                : null);
                byRule.putIfAbsent(rule, known);
            }
            return known;
        }
    }
}
