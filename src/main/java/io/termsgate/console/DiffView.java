package io.termsgate.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.termsgate.ruleset.diff.RulesetDiff;
import java.util.ArrayList;
import java.util.List;

/**
 * A ruleset diff laid out side by side for a page: spreadsheet cells (and formulas) before and after with the rules
 * generated from them, DMN elements line by line and their table rules before and after with the entries that
 * differ marked, DRL and CSV lines paired up in hunks. Built from the diff's JSON form, the
 * same one the API answers, so the page and the API always show the same differences.
 */
record DiffView(String from, String to, List<FileView> files) {

    /** One file; only the list that fits its kind is filled. */
    record FileView(
            String path,
            String change,
            String kind,
            String note,
            List<CellRow> cells,
            List<DecisionTableChange> decisions,
            List<LinePair> lines,
            List<GeneratedRule> rules,
            Boolean behaviourChanged) {

        public boolean isChanged() {
            return !change.equals(RulesetDiff.Change.UNCHANGED.name());
        }

        /** Changed bytes, same behaviour: a shape moved, a workbook saved again. */
        public boolean isBehaviourUnchanged() {
            return isChanged() && Boolean.FALSE.equals(behaviourChanged);
        }
    }

    record CellRow(
            String sheet,
            String cell,
            String rowLabel,
            String before,
            String after,
            String formulaBefore,
            String formulaAfter,
            String note) {}

    /** A rule generated from a spreadsheet row, before and after; a null side is none. */
    record GeneratedRule(
            String change,
            String sheet,
            String table,
            Integer rowBefore,
            Integer rowAfter,
            String before,
            String after) {}

    record DecisionTableChange(
            String decision,
            String change,
            String hitPolicyBefore,
            String hitPolicyAfter,
            List<String> inputsBefore,
            List<String> inputsAfter,
            boolean tableChanged,
            List<RulePair> rules,
            String expressionBefore,
            String expressionAfter,
            String kind,
            List<LinePair> lines) {

        public boolean isExpressionChanged() {
            return expressionBefore != null || expressionAfter != null;
        }
    }

    /** A rule before and after: "changed", "added" or "removed"; numbers are 1-based positions in each table. */
    record RulePair(String change, Integer ruleBefore, Integer ruleAfter, List<Entry> before, List<Entry> after) {}

    /** An input or output entry of a rule; {@code changed} when the other side differs at the same place. */
    record Entry(String column, String text, boolean changed, boolean output) {}

    /** A row of a side-by-side line diff; a null side is empty. {@code gap} starts a new hunk. */
    record LinePair(Integer oldLine, String oldText, Integer newLine, String newText, boolean gap) {}

    public List<FileView> getChangedFiles() {
        return files.stream().filter(FileView::isChanged).toList();
    }

    public List<FileView> getUnchangedFiles() {
        return files.stream().filter(f -> !f.isChanged()).toList();
    }

    static DiffView of(RulesetDiff.Report report, ObjectMapper json) {
        JsonNode root = json.valueToTree(report);
        List<FileView> files = new ArrayList<>();
        for (JsonNode file : root.path("files")) {
            files.add(new FileView(
                    file.path("path").asText(),
                    file.path("change").asText(),
                    file.path("kind").asText(),
                    text(file.get("note")),
                    cells(file.path("cells")),
                    decisions(file.path("decisions")),
                    lines(file.path("lines")),
                    generatedRules(file.path("rules")),
                    file.path("behaviourChanged").isBoolean()
                            ? file.get("behaviourChanged").asBoolean()
                            : null));
        }
        return new DiffView(report.from(), report.to(), files);
    }

    private static List<CellRow> cells(JsonNode cells) {
        List<CellRow> rows = new ArrayList<>();
        for (JsonNode c : cells) {
            rows.add(new CellRow(
                    c.path("sheet").asText(),
                    c.path("cell").asText(),
                    text(c.get("rowLabel")),
                    c.path("before").asText(),
                    c.path("after").asText(),
                    text(c.get("formulaBefore")),
                    text(c.get("formulaAfter")),
                    text(c.get("note"))));
        }
        return rows;
    }

    private static List<GeneratedRule> generatedRules(JsonNode rules) {
        List<GeneratedRule> views = new ArrayList<>();
        for (JsonNode r : rules) {
            views.add(new GeneratedRule(
                    r.path("change").asText(),
                    text(r.get("sheet")),
                    text(r.get("table")),
                    integer(r.get("rowBefore")),
                    integer(r.get("rowAfter")),
                    text(r.get("before")),
                    text(r.get("after"))));
        }
        return views;
    }

