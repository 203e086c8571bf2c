package io.termsgate.ruleset.diff;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * A DMN model as text an approver can read and a diff can compare: each decision, business knowledge model,
 * decision service, item definition, input data and import in full, one line per thing that decides, each line
 * starting with its path ("decision 'Limit Cap' / context entry 'Cap' / literal: 1000"). Every expression is
 * rendered, however deeply nested (contexts, decision tables with their default outputs, literal expressions,
 * invocations, function definitions with their kind, relations, lists, and anything newer through a generic
 * rendering), so nothing that runs can hide from the diff. What does not decide is left out: ids (references
 * become names), descriptions, labels, annotations, extension elements and the diagram (DMNDI).
 */
final class DmnText {

    /** One element rendered; {@code logic} is its top-level expression (a BKM's function body), if any. */
    record Rendered(String key, String kind, Element logic, String text) {}

    /** Children of a decision that are not its expression. */
    private static final Set<String> NOT_EXPRESSION = Set.of(
            "description",
            "extensionElements",
            "question",
            "allowedAnswers",
            "variable",
            "informationRequirement",
            "knowledgeRequirement",
            "authorityRequirement",
            "supportedObjective",
            "impactedPerformanceIndicator",
            "decisionMaker",
            "decisionOwner",
            "usingProcess",
            "usingTask");
    /** Elements and attributes that never change what a model decides. */
    private static final Set<String> IGNORED =
            Set.of("description", "extensionElements", "annotation", "annotationEntry", "DMNDI");

    private static final Set<String> IGNORED_ATTRIBUTES = Set.of("id", "label", "outputLabel", "name");

    private final Document document;
    private final Map<String, String> namesById = new HashMap<>();

    DmnText(Document document) {
        this.document = document;
        Element root = document.getDocumentElement();
        collectNames(root);
    }

    private void collectNames(Element element) {
        if (!element.getAttribute("id").isEmpty()
                && !element.getAttribute("name").isEmpty()) {
            namesById.put(element.getAttribute("id"), element.getAttribute("name"));
        }
        for (Element child : children(element)) {
            collectNames(child);
        }
    }

    List<Rendered> elements() {
        List<Rendered> rendered = new ArrayList<>();
        for (Element e : children(document.getDocumentElement())) {
            String name = e.getAttribute("name");
            List<String> out = new ArrayList<>();
            switch (e.getLocalName()) {
                case "import" -> {
                    String key = name.isEmpty() ? e.getAttribute("namespace") : name;
                    out.add("import '" + key + "': namespace " + e.getAttribute("namespace") + ", type "
                            + e.getAttribute("importType") + ", location " + e.getAttribute("locationURI"));
                    rendered.add(new Rendered(key + " (import)", "import", null, String.join("\n", out)));
                }
                case "itemDefinition" -> {
                    itemDefinition(e, "item definition '" + name + "'", out);
                    rendered.add(new Rendered(name + " (item definition)", "item definition", null, join(out)));
                }
                case "inputData" -> {
                    out.add("input data '" + name + "': type " + variableType(e));
                    rendered.add(new Rendered(name + " (input data)", "input data", null, join(out)));
                }
                case "decision" -> {
                    String path = "decision '" + name + "'";
                    out.add(path + ": type " + variableType(e));
                    requirements(e, path, out);
                    Element logic = expressionOf(e);
                    if (logic != null) {
                        expression(logic, path, out);
                    } else {
                        out.add(path + ": no expression");
                    }
                    rendered.add(new Rendered(name, "decision", logic, join(out)));
                }
                case "businessKnowledgeModel" -> {
                    String path = "business knowledge model '" + name + "'";
                    out.add(path + ": type " + variableType(e));
                    requirements(e, path, out);
                    Element function = child(e, "encapsulatedLogic");
                    Element body = null;
                    if (function != null) {
                        function(function, path, out);
                        body = expressionOf(function);
                    } else {
                        out.add(path + ": no logic");
                    }
                    rendered.add(new Rendered(
                            name + " (business knowledge model)", "business knowledge model", body, join(out)));
                }
                case "decisionService" -> {
                    String path = "decision service '" + name + "'";
                    out.add(path + ": type " + variableType(e));
                    for (String part :
                            List.of("outputDecision", "encapsulatedDecision", "inputDecision", "inputData")) {
                        for (Element ref : children(e, part)) {
                            out.add(path + " / " + words(part) + " '" + reference(ref) + "'");
                        }
                    }
                    rendered.add(new Rendered(name + " (decision service)", "decision service", null, join(out)));
                }
                default -> {
                    // knowledge sources, text annotations, associations, groups: documentation, nothing runs
                }
            }
        }
        return rendered;
    }

