package io.termsgate.security;

/** What an API key (or, later, a person) may do. See docs/security.md for the table of who may call what. */
public enum Role {
    /** Checkout: asks for decisions. */
    CHECKOUT,
    /** Credit analysts: upload, validate and backtest rulesets that change tables (XLSX, DMN) and scenarios. */
    ANALYST,
    /** Rule authors: upload, validate and backtest rulesets that change rule logic ({@code rules/*.drl}). */
    RULE_AUTHOR,
    /** Approvers: approve and activate rulesets (never their own uploads). */
    APPROVER,
    /** Auditors: read, search, export, replay and verify the decision log. */
    AUDITOR,
    /** Operators and their monitoring: metrics and detailed health. */
    OPERATOR,
    /** The ERP's sync job: imports receivables files (what buyers owe, how they paid) and reads them back. */
    ERP_SYNC,
    /** Credit analysts deciding referred orders: the first level of delegated authority (decision-tables/authority.dmn). */
    CREDIT_ANALYST,
    /** Credit managers: the second level; they may decide whatever a credit analyst may, and more. */
    CREDIT_MANAGER,
    /** The CFO: the top level of delegated authority. */
    CFO,
    /**
     * A buyer, bound to its one customer id: reads its own credit line and its own orders' decisions, nothing else.
     * A role of its own: a key or person with BUYER holds no other role.
     */
    BUYER,
    /**
     * The privacy officer: answers data subjects' erasure requests by destroying a customer's personal data in the
     * log (crypto-shredding); reads nothing else.
     */
    PRIVACY_OFFICER,
    /** A system calling the ruleset's DMN models as decision services ({@code /api/v1/models}). */
    DECISION_CLIENT,
    /** A system submitting batch decisions (periodic reviews of whole portfolios); assessments only, never holds. */
    BATCH;

    /**
     * The authority naming the person behind an authentication ({@code PERSON:<name>}; not a role): a key of
     * delegated authority carries its holder's, a console person their own name, so four eyes count people.
     */
    public static final String PERSON_PREFIX = "PERSON:";

    /** Whether the role decides referred orders (a level of delegated authority). */
    public boolean isApprovalLevel() {
        return this == CREDIT_ANALYST || this == CREDIT_MANAGER || this == CFO;
    }

    public String authority() {
        return "ROLE_" + name();
    }
}