    private static List<DecisionTableChange> decisions(JsonNode decisions) {
        List<DecisionTableChange> views = new ArrayList<>();
        for (JsonNode d : decisions) {
            List<String> inputsBefore = strings(d.path("inputsBefore"));
            List<String> inputsAfter = strings(d.path("inputsAfter"));
            String hitBefore = text(d.get("hitPolicyBefore"));
            String hitAfter = text(d.get("hitPolicyAfter"));
            boolean tableChanged = d.path("change").asText().equals("CHANGED")
                    && (!inputsBefore.equals(inputsAfter) || !java.util.Objects.equals(hitBefore, hitAfter));
            List<RulePair> rules = new ArrayList<>();
            for (JsonNode r : d.path("rules")) {
                List<String> inBefore = strings(r.path("before").path("inputs"));
                List<String> outBefore = strings(r.path("before").path("outputs"));
                List<String> inAfter = strings(r.path("after").path("inputs"));
                List<String> outAfter = strings(r.path("after").path("outputs"));
                boolean both = !r.path("before").isMissingNode()
                        && !r.path("before").isNull()
                        && !r.path("after").isMissingNode()
                        && !r.path("after").isNull();
                rules.add(new RulePair(
                        r.path("change").asText(),
                        integer(r.get("ruleBefore")),
                        integer(r.get("ruleAfter")),
                        entries(inBefore, outBefore, inAfter, outAfter, inputsBefore, both),
                        entries(inAfter, outAfter, inBefore, outBefore, inputsAfter, both)));
            }
            views.add(new DecisionTableChange(
                    d.path("decision").asText(),
                    d.path("change").asText(),
                    hitBefore,
                    hitAfter,
                    inputsBefore,
                    inputsAfter,
                    tableChanged,
                    rules,
                    text(d.get("expressionBefore")),
                    text(d.get("expressionAfter")),
                    d.path("kind").asText("decision"),
                    lines(d.path("lines"))));
        }
        return views;
    }

    private static List<Entry> entries(
            List<String> inputs,
            List<String> outputs,
            List<String> otherInputs,
            List<String> otherOutputs,
            List<String> columns,
            boolean compare) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            String column = i < columns.size() ? columns.get(i) : "input " + (i + 1);
            entries.add(
                    new Entry(column, inputs.get(i), compare && !inputs.get(i).equals(at(otherInputs, i)), false));
        }
        for (int i = 0; i < outputs.size(); i++) {
            String column = outputs.size() == 1 ? "output" : "output " + (i + 1);
            entries.add(
                    new Entry(column, outputs.get(i), compare && !outputs.get(i).equals(at(otherOutputs, i)), true));
        }
        return entries;
    }

    /**
     * Pairs removed and added lines hunk by hunk. Between two changes the unchanged lines advance the old and the
     * new text alike, so a jump in either line number beyond the last change marks a new hunk.
     */
    private static List<LinePair> lines(JsonNode lines) {
        List<LinePair> pairs = new ArrayList<>();
        List<JsonNode> removed = new ArrayList<>();
        List<JsonNode> added = new ArrayList<>();
        int oldPos = -1;
        int newPos = -1;
        boolean gap = false;
        for (JsonNode line : lines) {
            boolean minus = line.path("op").asText().equals("-");
            int number =
                    minus ? line.path("oldLine").asInt() : line.path("newLine").asInt();
            if (oldPos < 0) {
                oldPos = number - 1;
                newPos = number - 1;
            }
            int skipped = number - 1 - (minus ? oldPos : newPos);
            if (skipped > 0) {
                flush(removed, added, pairs, gap);
                gap = !pairs.isEmpty();
                oldPos += skipped;
                newPos += skipped;
            }
            if (minus) {
                removed.add(line);
                oldPos = number;
            } else {
                added.add(line);
                newPos = number;
            }
        }
        flush(removed, added, pairs, gap);
        return pairs;
    }

    private static void flush(List<JsonNode> removed, List<JsonNode> added, List<LinePair> pairs, boolean gap) {
        int rows = Math.max(removed.size(), added.size());
        for (int i = 0; i < rows; i++) {
            JsonNode old = i < removed.size() ? removed.get(i) : null;
            JsonNode now = i < added.size() ? added.get(i) : null;
            pairs.add(new LinePair(
                    old == null ? null : old.path("oldLine").asInt(),
                    old == null ? null : old.path("text").asText(),
                    now == null ? null : now.path("newLine").asInt(),
                    now == null ? null : now.path("text").asText(),
                    gap && i == 0));
        }
        removed.clear();
        added.clear();
    }

    private static String at(List<String> list, int i) {
        return i < list.size() ? list.get(i) : null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        array.forEach(s -> strings.add(s.asText()));
        return strings;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static Integer integer(JsonNode node) {
        return node == null || node.isNull() ? null : node.asInt();
    }
}