    /** The diagram (DMNDI) as text: compared only to say that a change was to the diagram alone. */
    static String diagram(Document document) {
        List<String> out = new ArrayList<>();
        for (Element e : children(document.getDocumentElement())) {
            if (e.getLocalName().equals("DMNDI")) {
                dump(e, out);
            }
        }
        return String.join("\n", out);
    }

    private static void dump(Element e, List<String> out) {
        StringBuilder line = new StringBuilder(e.getLocalName());
        attributes(e, Set.of())
                .forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        if (children(e).isEmpty()) {
            line.append(' ').append(e.getTextContent().strip());
        }
        out.add(line.toString());
        children(e).forEach(c -> dump(c, out));
    }

    private void itemDefinition(Element e, String path, List<String> out) {
        Element typeRef = child(e, "typeRef");
        StringBuilder line = new StringBuilder(path).append(": ");
        line.append(
                typeRef != null
                        ? "type " + text(typeRef)
                        : children(e, "itemComponent").isEmpty() ? "any type" : "structure");
        if ("true".equals(e.getAttribute("isCollection"))) {
            line.append(", collection");
        }
        if (!e.getAttribute("typeLanguage").isEmpty()) {
            line.append(", type language ").append(e.getAttribute("typeLanguage"));
        }
        out.add(line.toString());
        for (Element constraint : children(e)) {
            switch (constraint.getLocalName()) {
                case "allowedValues" -> textLines(path + " / allowed values", constraint, out);
                case "typeConstraint" -> textLines(path + " / type constraint", constraint, out);
                case "itemComponent" ->
                    itemDefinition(constraint, path + " / component '" + constraint.getAttribute("name") + "'", out);
                case "functionItem" -> generic(constraint, path, out);
                default -> {
                    // typeRef is on the first line; description and extensions do not decide
                }
            }
        }
    }

    private void requirements(Element e, String path, List<String> out) {
        for (Element requirement : children(e, "informationRequirement")) {
            for (Element ref : children(requirement)) {
                out.add(path + " / requires " + (ref.getLocalName().equals("requiredInput") ? "input" : "decision")
                        + " '" + reference(ref) + "'");
            }
        }
        for (Element requirement : children(e, "knowledgeRequirement")) {
            for (Element ref : children(requirement)) {
                out.add(path + " / requires knowledge '" + reference(ref) + "'");
            }
        }
    }

