-- Referral cases: every REFERRED decision gets one, inserted in the transaction that logs the decision. A person with
-- the authority of the case's level (or above) approves or declines it; an overdue case escalates to the next level,
-- an unanswered one expires as DECLINED (REF_EXPIRED). The decision itself is never changed.
CREATE TABLE referral_case (
    id                   UUID                     NOT NULL PRIMARY KEY,
    decision_id          UUID                     NOT NULL,
    customer_id          VARCHAR(64)              NOT NULL,
    order_id             VARCHAR(64),
    amount               NUMERIC(19, 2)           NOT NULL,
    currency             CHAR(3)                  NOT NULL,
    original_route       VARCHAR(16)              NOT NULL,
    route                VARCHAR(16)              NOT NULL,
    reasons              VARCHAR(2000)            NOT NULL,
    risk_grade           VARCHAR(8),
    policy_credit_limit  NUMERIC(19, 2)           NOT NULL,
    policy_term_days     INTEGER                  NOT NULL,
    ruleset_version      VARCHAR(71)              NOT NULL,
    status               VARCHAR(16)              NOT NULL,
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    due_at               TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    escalations          INTEGER                  NOT NULL,
    -- four eyes: the first of two approvals, waiting for a second person
    first_approved_by    VARCHAR(100),
    first_approver       VARCHAR(100),
    first_approved_at    TIMESTAMP WITH TIME ZONE,
    first_credit_limit   NUMERIC(19, 2),
    first_term_days      INTEGER,
    -- the final answer
    final_outcome        VARCHAR(16),
    decided_by           VARCHAR(250),
    decided_at           TIMESTAMP WITH TIME ZONE,
    credit_limit         NUMERIC(19, 2),
    term_days            INTEGER,
    final_reasons        VARCHAR(2000),
    note                 VARCHAR(2000),
    hold_id              UUID,
    authority_version    VARCHAR(71),
    CONSTRAINT referral_case_decision UNIQUE (decision_id),
    CONSTRAINT referral_case_status CHECK (status IN ('OPEN', 'APPROVED', 'DECLINED', 'EXPIRED'))
);

CREATE INDEX referral_case_queue ON referral_case (status, due_at);
CREATE INDEX referral_case_customer ON referral_case (customer_id, created_at);
CREATE INDEX referral_case_expiry ON referral_case (status, expires_at);

-- What people (and the deadline sweep) did with each case: approvals, declines, escalations, expiry. Appended and
-- chained like the decision log: hash = SHA-256(previous_hash || canonical event), its head in decision_log_head
-- under the chain 'referrals'. Each event names the decision it answers.
CREATE TABLE referral_event (
    seq                BIGINT                   NOT NULL PRIMARY KEY,
    at                 TIMESTAMP WITH TIME ZONE NOT NULL,
    case_id            UUID                     NOT NULL,
    decision_id        UUID                     NOT NULL,
    event              VARCHAR(16)              NOT NULL,
    actor              VARCHAR(100)             NOT NULL,
    level              VARCHAR(16)              NOT NULL,
    outcome            VARCHAR(16),
    credit_limit       NUMERIC(19, 2),
    term_days          INTEGER,
    reasons            VARCHAR(2000),
    note               VARCHAR(2000),
    authority_version  VARCHAR(71),
    hold_id            UUID,
    previous_hash      VARCHAR(64)              NOT NULL,
    hash               VARCHAR(64)              NOT NULL
);

CREATE INDEX referral_event_case ON referral_event (case_id, seq);
CREATE INDEX referral_event_decision ON referral_event (decision_id);

INSERT INTO decision_log_head (chain, seq, hash)
VALUES ('referrals', 0, '0000000000000000000000000000000000000000000000000000000000000000');
