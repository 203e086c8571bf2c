package io.termsgate.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.termsgate.engine.RulesetPaths;
import io.termsgate.engine.RulesetSource;
import io.termsgate.engine.SpreadsheetRules;
import io.termsgate.ruleset.RulesetLifecycle;
import io.termsgate.ruleset.diff.RulesetDiff;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * The rules of every DMN decision table of a version, as written, so a trace that says "rule 3 of Risk Route
 * matched" can show what rule 3 says. Read through the ruleset diff (a version compared with nothing lists every
 * rule as added), which already knows how to read any DMN model; versions never change, so they are kept.
 */
@Component
class DmnRules {

    private static final int KEEP = 8;

    /** A rule of a decision table: its 1-based number, and its input and output entries in words. */
    record Rule(int number, String when, String then) {}

    private final RulesetLifecycle rulesets;
    private final ObjectMapper json;
    private final SpreadsheetRules spreadsheetRules;
    private final Map<String, Map<String, List<Rule>>> byVersion = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, List<Rule>>> eldest) {
            return size() > KEEP;
        }
    };

    DmnRules(RulesetLifecycle rulesets, ObjectMapper json, SpreadsheetRules spreadsheetRules) {
        this.spreadsheetRules = spreadsheetRules;
        this.rulesets = rulesets;
        this.json = json;
    }

    /** Decision name to its rules, for the DMN models of {@code version}; empty when there are none. */
    Map<String, List<Rule>> of(String version) {
        synchronized (byVersion) {
            Map<String, List<Rule>> known = byVersion.get(version);
            if (known != null) {
                return known;
            }
        }
        Map<String, List<Rule>> rules = read(version);
        synchronized (byVersion) {
            byVersion.put(version, rules);
        }
        return rules;
    }

    private Map<String, List<Rule>> read(String version) {
        Map<String, byte[]> models = new TreeMap<>();
        rulesets.load(version)
                .ifPresent(source -> source.files().forEach((path, bytes) -> {
                    if (RulesetPaths.kindOf(path) == RulesetPaths.Kind.DMN) {
                        models.put(path, bytes);
                    }
                }));
        if (models.isEmpty()) {
            return Map.of();
        }
        DiffView all = DiffView.of(
                RulesetDiff.between(RulesetSource.of(Map.of()), RulesetSource.of(models), spreadsheetRules), json);
        Map<String, List<Rule>> rules = new HashMap<>();
        for (DiffView.FileView file : all.files()) {
            for (DiffView.DecisionTableChange decision : file.decisions()) {
                rules.put(
                        decision.decision(),
                        decision.rules().stream()
                                .filter(r -> r.ruleAfter() != null)
                                .map(r -> new Rule(r.ruleAfter(), words(r.after(), true), words(r.after(), false)))
                                .toList());
            }
        }
        return Map.copyOf(rules);
    }

    /** "Grade is "B"; Overage is <= 0" for the inputs ("-", any value, left out), the outputs as written. */
    private static String words(List<DiffView.Entry> entries, boolean inputs) {
        List<String> words = entries.stream()
                .filter(e -> e.output() != inputs)
                .filter(e -> !inputs || !(e.text().isBlank() || e.text().equals("-")))
                .map(e -> inputs ? e.column() + ": " + e.text() : e.text())
                .toList();
        return words.isEmpty() && inputs ? "any input" : String.join("; ", words);
    }
}