    private void expression(Element e, String path, List<String> out) {
        switch (e.getLocalName()) {
            case "literalExpression" -> {
                Element text = child(e, "text");
                if (text == null) {
                    generic(e, path, out);
                } else {
                    textLines(path + " / literal" + type(e), text, out);
                }
            }
            case "decisionTable" -> decisionTable(e, path + " / decision table", out);
            case "context" -> {
                if (!type(e).isEmpty()) {
                    out.add(path + " / context" + type(e));
                }
                for (Element entry : children(e, "contextEntry")) {
                    Element variable = child(entry, "variable");
                    String entryPath = variable == null
                            ? path + " / context result"
                            : path + " / context entry '" + variable.getAttribute("name") + "'"
                                    + typeOf(variable.getAttribute("typeRef"));
                    Element value = expressionOf(entry);
                    if (value == null) {
                        out.add(entryPath + ": no expression");
                    } else {
                        expression(value, entryPath, out);
                    }
                }
            }
            case "invocation" -> {
                Element called = expressionOf(e);
                out.add(path + " / invocation" + type(e) + " of: "
                        + (called == null ? "" : text(child(called, "text"))));
                for (Element binding : children(e, "binding")) {
                    Element parameter = child(binding, "parameter");
                    String bindingPath = path + " / invocation / binding '"
                            + (parameter == null ? "" : parameter.getAttribute("name")) + "'";
                    Element value = expressionOf(binding);
                    if (value == null) {
                        out.add(bindingPath + ": null");
                    } else {
                        expression(value, bindingPath, out);
                    }
                }
            }
            case "functionDefinition" -> function(e, path, out);
            case "relation" -> {
                List<String> columns = new ArrayList<>();
                for (Element column : children(e, "column")) {
                    columns.add(column.getAttribute("name") + typeOf(column.getAttribute("typeRef")));
                }
                out.add(path + " / relation" + type(e) + ": columns " + String.join(", ", columns));
                int r = 0;
                for (Element row : children(e, "row")) {
                    r++;
                    int c = 0;
                    for (Element cell : children(row)) {
                        String column = c < columns.size() ? columns.get(c) : "column " + (c + 1);
                        c++;
                        expression(cell, path + " / relation row " + r + " / '" + column + "'", out);
                    }
                }
            }
            case "list" -> {
                out.add(path + " / list" + type(e) + " of " + children(e).size());
                int i = 0;
                for (Element item : children(e)) {
                    expression(item, path + " / list item " + (++i), out);
                }
            }
            default -> generic(e, path, out);
        }
    }

    private void function(Element e, String path, List<String> out) {
        String kind = e.getAttribute("kind").isEmpty() ? "FEEL" : e.getAttribute("kind");
        List<String> parameters = new ArrayList<>();
        for (Element parameter : children(e, "formalParameter")) {
            parameters.add(parameter.getAttribute("name") + typeOf(parameter.getAttribute("typeRef")));
        }
        String functionPath = path + " / function (" + String.join(", ", parameters) + ")";
        out.add(functionPath + ": kind " + kind + type(e));
        Element body = expressionOf(e);
        if (body == null) {
            out.add(functionPath + ": no body");
        } else {
            expression(body, functionPath, out);
        }
    }

    private void decisionTable(Element table, String path, List<String> out) {
        String hitPolicy = table.getAttribute("hitPolicy").isEmpty() ? "UNIQUE" : table.getAttribute("hitPolicy");
        String aggregation = table.getAttribute("aggregation");
        out.add(path + ": hit policy " + hitPolicy + (aggregation.isEmpty() ? "" : " " + aggregation) + type(table));
        int k = 0;
        for (Element input : children(table, "input")) {
            Element expression = child(input, "inputExpression");
            String inputPath = path + " / input " + (++k);
            out.add(inputPath + ": " + (expression == null ? "" : text(child(expression, "text")) + type(expression)));
            Element values = child(input, "inputValues");
            if (values != null) {
                textLines(inputPath + " / allowed values", values, out);
            }
        }
        k = 0;
        for (Element output : children(table, "output")) {
            String outputPath = path + " / output " + (++k);
            out.add(outputPath + ":"
                    + (output.getAttribute("name").isEmpty() ? "" : " '" + output.getAttribute("name") + "'")
                    + typeOf(output.getAttribute("typeRef")));
            Element values = child(output, "outputValues");
            if (values != null) {
                textLines(outputPath + " / allowed values", values, out);
            }
            Element fallback = child(output, "defaultOutputEntry");
            if (fallback != null) {
                textLines(outputPath + " / default output", fallback, out);
            }
        }
        for (Element rule : children(table, "rule")) {
            List<String> when = new ArrayList<>();
            List<String> then = new ArrayList<>();
            children(rule, "inputEntry").forEach(entry -> when.add(oneLine(entry)));
            children(rule, "outputEntry").forEach(entry -> then.add(oneLine(entry)));
            out.add(path + " / rule: " + String.join(" | ", when) + " → " + String.join(" | ", then));
        }
    }

