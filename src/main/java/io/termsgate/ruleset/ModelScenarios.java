package io.termsgate.ruleset;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.DecisionMath;
import io.termsgate.engine.ModelDescription;
import io.termsgate.engine.ModelResult;
import io.termsgate.engine.RulesetProblem;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scenarios of one DMN model ({@code decision-tables/scenarios/<model>.csv} or {@code .xlsx}): one row per case,
 * a header naming the model's inputs by name ({@code Days Past Due}) and the decisions expected as
 * {@code expected.<decision>} ({@code expected.Next Action}); {@code name} is optional. A cell is read as JSON when
 * it is JSON ({@code 45}, {@code true}, {@code "45"}, {@code [1,2]}, {@code {"a":1}}, {@code null}) and as text
 * otherwise ({@code D}, {@code 2026-12-01}); the model reads it by the input's declared type, as a call over HTTP
 * would. An empty input cell leaves the input out (null); an empty expected cell is not checked. Numbers compare by
 * value ({@code 7} is {@code 7.0}).
 */
final class ModelScenarios {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();
    private static final int MAX_ROWS = 10_000;

    private ModelScenarios() {}

    static void runFile(
            String file,
            List<List<String>> rows,
            ModelDescription model,
            CompiledRuleset ruleset,
            List<ScenarioRunner.Result> results,
            List<RulesetProblem> problems) {
        if (rows.isEmpty()) {
            problems.add(RulesetProblem.warning(file, "", "no header row and no scenarios"));
            return;
        }
        List<String> inputs =
                model.inputs().stream().map(ModelDescription.Variable::name).toList();
        List<String> decisions =
                model.decisions().stream().map(ModelDescription.Variable::name).toList();
        List<String> header = rows.get(0).stream().map(String::strip).toList();
        boolean ok = true;
        for (int c = 0; c < header.size(); c++) {
            String column = header.get(c);
            if (column.isEmpty()
                    || column.equals("name")
                    || inputs.contains(column)
                    || (column.startsWith("expected.") && decisions.contains(column.substring(9)))) {
                continue;
            }
            problems.add(RulesetProblem.error(
                    file,
                    "row 1, column " + ScenarioRunner.columnName(c),
                    "unknown column '" + column + "' for model '" + model.name() + "'; inputs are " + inputs
                            + ", outputs expected." + decisions + ", and name"));
            ok = false;
        }
        if (!ok) {
            return;
        }
        if (rows.size() - 1 > MAX_ROWS) {
            problems.add(RulesetProblem.error(file, "", "more than " + MAX_ROWS + " scenarios in one file"));
            return;
        }
        for (int r = 1; r < rows.size(); r++) {
            List<String> cells = rows.get(r);
            if (cells.stream().allMatch(String::isBlank)) {
                continue;
            }
            int rowNumber = r + 1;
            Map<String, Object> given = new LinkedHashMap<>();
            Map<String, String> expected = new LinkedHashMap<>();
            String name = "row " + rowNumber;
            for (int c = 0; c < header.size(); c++) {
                String cell = c < cells.size() ? cells.get(c).strip() : "";
                String column = header.get(c);
                if (column.equals("name")) {
                    name = cell.isEmpty() ? name : cell;
                } else if (!cell.isEmpty() && inputs.contains(column)) {
                    given.put(column, value(cell));
                } else if (!cell.isEmpty() && column.startsWith("expected.")) {
                    expected.put(column.substring(9), cell);
                }
            }
            ModelResult result =
                    ruleset.evaluateModel(model.name(), null, given).orElse(null);
            if (result == null) {
                problems.add(RulesetProblem.error(file, "row " + rowNumber, "the model could not be called"));
                continue;
            }
            if (!result.inputProblems().isEmpty()) {
                for (ModelResult.InputProblem problem : result.inputProblems()) {
                    String input = problem.input().replaceAll("[.\\[].*$", "");
                    problems.add(RulesetProblem.error(
                            file,
                            "row " + rowNumber + ", column " + ScenarioRunner.columnName(header.indexOf(input)) + " ("
                                    + problem.input() + ")",
                            "scenario '" + name + "': " + problem.message()));
                }
                continue;
            }
            Map<String, Object> decided = new LinkedHashMap<>();
            result.decisionResults().forEach(d -> decided.put(d.decisionName(), d.result()));
            List<ScenarioRunner.Mismatch> mismatches = new ArrayList<>();
            expected.forEach((decision, cell) -> {
                String want = text(value(cell));
                String actual = text(decided.get(decision));
                if (!want.equals(actual)) {
                    mismatches.add(new ScenarioRunner.Mismatch(decision, cell, actual));
                }
            });
            List<String> errors = new ArrayList<>();
            result.messages().stream().filter(m -> "ERROR".equals(m.severity())).forEach(m -> errors.add(m.message()));
            result.decisionResults().stream()
                    .filter(d -> !"SUCCEEDED".equals(d.evaluationStatus()))
                    .forEach(d -> errors.add("decision '" + d.decisionName() + "' " + d.evaluationStatus()));
            results.add(new ScenarioRunner.Result(
                    file, rowNumber, name, mismatches.isEmpty(), mismatches, List.copyOf(errors)));
        }
    }

    /** A cell as JSON when it is JSON, as text otherwise. */
    static Object value(String cell) {
        try {
            JsonNode node = JSON.readTree(cell);
            if (node != null && !node.isMissingNode()) {
                return canonical(JSON.convertValue(node, Object.class));
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            // not JSON: text
        }
        return cell;
    }

    /** A value written one way for comparing: numbers canonical, strings bare, the rest as JSON. */
    static String text(Object value) {
        Object canonical = canonical(value);
        if (canonical instanceof String text) {
            return text;
        }
        try {
            return JSON.writeValueAsString(canonical);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return String.valueOf(canonical);
        }
    }

    private static Object canonical(Object value) {
        if (value instanceof BigDecimal number) {
            return DecisionMath.canonical(number);
        }
        if (value instanceof Number number) {
            return DecisionMath.canonical(new BigDecimal(number.toString()));
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new java.util.TreeMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), canonical(v)));
            return copy;
        }
        if (value instanceof Collection<?> list) {
            return list.stream().map(ModelScenarios::canonical).toList();
        }
        return value;
    }
}
