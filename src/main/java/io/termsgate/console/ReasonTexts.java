package io.termsgate.console;

import java.util.Map;

/**
 * Reason codes in words, as the credit policy states them. A code the rule files add later and this list does not
 * know yet is shown as it is.
 */
final class ReasonTexts {

    private static final Map<String, String> WORDS = Map.ofEntries(
            Map.entry("KO_SANCTIONS", "The buyer matches a sanctions list: declined."),
            Map.entry("KO_BANKRUPTCY", "The buyer is in bankruptcy: declined."),
            Map.entry("KO_COLLECTIONS", "The buyer has debts in collections: declined."),
            Map.entry(
                    "KO_SEVERE_DELINQUENCY",
                    "The buyer was more than 90 days past due in the last 12 months: " + "declined."),
            Map.entry("KO_UNSUPPORTED_COUNTRY", "The buyer's country is not one we offer terms in: declined."),
            Map.entry("KO_UNSUPPORTED_CURRENCY", "The order's currency is not one we offer terms in: declined."),
            Map.entry("REF_FRAUD_ALERT", "A fraud alert is raised on the buyer: a credit manager must look at it."),
            Map.entry(
                    "REF_TERMS_SUSPENDED",
                    "Dunning suspended the buyer's terms (an overdue invoice): a credit manager must look at it."),
            Map.entry(
                    "REF_NEW_BUSINESS",
                    "The buyer has been in business for less than a year: a credit analyst " + "must look at it."),
            Map.entry("DECLINE_RISK_GRADE", "The risk grade is E: no terms are offered."),
            Map.entry("REF_RISK_GRADE", "The risk grade is D: a credit analyst must sign the order off."),
            Map.entry(
                    "REF_OVER_LIMIT",
                    "The order is larger than the buyer's available credit: someone with the "
                            + "authority for the overage must sign it off."),
            Map.entry("REF_LARGE_ORDER", "The order is large (250,000 or more): it needs a more senior sign-off."),
            Map.entry(
                    "ENGINE_ERROR",
                    "The rules could not decide; the safe answer is a referral with no credit "
                            + "granted (the error is in the trace)."));

    private ReasonTexts() {}

    static String words(String code) {
        return WORDS.getOrDefault(code, code);
    }
}