    /** Whatever this renderer has no words for: the element, its attributes and its children, recursively. */
    private void generic(Element e, String path, List<String> out) {
        if (IGNORED.contains(e.getLocalName())) {
            return;
        }
        String elementPath = path + " / " + e.getLocalName()
                + (e.getAttribute("name").isEmpty() ? "" : " '" + e.getAttribute("name") + "'");
        Map<String, String> attributes = attributes(e, IGNORED_ATTRIBUTES);
        List<Element> children = children(e);
        if (children.isEmpty()) {
            out.add(elementPath + attributeText(attributes) + ": " + oneLine(e));
            return;
        }
        out.add(elementPath + attributeText(attributes));
        for (Element child : children) {
            if (child.getLocalName().equals("text")) {
                textLines(elementPath + " / text", child, out);
            } else {
                generic(child, elementPath, out);
            }
        }
    }

    private static String attributeText(Map<String, String> attributes) {
        StringBuilder text = new StringBuilder();
        attributes.forEach((k, v) ->
                text.append(text.isEmpty() ? " (" : ", ").append(k).append('=').append(v));
        return text.isEmpty() ? "" : text.append(')').toString();
    }

    private static Map<String, String> attributes(Element e, Set<String> ignored) {
        Map<String, String> attributes = new TreeMap<>();
        NamedNodeMap all = e.getAttributes();
        for (int i = 0; i < all.getLength(); i++) {
            Node a = all.item(i);
            String name = a.getLocalName() == null ? a.getNodeName() : a.getLocalName();
            if (!ignored.contains(name) && !a.getNodeName().startsWith("xmlns")) {
                attributes.put(name, a.getNodeValue());
            }
        }
        return attributes;
    }

    /** One line per line of the element's text; FEEL's layout (indentation, blank lines) does not decide. */
    private static void textLines(String path, Element e, List<String> out) {
        Element text = e.getLocalName().equals("text") ? e : child(e, "text");
        String content = text == null ? e.getTextContent() : text.getTextContent();
        List<String> lines = content.strip()
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .toList();
        if (lines.isEmpty()) {
            out.add(path + ": (empty)");
        }
        for (String line : lines) {
            out.add(path + ": " + line);
        }
    }

    private static String oneLine(Element e) {
        Element text = child(e, "text");
        String content = (text == null ? e.getTextContent() : text.getTextContent()).strip();
        return String.join(
                " ",
                content.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }

    private String reference(Element ref) {
        String href = ref.getAttribute("href");
        if (href.startsWith("#")) {
            String name = namesById.get(href.substring(1));
            return name == null ? href : name;
        }
        return href;
    }

    private static String variableType(Element e) {
        Element variable = child(e, "variable");
        String typeRef = variable == null ? "" : variable.getAttribute("typeRef");
        return typeRef.isEmpty() ? "(none)" : typeRef;
    }

    private static Element expressionOf(Element e) {
        for (Element child : children(e)) {
            if (!NOT_EXPRESSION.contains(child.getLocalName())
                    && !IGNORED.contains(child.getLocalName())
                    && !Set.of("formalParameter", "binding", "parameter").contains(child.getLocalName())) {
                return child;
            }
        }
        return null;
    }

    private static String type(Element e) {
        return typeOf(e.getAttribute("typeRef"));
    }

    private static String typeOf(String typeRef) {
        return typeRef == null || typeRef.isEmpty() ? "" : " [" + typeRef + "]";
    }

    private static String words(String camelCase) {
        return camelCase.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String join(List<String> lines) {
        return String.join("\n", lines);
    }

    private static String text(Element e) {
        return e == null ? "" : e.getTextContent().strip();
    }

    private static Element child(Element parent, String localName) {
        for (Element child : children(parent)) {
            if (child.getLocalName().equals(localName)) {
                return child;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String localName) {
        return children(parent).stream()
                .filter(c -> c.getLocalName().equals(localName))
                .toList();
    }

    private static List<Element> children(Element parent) {
        List<Element> found = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e) {
                found.add(e);
            }
        }
        return found;
    }
}
