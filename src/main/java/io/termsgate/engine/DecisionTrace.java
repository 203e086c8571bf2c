package io.termsgate.engine;

import java.util.List;
import java.util.Map;

/**
 * Why the engine decided what it did: the DRL rules that fired, the spreadsheet rows that matched, per DMN decision
 * table the rules that matched, the value of every DMN decision, and any engine error.
 */
public record DecisionTrace(
        List<FiredRule> rules,
        List<SpreadsheetRow> spreadsheetRows,
        List<DecisionTableMatch> decisionTables,
        Map<String, Object> decisions,
        List<String> errors) {

    public DecisionTrace {
        rules = List.copyOf(rules);
        spreadsheetRows = List.copyOf(spreadsheetRows);
        decisionTables = List.copyOf(decisionTables);
        decisions = decisions == null
                ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(decisions));
        errors = List.copyOf(errors);
    }

    /** A DRL rule that fired, and the file it is written in. */
    public record FiredRule(String file, String rule) {}

    /**
     * A spreadsheet decision table row that fired: its file, table, 1-based sheet row, the row's own label (the band
     * it describes) and what it did ("Bureau score +25 points", "risk grade B").
     */
    public record SpreadsheetRow(String file, String table, int row, String label, String effect) {}

    /**
     * A DMN decision table of the credit terms model that was evaluated: the rules (1-based, in table order) that
     * matched and the ones whose output was used, with their ids in the model.
     */
    public record DecisionTableMatch(
            String decision, List<Integer> matchedRules, List<Integer> selectedRules, List<String> selectedRuleIds) {

        public DecisionTableMatch {
            matchedRules = List.copyOf(matchedRules);
            selectedRules = List.copyOf(selectedRules);
            selectedRuleIds = List.copyOf(selectedRuleIds);
        }
    }
}
