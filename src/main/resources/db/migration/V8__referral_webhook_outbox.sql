-- The webhook outbox: a referral case's final answer for checkout, written in the transaction that records the
-- answer, then POSTed by a deliverer until checkout answers 2xx (DELIVERED) or the attempts run out (FAILED).
-- id is the delivery id checkout dedupes by (Termsgate-Delivery). A deliverer claims a row (claimed_by,
-- claimed_until) before it sends it, so instances sharing this database never send one row at the same time.
CREATE TABLE referral_webhook (
    id               UUID                     NOT NULL PRIMARY KEY,
    event            VARCHAR(64)              NOT NULL,
    decision_id      UUID                     NOT NULL,
    referral_id      UUID                     NOT NULL,
    body             VARCHAR                  NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    status           VARCHAR(16)              NOT NULL,
    attempts         INTEGER                  NOT NULL,
    next_attempt_at  TIMESTAMP WITH TIME ZONE,
    last_attempt_at  TIMESTAMP WITH TIME ZONE,
    last_status      INTEGER,
    last_error       VARCHAR(200),
    delivered_at     TIMESTAMP WITH TIME ZONE,
    claimed_by       VARCHAR(100),
    claimed_until    TIMESTAMP WITH TIME ZONE,
    CONSTRAINT referral_webhook_status CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED'))
);

-- the deliverer's question: which PENDING rows are due
CREATE INDEX referral_webhook_due ON referral_webhook (status, next_attempt_at);
-- the operators' list, newest first
CREATE INDEX referral_webhook_created ON referral_webhook (created_at);
