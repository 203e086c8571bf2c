package io.termsgate.engine.drools;

import java.util.List;

/**
 * The names by which the service and the delegated-authority DMN model (decision-tables/authority.dmn) meet: the
 * inputs of one question and the decisions the service reads. Like {@link DmnNames} for the credit terms model:
 * renaming one in the model breaks the contract, and validation says so.
 */
final class AuthorityDmnNames {

    /** Where the default ruleset keeps the model, for problems that cannot name a file of the upload. */
    static final String FILE = "decision-tables/authority.dmn";

    static final String LEVEL = "Level";
    static final String ORDER_AMOUNT = "Order Amount";
    static final String RISK_GRADE = "Risk Grade";
    static final String CREDIT_LIMIT = "Credit Limit";
    static final String TERM_DAYS = "Term Days";
    static final String OVER_LIMIT_SHARE = "Over Limit Share";
    static final List<String> INPUTS =
            List.of(LEVEL, ORDER_AMOUNT, RISK_GRADE, CREDIT_LIMIT, TERM_DAYS, OVER_LIMIT_SHARE);

    static final String MAY_APPROVE = "May Approve";
    static final String APPROVERS_NEEDED = "Approvers Needed";
    static final String DUE_BUSINESS_HOURS = "Due Business Hours";
    static final List<String> DECISIONS = List.of(MAY_APPROVE, APPROVERS_NEEDED, DUE_BUSINESS_HOURS);

    private AuthorityDmnNames() {}
}
