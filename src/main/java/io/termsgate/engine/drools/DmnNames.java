package io.termsgate.engine.drools;

import java.util.List;

/**
 * The names by which the service and the credit terms DMN model meet: the inputs the service provides and the
 * decisions it reads. Renaming one in the model breaks the contract, and validation says so.
 */
final class DmnNames {

    static final String CUSTOMER = "Customer";
    static final String ORDER = "Order";
    static final String RISK_SCORE = "Risk Score";
    static final String RISK_GRADE = "Risk Grade";
    static final String KNOCKOUTS = "Knockouts";
    static final List<String> INPUTS = List.of(CUSTOMER, ORDER, RISK_SCORE, RISK_GRADE, KNOCKOUTS);

    static final String OUTCOME = "Outcome";
    static final String APPROVAL_ROUTE = "Approval Route";
    static final String CREDIT_LIMIT = "Credit Limit";
    static final String AVAILABLE_CREDIT = "Available Credit";
    static final String TERM_DAYS = "Term Days";
    static final String REASONS = "Reasons";

    private DmnNames() {}
}
