package io.termsgate.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.termsgate.engine.ApplicationField;
import io.termsgate.engine.ResultField;
import io.termsgate.web.CsvCells;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decisions as CSV rows (RFC 4180, UTF-8) for auditors' spreadsheets and tools. Text that a spreadsheet would run
 * as a formula ({@code =}, {@code +}, {@code -}, {@code @} first) is prefixed with an apostrophe.
 */
final class DecisionCsv {

    /** The result's fields, then the request's fields that are exported, between the record's own columns. */
    static final String HEADER = String.join(",", columns()) + "\r\n";

    private DecisionCsv() {}

    static String row(LoggedDecision d) {
        DecisionRecord r = d.record();
        JsonNode result = CanonicalJson.tree(r.resultJson());
        JsonNode request = r.requestTree(); // missing once erased: its cells stay empty
        List<String> cells = new ArrayList<>(List.of(
                r.decisionId().toString(), r.decidedAt().toString(), r.customerId() == null ? "" : r.customerId()));
        for (ResultField field : ResultField.values()) {
            cells.add(text(result.get(field.fieldName())));
        }
        for (ApplicationField field : exported()) {
            cells.add(text(request.at("/" + field.path().replace('.', '/'))));
        }
        cells.addAll(List.of(
                r.rulesetVersion(),
                r.client(),
                r.idempotencyKey() == null ? "" : r.idempotencyKey(),
                Long.toString(d.seq()),
                d.hash(),
                d.previousHash(),
                LoggedDecision.canonical(d.seq(), r)));
        StringBuilder line = new StringBuilder(512);
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(cell(cells.get(i)));
        }
        return line.append("\r\n").toString();
    }

    private static List<String> columns() {
        List<String> columns = new ArrayList<>(List.of("decision_id", "decided_at", "customer_id"));
        for (ResultField field : ResultField.values()) {
            columns.add(field.column());
        }
        exported().forEach(field -> columns.add(field.exportColumn()));
        columns.addAll(
                List.of("ruleset_version", "client", "idempotency_key", "seq", "hash", "previous_hash", "canonical"));
        return columns;
    }

    private static List<ApplicationField> exported() {
        return Arrays.stream(ApplicationField.values())
                .filter(f -> f.exportColumn() != null)
                .toList();
    }

    /** A value as a cell; a list's values separated by spaces. */
    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "";
        }
        if (node.isArray()) {
            List<String> values = new ArrayList<>();
            node.forEach(value -> values.add(value.asText()));
            return String.join(" ", values);
        }
        return node.isNumber() ? node.decimalValue().toPlainString() : node.asText();
    }

    static String cell(String value) {
        return CsvCells.cell(value);
    }
}
