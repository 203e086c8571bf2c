package io.termsgate.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Decisions as CSV rows (RFC 4180, UTF-8) for auditors' spreadsheets and tools. Text that a spreadsheet would run
 * as a formula ({@code =}, {@code +}, {@code -}, {@code @} first) is prefixed with an apostrophe.
 */
final class DecisionCsv {

    static final String HEADER = "decision_id,decided_at,customer_id,outcome,approval_route,risk_score,"
            + "risk_grade,credit_limit,available_credit,term_days,currency,reasons,order_amount,requested_term_days,"
            + "ruleset_version,client,idempotency_key,seq,hash\r\n";

    private DecisionCsv() {
    }

    static String row(LoggedDecision d) {
        DecisionRecord r = d.record();
        JsonNode result = CanonicalJson.tree(r.resultJson());
        JsonNode order = CanonicalJson.tree(r.requestJson()).get("order");
        List<String> reasons = new ArrayList<>();
        result.get("reasons").forEach(reason -> reasons.add(reason.asText()));
        List<String> cells = List.of(r.decisionId().toString(), r.decidedAt().toString(), r.customerId(),
                r.outcome(), r.approvalRoute(), text(result.get("riskScore")), text(result.get("riskGrade")),
                text(result.get("creditLimit")), text(result.get("availableCredit")), text(result.get("termDays")),
                text(result.get("currency")), String.join(" ", reasons), text(order.get("amount")),
                text(order.get("requestedTermDays")), r.rulesetVersion(), r.client(),
                r.idempotencyKey() == null ? "" : r.idempotencyKey(), Long.toString(d.seq()), d.hash());
        StringBuilder line = new StringBuilder(512);
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(cell(cells.get(i)));
        }
        return line.append("\r\n").toString();
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? "" : node.isNumber() ? node.decimalValue().toPlainString() : node.asText();
    }

    static String cell(String value) {
        String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 && !isNumber(value)
                ? "'" + value : value;
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }

    private static boolean isNumber(String value) {
        return value.matches("-?\\d+(\\.\\d+)?");
    }
}
