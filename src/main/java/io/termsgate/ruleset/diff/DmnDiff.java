package io.termsgate.ruleset.diff;

import io.termsgate.engine.SafeXml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Difference of two DMN models, element by element: every decision, business knowledge model, decision service,
 * item definition, input data and import is rendered in full as id-free text (see {@link DmnText}) and the
 * renderings compared line by line; a decision table that is a decision's whole logic is also compared rule by rule
 * (aligned by content, so the random ids an editor assigns do not matter). A file whose elements all render the
 * same changed nothing that decides (a shape moved in the diagram) and says so. Works on any DMN version: elements
 * are matched by local name.
 */
final class DmnDiff {

    /** One rule of a decision table: its input entries, output entries and annotations, as written. */
    record Rule(List<String> inputs, List<String> outputs, List<String> annotations) {

        boolean sameLogic(Rule other) {
            return inputs.equals(other.inputs) && outputs.equals(other.outputs);
        }
    }

    /** A rule added, removed or changed; numbers are 1-based positions in the table before and after. */
    record RuleChange(String change, Integer ruleBefore, Integer ruleAfter, Rule before, Rule after) {}

    /**
     * A decision, business knowledge model, decision service, item definition, input data or import that changed.
     * {@code lines} is the line difference of its complete rendering (see {@link DmnText}), which covers every
     * expression however deeply nested; the table fields and {@code rules} repeat, rule by rule, a decision table
     * that is the element's whole logic, and the expression fields a literal expression that is.
     */
    record DecisionChange(
            String decision,
            RulesetDiff.Change change,
            String hitPolicyBefore,
            String hitPolicyAfter,
            List<String> inputsBefore,
            List<String> inputsAfter,
            List<RuleChange> rules,
            String expressionBefore,
            String expressionAfter,
            String kind,
            List<LineDiff.Line> lines) {}

    /** The decisions that changed, and whether anything that decides changed at all. */
    record Comparison(List<DecisionChange> decisions, boolean behaviourChanged, String note) {}

    private record Table(String hitPolicy, List<String> inputs, List<Rule> rules) {}

    private record Logic(String kind, Table table, String expression, String text) {}

    private DmnDiff() {}

    static List<DecisionChange> decisions(byte[] before, byte[] after) {
        return compare(before, after).decisions();
    }

    static Comparison compare(byte[] before, byte[] after) {
        Map<String, Logic> a = before.length == 0 ? Map.of() : parse(before);
        Map<String, Logic> b = after.length == 0 ? Map.of() : parse(after);
        Set<String> names = new LinkedHashSet<>(a.keySet());
        names.addAll(b.keySet());
        List<DecisionChange> changes = new ArrayList<>();
        for (String name : names) {
            Logic x = a.get(name);
            Logic y = b.get(name);
            if (x == null || y == null) {
                Logic present = x == null ? y : x;
                changes.add(new DecisionChange(
                        name,
                        x == null ? RulesetDiff.Change.ADDED : RulesetDiff.Change.REMOVED,
                        x == null || x.table() == null ? null : x.table().hitPolicy(),
                        y == null || y.table() == null ? null : y.table().hitPolicy(),
                        x == null || x.table() == null ? List.of() : x.table().inputs(),
                        y == null || y.table() == null ? List.of() : y.table().inputs(),
                        present.table() == null ? List.of() : rulesOf(x, y),
                        x == null ? null : x.expression(),
                        y == null ? null : y.expression(),
                        present.kind(),
                        LineDiff.lines(x == null ? "" : x.text(), y == null ? "" : y.text())));
                continue;
            }
            if (x.text().equals(y.text())) {
                continue;
            }
            List<RuleChange> rules = x.table() != null && y.table() != null
                    ? align(x.table().rules(), y.table().rules())
                    : rulesOf(x, y);
            changes.add(new DecisionChange(
                    name,
                    RulesetDiff.Change.CHANGED,
                    x.table() == null ? null : x.table().hitPolicy(),
                    y.table() == null ? null : y.table().hitPolicy(),
                    x.table() == null ? List.of() : x.table().inputs(),
                    y.table() == null ? List.of() : y.table().inputs(),
                    rules,
                    x.expression(),
                    y.expression(),
                    y.kind(),
                    LineDiff.lines(x.text(), y.text())));
        }
        if (!changes.isEmpty() || before.length == 0 || after.length == 0) {
            return new Comparison(changes, !changes.isEmpty(), null);
        }
        String diagramBefore = DmnText.diagram(SafeXml.parse(before));
        String diagramAfter = DmnText.diagram(SafeXml.parse(after));
        return new Comparison(
                changes,
                false,
                "no change in behaviour: "
                        + (diagramBefore.equals(diagramAfter)
                                ? "only descriptions, annotations, labels, ids or layout of the " + "file changed"
                                : "only the diagram (the shapes and edges of DMNDI) changed")
                        + "; every decision, business knowledge model, decision service and item definition is as before");
    }

