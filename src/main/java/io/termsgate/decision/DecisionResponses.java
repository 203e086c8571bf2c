package io.termsgate.decision;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.termsgate.audit.DecisionRecord;
import io.termsgate.audit.LoggedDecision;

/**
 * Checkout's answer, assembled from the logged record's own JSON: the result and trace are serialised once, for
 * the log, and the answer reuses that text, so what checkout reads is byte for byte what was logged.
 *
 * <p>Fields: decisionId, outcome, approvalRoute, riskScore, riskGrade, creditLimit, availableCredit, termDays,
 * currency, reasons, hold (only when one was placed: from the record's credit line), rulesetVersion, decidedAt, trace.
 */
final class DecisionResponses {

    private DecisionResponses() {}

    static String json(LoggedDecision decision) {
        return json(decision, true);
    }

    /** The answer without its trace (a batch's result line: the auditor's record has the trace). */
    static String withoutTrace(LoggedDecision decision) {
        return json(decision, false);
    }

    private static String json(LoggedDecision decision, boolean withTrace) {
        DecisionRecord r = decision.record();
        String result = r.resultJson();
        StringBuilder json = new StringBuilder(result.length() + r.traceJson().length() + 200);
        json.append("{\"decisionId\":\"").append(r.decisionId()).append("\",");
        json.append(result, 1, result.length() - 1); // the result object's members, in order
        String hold = r.placedHoldJson();
        if (hold != null) {
            json.append(",\"hold\":").append(hold);
        }
        json.append(",\"rulesetVersion\":\"");
        JsonStringEncoder.getInstance().quoteAsString(r.rulesetVersion(), json);
        json.append("\",\"decidedAt\":\"").append(r.decidedAt()).append('"');
        if (withTrace) {
            json.append(",\"trace\":").append(r.traceJson());
        }
        return json.append('}').toString();
    }
}
