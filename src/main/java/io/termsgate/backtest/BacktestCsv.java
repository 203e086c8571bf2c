package io.termsgate.backtest;

import io.termsgate.engine.ResultField;
import io.termsgate.web.CsvCells;
import java.util.List;
import java.util.Map;

/** A backtest's changed decisions as CSV: one row each, before and after side by side. */
final class BacktestCsv {

    private static final List<String> FIELDS =
            ResultField.inBacktestExport().stream().map(ResultField::fieldName).toList();

    private BacktestCsv() {}

    /** The header line. */
    static String header() {
        StringBuilder csv = new StringBuilder(
                "decision_id,seq,customer_id,decided_at,original_ruleset_version," + "changed_fields");
        for (String field : FIELDS) {
            csv.append(",original_").append(field).append(",replayed_").append(field);
        }
        return csv.append("\r\n").toString();
    }

    /** One changed decision's line; its customer id only when {@code withCustomer}. */
    static String row(BacktestReport.ChangedDecision d, boolean withCustomer) {
        StringBuilder csv = new StringBuilder();
        csv.append(d.decisionId())
                .append(',')
                .append(d.seq())
                .append(',')
                .append(cell(withCustomer ? d.customerId() : null))
                .append(',')
                .append(d.decidedAt())
                .append(',')
                .append(d.originalRulesetVersion())
                .append(',')
                .append(String.join(" ", d.changedFields()));
        for (String field : FIELDS) {
            csv.append(',').append(cell(text(d.original(), field))).append(',').append(cell(text(d.replayed(), field)));
        }
        return csv.append("\r\n").toString();
    }

    /** A report's listed changed decisions as one CSV text. */
    static String of(BacktestReport report) {
        StringBuilder csv = new StringBuilder(header());
        report.changedDecisions().forEach(d -> csv.append(row(d, true)));
        return csv.toString();
    }

    private static String text(Map<String, Object> fields, String field) {
        Object value = fields.get(field);
        if (value instanceof List<?> list) {
            return String.join(" ", list.stream().map(String::valueOf).toList());
        }
        if (value instanceof java.math.BigDecimal number) {
            return number.toPlainString();
        }
        return value == null ? "" : value.toString();
    }

    private static String cell(String value) {
        return CsvCells.cell(value);
    }
}
