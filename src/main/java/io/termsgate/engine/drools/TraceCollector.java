package io.termsgate.engine.drools;

import io.termsgate.engine.DecisionTrace;
import io.termsgate.engine.facts.RiskScorecard;
import java.util.ArrayList;
import java.util.HashMap;
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

    private final Map<String, RuleOrigin> origins;
    private final String dmnModel;
    private final RiskScorecard scorecard;
    private final List<DecisionTrace.FiredRule> rules = new ArrayList<>();
    private final List<DecisionTrace.SpreadsheetRow> rows = new ArrayList<>();
    private final List<DecisionTrace.DecisionTableMatch> tables = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private Map<String, Object> decisions = Map.of();
    /** Sheet rows by the characteristic they awarded points for, to name them when bands overlap. */
    private final Map<String, List<Integer>> rowsByCharacteristic = new HashMap<>();
    private int awardsBefore;
    private int gradesBefore;

    TraceCollector(Map<String, RuleOrigin> origins, String dmnModel, RiskScorecard scorecard) {
        this.origins = origins;
        this.dmnModel = dmnModel;
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
        RuleOrigin origin = origins.get(rule.getPackageName() + "." + rule.getName());
        if (origin != null && origin.isSpreadsheetRow()) {
            Object band = rule.getMetaData().get("band");
            rows.add(new DecisionTrace.SpreadsheetRow(origin.file(), origin.table(), origin.row(), rule.getName(),
                    band == null ? null : band.toString(), effect()));
            List<RiskScorecard.Award> awards = scorecard.getAwards();
            for (int i = awardsBefore; i < awards.size(); i++) {
                rowsByCharacteristic.computeIfAbsent(awards.get(i).characteristic(), c -> new ArrayList<>())
                        .add(origin.row());
            }
        } else {
            rules.add(new DecisionTrace.FiredRule(origin == null ? null : origin.file(), rule.getName()));
        }
    }

    // nothing to record when matches come and go: only firings count
    @Override
    public void matchCreated(MatchCreatedEvent event) {
    }

    @Override
    public void matchCancelled(MatchCancelledEvent event) {
    }

    private String effect() {
        StringBuilder effect = new StringBuilder();
        List<RiskScorecard.Award> awards = scorecard.getAwards();
        for (int i = awardsBefore; i < awards.size(); i++) {
            RiskScorecard.Award award = awards.get(i);
            effect.append(effect.isEmpty() ? "" : "; ").append(award.characteristic()).append(' ')
                    .append(award.points() >= 0 ? "+" : "").append(award.points()).append(" points");
        }
        List<String> grades = scorecard.getGrades();
        for (int i = gradesBefore; i < grades.size(); i++) {
            effect.append(effect.isEmpty() ? "" : "; ").append("risk grade ").append(grades.get(i));
        }
        return effect.toString();
    }

    void decisionTable(AfterEvaluateDecisionTableEvent event) {
        tables.add(new DecisionTrace.DecisionTableMatch(dmnModel, event.getNodeName(), event.getMatches(),
                event.getSelected(), event.getSelectedIds() == null ? List.of() : event.getSelectedIds()));
    }

    List<Integer> rowsAwarding(String characteristic) {
        return rowsByCharacteristic.getOrDefault(characteristic, List.of());
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
}
