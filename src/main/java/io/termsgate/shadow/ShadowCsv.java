package io.termsgate.shadow;

import io.termsgate.web.CsvCells;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** A challenger's changed decisions as CSV: one row each, the live and the challenger's answer side by side. */
final class ShadowCsv {

    static final String HEADER;

    static {
        StringBuilder header =
                new StringBuilder("decision_id,seq,customer_id,decided_at,live_ruleset_version,changed_fields");
        for (String field : QueuedShadowEvaluations.ANSWER_FIELDS) {
            header.append(",live_").append(field).append(",challenger_").append(field);
        }
        HEADER = header.append("\r\n").toString();
    }

    private ShadowCsv() {}

    static String row(ShadowChange change) {
        StringBuilder row = new StringBuilder()
                .append(change.decisionId())
                .append(',')
                .append(change.seq())
                .append(',')
                .append(CsvCells.cell(change.customerId()))
                .append(',')
                .append(change.decidedAt())
                .append(',')
                .append(change.liveRulesetVersion())
                .append(',')
                .append(String.join(" ", change.changedFields()));
        for (String field : QueuedShadowEvaluations.ANSWER_FIELDS) {
            row.append(',')
                    .append(CsvCells.cell(text(change.live(), field)))
                    .append(',')
                    .append(CsvCells.cell(text(change.challenger(), field)));
        }
        return row.append("\r\n").toString();
    }

    private static String text(Map<String, Object> fields, String field) {
        Object value = fields.get(field);
        if (value instanceof List<?> list) {
            return String.join(" ", list.stream().map(String::valueOf).toList());
        }
        if (value instanceof BigDecimal number) {
            return number.toPlainString();
        }
        return value == null ? "" : value.toString();
    }
}