    private static List<RuleChange> rulesOf(Logic x, Logic y) {
        List<Rule> before =
                x == null || x.table() == null ? List.of() : x.table().rules();
        List<Rule> after =
                y == null || y.table() == null ? List.of() : y.table().rules();
        return align(before, after);
    }

    /** Aligns rules by content (longest common subsequence); within each gap, removed and added rules pair up. */
    private static List<RuleChange> align(List<Rule> a, List<Rule> b) {
        int n = a.size();
        int m = b.size();
        int[][] lcs = CommonSubsequence.table(n, m, (x, y) -> a.get(x).sameLogic(b.get(y)));
        List<RuleChange> changes = new ArrayList<>();
        List<Integer> removed = new ArrayList<>();
        List<Integer> added = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).sameLogic(b.get(j))) {
                flush(a, b, removed, added, changes);
                i++;
                j++;
            } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
                added.add(j++);
            } else {
                removed.add(i++);
            }
        }
        flush(a, b, removed, added, changes);
        return changes;
    }

    private static void flush(
            List<Rule> a, List<Rule> b, List<Integer> removed, List<Integer> added, List<RuleChange> changes) {
        int paired = Math.min(removed.size(), added.size());
        for (int k = 0; k < paired; k++) {
            int i = removed.get(k);
            int j = added.get(k);
            changes.add(new RuleChange("changed", i + 1, j + 1, a.get(i), b.get(j)));
        }
        for (int k = paired; k < removed.size(); k++) {
            changes.add(new RuleChange("removed", removed.get(k) + 1, null, a.get(removed.get(k)), null));
        }
        for (int k = paired; k < added.size(); k++) {
            changes.add(new RuleChange("added", null, added.get(k) + 1, null, b.get(added.get(k))));
        }
        removed.clear();
        added.clear();
    }

    private static Map<String, Logic> parse(byte[] xml) {
        Document document = SafeXml.parse(xml);
        DmnText text = new DmnText(document);
        Map<String, Logic> elements = new LinkedHashMap<>();
        for (DmnText.Rendered element : text.elements()) {
            Element logic = element.logic();
            Table table = logic != null && "decisionTable".equals(logic.getLocalName()) ? table(logic) : null;
            String literal = logic != null && "literalExpression".equals(logic.getLocalName())
                    ? text(first(logic, "text"))
                    : null;
            elements.put(element.key(), new Logic(element.kind(), table, literal, element.text()));
        }
        return elements;
    }

    private static Table table(Element table) {
        String hitPolicy = table.getAttribute("hitPolicy").isEmpty() ? "UNIQUE" : table.getAttribute("hitPolicy");
        if (!table.getAttribute("aggregation").isEmpty()) {
            hitPolicy += " " + table.getAttribute("aggregation");
        }
        List<String> inputs = new ArrayList<>();
        for (Element input : children(table, "input")) {
            inputs.add(text(first(first(input, "inputExpression"), "text")));
        }
        List<Rule> rules = new ArrayList<>();
        for (Element rule : children(table, "rule")) {
            rules.add(new Rule(
                    entries(rule, "inputEntry"), entries(rule, "outputEntry"), entries(rule, "annotationEntry")));
        }
        return new Table(hitPolicy, inputs, rules);
    }

    private static List<String> entries(Element rule, String name) {
        List<String> texts = new ArrayList<>();
        for (Element entry : children(rule, name)) {
            texts.add(text(first(entry, "text")));
        }
        return texts;
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e && localName.equals(e.getLocalName())) {
                found.add(e);
            }
        }
        return found;
    }

    private static Element first(Element parent, String localName) {
        if (parent == null) {
            return null;
        }
        NodeList nodes = parent.getElementsByTagNameNS("*", localName);
        return nodes.getLength() == 0 ? null : (Element) nodes.item(0);
    }

    private static String text(Element element) {
        return element == null ? "" : element.getTextContent().strip();
    }
}
