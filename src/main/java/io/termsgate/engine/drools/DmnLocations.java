package io.termsgate.engine.drools;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Readable places in a DMN file by element id, for problems the validator reports by id: "decision 'Risk Route',
 * rule 3" rather than "_RiskRoute_dt_r3". Read from the XML itself, so it works before (or without) compiling.
 */
final class DmnLocations {

    private DmnLocations() {}

    static Map<String, String> of(Document dmn) {
        Map<String, String> places = new HashMap<>();
        for (Element element : children(dmn.getDocumentElement())) {
            String name = element.getAttribute("name");
            String where = switch (element.getLocalName()) {
                case "decision" -> "decision '" + name + "'";
                case "businessKnowledgeModel" -> "business knowledge model '" + name + "'";
                case "inputData" -> "input data '" + name + "'";
                case "decisionService" -> "decision service '" + name + "'";
                case "itemDefinition" -> "item definition '" + name + "'";
                default -> null;
            };
            if (where != null) {
                index(element, where, places);
            }
        }
        return places;
    }

    private static void index(Element element, String where, Map<String, String> places) {
        String id = element.getAttribute("id");
        if (!id.isEmpty()) {
            places.putIfAbsent(id, where);
        }
        int rule = 0;
        int input = 0;
        int output = 0;
        for (Element child : children(element)) {
            String local = child.getLocalName();
            String place = switch (local) {
                case "decisionTable" -> where + ", decision table";
                case "rule" -> where + ", rule " + (++rule);
                case "input" -> where + ", input column " + (++input);
                case "output" -> where + ", output column " + (++output);
                case "literalExpression" -> where + ", expression";
                default -> where;
            };
            if (local.equals("rule")) {
                indexEntries(child, place, places);
            } else {
                index(child, place, places);
            }
        }
    }

    private static void indexEntries(Element rule, String where, Map<String, String> places) {
        places.putIfAbsent(rule.getAttribute("id"), where);
        int in = 0;
        int out = 0;
        for (Element entry : children(rule)) {
            String place = switch (entry.getLocalName()) {
                case "inputEntry" -> where + ", input " + (++in);
                case "outputEntry" -> where + ", output " + (++out);
                default -> where;
            };
            if (!entry.getAttribute("id").isEmpty()) {
                places.putIfAbsent(entry.getAttribute("id"), place);
            }
        }
    }

    private static List<Element> children(Element parent) {
        java.util.ArrayList<Element> elements = new java.util.ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e) {
                elements.add(e);
            }
        }
        return elements;
    }
}
