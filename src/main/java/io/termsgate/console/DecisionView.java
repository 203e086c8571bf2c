package io.termsgate.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.termsgate.audit.DecisionRecord;
import io.termsgate.audit.LoggedDecision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A logged decision as the auditor's page shows it: the request and the result field by field, the reasons in
 * words, the trace (rules fired, spreadsheet rows and DMN rules that matched, with what those rules say), and its
 * place in the hash chain. Read from the stored JSON text, which is what was hashed.
 */
record DecisionView(
        UUID decisionId,
        long seq,
        Instant decidedAt,
        String customerId,
        String client,
        String idempotencyKey,
        String rulesetVersion,
        long evaluationMicros,
        String previousHash,
        String hash,
        Result result,
        List<Field> customer,
        List<Field> order,
        List<Reason> reasons,
        Trace trace) {

    record Field(String label, String value) {}

    record Result(
            String outcome,
            String approvalRoute,
            String riskScore,
            String riskGrade,
            String creditLimit,
            String availableCredit,
            String termDays,
            String currency) {}

    record Reason(String code, String words) {}

    record Trace(
            List<FiredRule> rules,
            List<SheetRow> spreadsheetRows,
            List<TableMatch> decisionTables,
            List<Field> decisions,
            List<String> errors) {}

    record FiredRule(String file, String rule) {}

    record SheetRow(String file, String table, int row, String label, String effect) {}

    /** A DMN decision table: the rules that matched, and of those the ones whose output was used. */
    record TableMatch(String decision, List<MatchedRule> rules) {}

    record MatchedRule(int number, boolean selected, String when, String then) {}

    /** What stands for a customer id, and the request's fields, once the customer's personal data is erased. */
    static final String ERASED = "(personal data erased)";

    static DecisionView of(LoggedDecision logged, Map<String, List<DmnRules.Rule>> dmnRules) {
        DecisionRecord r = logged.record();
        JsonNode request = r.requestTree();
        JsonNode result = r.resultTree();
        JsonNode c = request.path("customer");
        JsonNode h = c.path("paymentHistory");
        JsonNode o = request.path("order");
        List<Field> customer = List.of(
                new Field("Customer id", text(c.get("id"))),
                new Field("Country", text(c.get("country"))),
                new Field("Industry", text(c.get("industry"))),
                new Field("Years in business", text(c.get("yearsInBusiness"))),
                new Field("Annual revenue", Formats.INSTANCE.amount(text(c.get("annualRevenue")))),
                new Field(
                        "Bureau credit score",
                        c.path("creditScore").isNull() ? "none (no bureau file)" : text(c.get("creditScore"))),
                new Field("Invoices paid (24 months)", text(h.get("invoicesPaid"))),
                new Field("Average days beyond terms", text(h.get("avgDaysBeyondTerms"))),
                new Field("Worst days past due (12 months)", text(h.get("maxDaysPastDue"))),
                new Field("Outstanding balance", Formats.INSTANCE.amount(text(c.get("outstandingBalance")))),
                new Field("Flags", c.path("flags").isEmpty() ? "none" : String.join(", ", strings(c.path("flags")))));
        List<Field> order = List.of(
                new Field("Amount", Formats.INSTANCE.amount(text(o.get("amount"))) + " " + text(o.get("currency"))),
                new Field("Requested term", text(o.get("requestedTermDays")) + " days"));
        Result outcome = new Result(
                text(result.get("outcome")),
                text(result.get("approvalRoute")),
                text(result.get("riskScore")),
                text(result.get("riskGrade")),
                Formats.INSTANCE.amount(text(result.get("creditLimit"))),
                Formats.INSTANCE.amount(text(result.get("availableCredit"))),
                text(result.get("termDays")),
                text(result.get("currency")));
        List<Reason> reasons = strings(result.path("reasons")).stream()
                .map(code -> new Reason(code, ReasonTexts.words(code)))
                .toList();
        return new DecisionView(
                r.decisionId(),
                logged.seq(),
                r.decidedAt(),
                r.erased() ? ERASED : r.customerId(),
                r.client(),
                r.idempotencyKey(),
                r.rulesetVersion(),
                r.evaluationMicros(),
                logged.previousHash(),
                logged.hash(),
                outcome,
                customer,
                order,
                reasons,
                trace(r.traceTree(), dmnRules));
    }

    private static Trace trace(JsonNode trace, Map<String, List<DmnRules.Rule>> dmnRules) {
        List<FiredRule> rules = new ArrayList<>();
        trace.path("rules").forEach(f -> rules.add(new FiredRule(text(f.get("file")), text(f.get("rule")))));
        List<SheetRow> rows = new ArrayList<>();
        trace.path("spreadsheetRows")
                .forEach(s -> rows.add(new SheetRow(
                        text(s.get("file")),
                        text(s.get("table")),
                        s.path("row").asInt(),
                        text(s.get("label")),
                        text(s.get("effect")))));
        List<TableMatch> tables = new ArrayList<>();
        for (JsonNode t : trace.path("decisionTables")) {
            String decision = text(t.get("decision"));
            List<Integer> selected = new ArrayList<>();
            t.path("selectedRules").forEach(n -> selected.add(n.asInt()));
            List<DmnRules.Rule> written = dmnRules.getOrDefault(decision, List.of());
            List<MatchedRule> matched = new ArrayList<>();
            for (JsonNode n : t.path("matchedRules")) {
                int number = n.asInt();
                DmnRules.Rule rule = written.stream()
                        .filter(w -> w.number() == number)
                        .findFirst()
                        .orElse(null);
                matched.add(new MatchedRule(
                        number,
                        selected.contains(number),
                        rule == null ? "" : rule.when(),
                        rule == null ? "" : rule.then()));
            }
            tables.add(new TableMatch(decision, matched));
        }
        List<Field> decisions = new ArrayList<>();
        trace.path("decisions")
                .fields()
                .forEachRemaining(d -> decisions.add(new Field(
                        d.getKey(),
                        d.getValue().isValueNode()
                                ? text(d.getValue())
                                : d.getValue().toString())));
        return new Trace(rules, rows, tables, decisions, strings(trace.path("errors")));
    }

    private static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        array.forEach(s -> strings.add(s.asText()));
        return strings;
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "—";
        }
        return node.isNumber() ? node.decimalValue().toPlainString() : node.asText();
    }
}
