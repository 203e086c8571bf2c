package io.termsgate.engine.drools;

import io.termsgate.engine.RulesetProblem;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;
import org.kie.dmn.feel.parser.feel11.FEEL_1_1Lexer;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The DMN half of the policy language, checked on the XML before a model is compiled. DMN and FEEL have three ways
 * out of a decision model into the service's JVM or beyond, and all three are refused with their decision:
 * <ul>
 *   <li>a function definition whose kind is not FEEL (Java or PMML functions call code on the classpath);</li>
 *   <li>a FEEL {@code function(...) external {...}} (the same, written in FEEL);</li>
 *   <li>an import of a model that is not in the bundle (the runtime would look for it elsewhere).</li>
 * </ul>
 * And FEEL that only ends by exhausting the stack or the time is refused where it can be seen: business knowledge
 * models that invoke themselves (directly or round a cycle), a function in a context that calls itself, and
 * iteration over a range with a computed bound or of more than {@value #MAX_ITERATIONS} values. What cannot be seen
 * this way is stopped by the sandbox's time and memory budget when a candidate is validated, and by the safe
 * referral when a decision fails.
 */
final class DmnPolicyLanguage {

    static final int MAX_ITERATIONS = 100_000;

    private static final Set<String> DMN_IMPORT_TYPES = Set.of(
            "http://www.omg.org/spec/DMN/20151101/dmn.xsd", "http://www.omg.org/spec/DMN/20180521/MODEL/",
            "https://www.omg.org/spec/DMN/20191111/MODEL/", "https://www.omg.org/spec/DMN/20211108/MODEL/",
            "https://www.omg.org/spec/DMN/20230324/MODEL/", "https://www.omg.org/spec/DMN/20240513/MODEL/");

    private static final Set<String> NAMED =
            Set.of("decision", "businessKnowledgeModel", "decisionService", "itemDefinition", "inputData");

    private final String file;
    private final Map<String, String> places;
    private final List<RulesetProblem> problems = new ArrayList<>();

    private DmnPolicyLanguage(String file, Map<String, String> places) {
        this.file = file;
        this.places = places;
    }

    /** The namespace a DMN file declares, for telling imports within the bundle from the rest. */
    static String namespaceOf(Document dmn) {
        return dmn.getDocumentElement().getAttribute("namespace");
    }

    /**
     * @param places readable places by element id ({@link DmnLocations})
     * @param bundle the namespaces of every DMN model in the ruleset
     */
    static List<RulesetProblem> check(String file, Document dmn, Map<String, String> places, Set<String> bundle) {
        DmnPolicyLanguage check = new DmnPolicyLanguage(file, places);
        check.walk(
                dmn.getDocumentElement(), "model '" + dmn.getDocumentElement().getAttribute("name") + "'", bundle);
        check.checkKnowledgeCycles(dmn.getDocumentElement());
        return check.problems;
    }

    private void refuse(String where, String message) {
        problems.add(RulesetProblem.error(file, where, message));
    }

    private void walk(Element element, String where, Set<String> bundle) {
        String local = element.getLocalName() == null ? element.getTagName() : element.getLocalName();
        String id = element.getAttribute("id");
        if (NAMED.contains(local)) {
            where = places.getOrDefault(id, local + " '" + element.getAttribute("name") + "'");
        } else if (!id.isEmpty() && places.containsKey(id)) {
            where = places.get(id);
        }
        switch (local) {
            case "functionDefinition", "encapsulatedLogic" -> {
                String kind = kindOf(element);
                if (!kind.isEmpty() && !kind.equalsIgnoreCase("FEEL")) {
                    refuse(
                            where,
                            "a function definition of kind " + kind + " calls code outside the policy language; "
                                    + "only FEEL functions are allowed");
                }
            }
            case "import" -> {
                String type = element.getAttribute("importType");
                String namespace = element.getAttribute("namespace");
                if (!DMN_IMPORT_TYPES.contains(type) || !bundle.contains(namespace)) {
                    refuse(
                            where,
                            "the import of " + (namespace.isEmpty() ? element.getAttribute("locationURI") : namespace)
                                    + " (" + type + ") is not a DMN model of this ruleset; a model may import "
                                    + "only the other DMN files uploaded with it");
                }
            }
            case "contextEntry" -> checkSelfCall(element, where);
            case "context" -> {
                if (hasEntry(element, "class") && hasEntry(element, "method signature")) {
                    refuse(
                            where,
                            "a context with 'class' and 'method signature' describes a Java function; only FEEL "
                                    + "functions are allowed");
                }
            }
            case "text" -> checkFeel(element.getTextContent(), where);
            default -> {
                // structure: nothing of its own to check
            }
        }
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e) {
                walk(e, where, bundle);
            }
        }
    }

    /** The {@code kind} of a function definition, whatever namespace prefix the attribute carries. */
    private static String kindOf(Element element) {
        var attributes = element.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            Node attribute = attributes.item(i);
            String name = attribute.getLocalName() == null ? attribute.getNodeName() : attribute.getLocalName();
            if (name.equals("kind") || name.endsWith(":kind")) {
                String value = attribute.getNodeValue().strip();
                if (!value.equalsIgnoreCase("FEEL")) {
                    return value.isEmpty() ? "(empty)" : value;
                }
            }
        }
        return "";
    }

    private static boolean hasEntry(Element context, String name) {
        for (Node child = context.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element entry && "contextEntry".equals(entry.getLocalName())) {
                Element variable = firstChild(entry, "variable");
                if (variable != null && variable.getAttribute("name").strip().equals(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A context entry that defines a function calling itself: recursion without a bound. */
    private void checkSelfCall(Element entry, String where) {
        Element variable = firstChild(entry, "variable");
        if (variable == null) {
            return;
        }
        String name = variable.getAttribute("name").strip();
        if (name.isEmpty()) {
            return;
        }
        String body = entry.getTextContent();
        boolean function = firstChild(entry, "functionDefinition") != null
                || body.strip().toLowerCase(Locale.ROOT).startsWith("function")
                || body.contains("function(")
                || body.contains("function (");
        if (function && callsName(body, name)) {
            refuse(
                    where,
                    "the function '" + name + "' calls itself; recursion is not allowed in the policy "
                            + "language, as it only ends by running out of stack");
        }
    }

    private static boolean callsName(String text, String name) {
        int at = text.indexOf(name);
        while (at >= 0) {
            int after = at + name.length();
            boolean startOk = at == 0 || !Character.isLetterOrDigit(text.charAt(at - 1));
            int next = after;
            while (next < text.length() && Character.isWhitespace(text.charAt(next))) {
                next++;
            }
            if (startOk && next < text.length() && text.charAt(next) == '(') {
                return true;
            }
            at = text.indexOf(name, after);
        }
        return false;
    }

    /** External functions and unbounded iteration, found in FEEL's own tokens. */
    private void checkFeel(String text, String where) {
        if (text == null || text.isBlank()) {
            return;
        }
        List<Token> tokens = new ArrayList<>();
        FEEL_1_1Lexer lexer = new FEEL_1_1Lexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        for (Token token = lexer.nextToken(); token.getType() != Token.EOF; token = lexer.nextToken()) {
            int type = token.getType();
            if (type != FEEL_1_1Lexer.WS && type != FEEL_1_1Lexer.COMMENT && type != FEEL_1_1Lexer.LINE_COMMENT) {
                tokens.add(token);
            }
        }
        BigInteger iterations = BigInteger.ONE;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.getType() == FEEL_1_1Lexer.EXTERNAL
                    && i > 0
                    && tokens.get(i - 1).getType() == FEEL_1_1Lexer.RPAREN) {
                refuse(
                        where,
                        "a FEEL external function (function(...) external {...}) calls Java; only FEEL "
                                + "functions are allowed");
                return;
            }
            if (token.getType() == FEEL_1_1Lexer.DOT
                    && i + 1 < tokens.size()
                    && tokens.get(i + 1).getText().equals("class")) {
                refuse(where, "'.class' reaches the Java object behind a value; it is not part of FEEL");
                return;
            }
            if (token.getType() == FEEL_1_1Lexer.IN) {
                BigInteger span = rangeAfter(tokens, i + 1);
                if (span == null) {
                    continue;
                }
                if (span.signum() < 0) {
                    refuse(
                            where,
                            "iteration over a range with a computed bound ('for ... in a..b' where a or b is "
                                    + "not a number) is not allowed: it could run without end");
                    return;
                }
                iterations = iterations.multiply(span);
                if (iterations.compareTo(BigInteger.valueOf(MAX_ITERATIONS)) > 0) {
                    refuse(
                            where,
                            "iteration over " + iterations + " values is more than the " + MAX_ITERATIONS
                                    + " the policy language allows");
                    return;
                }
            }
        }
    }

    /**
     * The number of values of a {@code a..b} range right after {@code in}; {@code null} when what follows is not a
     * range; negative when a bound is not a number literal.
     */
    private static BigInteger rangeAfter(List<Token> tokens, int start) {
        // for i in [1..n], (1..n): the brackets are the same range
        while (start < tokens.size()
                && (tokens.get(start).getType() == FEEL_1_1Lexer.LBRACK
                        || tokens.get(start).getType() == FEEL_1_1Lexer.LPAREN)) {
            start++;
        }
        int dots = -1;
        for (int i = start; i < tokens.size() && i < start + 8; i++) {
            int type = tokens.get(i).getType();
            if (type == FEEL_1_1Lexer.ELIPSIS) {
                dots = i;
                break;
            }
            if (type == FEEL_1_1Lexer.COMMA
                    || type == FEEL_1_1Lexer.RETURN
                    || type == FEEL_1_1Lexer.SATISFIES
                    || type == FEEL_1_1Lexer.LBRACK
                    || type == FEEL_1_1Lexer.RBRACK) {
                return null;
            }
        }
        if (dots < 0) {
            return null;
        }
        BigInteger from = number(tokens, start, dots);
        int end = dots + 1;
        while (end < tokens.size()
                && tokens.get(end).getType() != FEEL_1_1Lexer.RETURN
                && tokens.get(end).getType() != FEEL_1_1Lexer.SATISFIES
                && tokens.get(end).getType() != FEEL_1_1Lexer.COMMA) {
            end++;
        }
        BigInteger to = number(tokens, dots + 1, end);
        if (from == null || to == null) {
            return BigInteger.valueOf(-1);
        }
        return to.subtract(from).abs().add(BigInteger.ONE);
    }

    /** An integer literal, possibly negative and in parentheses, made of tokens [from, to); else {@code null}. */
    private static BigInteger number(List<Token> tokens, int from, int to) {
        StringBuilder text = new StringBuilder();
        for (int i = from; i < to; i++) {
            int type = tokens.get(i).getType();
            if (type == FEEL_1_1Lexer.LPAREN
                    || type == FEEL_1_1Lexer.RPAREN
                    || type == FEEL_1_1Lexer.LBRACK
                    || type == FEEL_1_1Lexer.RBRACK) {
                continue;
            }
            if (type != FEEL_1_1Lexer.SUB && type != FEEL_1_1Lexer.IntegerLiteral) {
                return null;
            }
            text.append(tokens.get(i).getText());
        }
        try {
            return new BigInteger(text.toString());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Business knowledge models that invoke themselves, directly or round a cycle. */
    private void checkKnowledgeCycles(Element definitions) {
        Map<String, String> names = new HashMap<>();
        Map<String, Set<String>> calls = new HashMap<>();
        for (Node child = definitions.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e && "businessKnowledgeModel".equals(e.getLocalName())) {
                String id = e.getAttribute("id");
                names.put(id, e.getAttribute("name"));
                Set<String> targets = new HashSet<>();
                collectKnowledgeHrefs(e, targets);
                if (callsName(e.getTextContent(), e.getAttribute("name").strip())) {
                    targets.add(id);
                }
                calls.put(id, targets);
            }
        }
        Set<String> reported = new HashSet<>();
        for (String id : calls.keySet()) {
            if (reaches(id, id, calls, new HashSet<>()) && reported.add(id)) {
                refuse(
                        places.getOrDefault(id, "business knowledge model '" + names.get(id) + "'"),
                        "this business knowledge model invokes itself (directly or through others); recursion is "
                                + "not allowed in the policy language, as it only ends by running out of stack");
            }
        }
    }

    private static void collectKnowledgeHrefs(Element element, Set<String> targets) {
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e) {
                if ("requiredKnowledge".equals(e.getLocalName())) {
                    String href = e.getAttribute("href");
                    targets.add(href.startsWith("#") ? href.substring(1) : href);
                }
                collectKnowledgeHrefs(e, targets);
            }
        }
    }

    private static boolean reaches(String from, String target, Map<String, Set<String>> calls, Set<String> seen) {
        for (String next : calls.getOrDefault(from, Set.of())) {
            if (next.equals(target)) {
                return true;
            }
            if (seen.add(next) && reaches(next, target, calls, seen)) {
                return true;
            }
        }
        return false;
    }

    private static Element firstChild(Element parent, String localName) {
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e && localName.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }
}
