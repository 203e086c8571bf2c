-- Credit lines: what a buyer owes (receivables from the ERP), what its approved orders hold, and the ledger of every
-- hold's life. A decision with an order id locks its buyer's line row, so decisions on one buyer run one at a time
-- across instances, and its hold is written in the transaction that logs the decision.

-- One row per buyer with a line: the lock decisions on that buyer take, and the line's one currency.
CREATE TABLE credit_line (
    customer_id  VARCHAR(64)              NOT NULL PRIMARY KEY,
    currency     CHAR(3)                  NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

-- An approved order's claim on the line: OPEN until captured (invoiced), released (cancelled, replaced by a new
-- decision for the same order), or expired.
CREATE TABLE credit_hold (
    id               UUID                     NOT NULL PRIMARY KEY,
    customer_id      VARCHAR(64)              NOT NULL,
    order_id         VARCHAR(64)              NOT NULL,
    decision_id      UUID                     NOT NULL,
    amount           NUMERIC(19, 2)           NOT NULL,
    currency         CHAR(3)                  NOT NULL,
    status           VARCHAR(16)              NOT NULL,
    captured_amount  NUMERIC(19, 2),
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    closed_at        TIMESTAMP WITH TIME ZONE,
    CONSTRAINT credit_hold_status CHECK (status IN ('OPEN', 'CAPTURED', 'RELEASED', 'EXPIRED'))
);

CREATE INDEX credit_hold_line ON credit_hold (customer_id, status, expires_at);
CREATE INDEX credit_hold_order ON credit_hold (customer_id, order_id);
CREATE INDEX credit_hold_due ON credit_hold (status, expires_at);

-- Every transition of a hold (PLACED, CAPTURED, RELEASED, EXPIRED), appended and chained like the decision log:
-- hash = SHA-256(previous_hash || canonical entry), its head in decision_log_head under the chain 'ledger'.
CREATE TABLE credit_ledger (
    seq              BIGINT                   NOT NULL PRIMARY KEY,
    at               TIMESTAMP WITH TIME ZONE NOT NULL,
    customer_id      VARCHAR(64)              NOT NULL,
    hold_id          UUID                     NOT NULL,
    order_id         VARCHAR(64)              NOT NULL,
    event            VARCHAR(16)              NOT NULL,
    reason           VARCHAR(32),
    amount           NUMERIC(19, 2)           NOT NULL,
    currency         CHAR(3)                  NOT NULL,
    actor            VARCHAR(100)             NOT NULL,
    idempotency_key  VARCHAR(255),
    decision_id      UUID,
    previous_hash    VARCHAR(64)              NOT NULL,
    hash             VARCHAR(64)              NOT NULL,
    CONSTRAINT credit_ledger_idempotency UNIQUE (actor, idempotency_key)
);

CREATE INDEX credit_ledger_hold ON credit_ledger (hold_id, seq);

INSERT INTO decision_log_head (chain, seq, hash)
VALUES ('ledger', 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Receivables from the ERP: one import per file (its SHA-256 makes a re-sent file the same import), one snapshot per
-- buyer and as-of time. A decision that does not carry the buyer's balance or payment history takes them from the
-- buyer's latest snapshot (latest as_of, then latest import).
CREATE TABLE receivables_import (
    id           UUID                     NOT NULL PRIMARY KEY,
    sha256       VARCHAR(64)              NOT NULL,
    client       VARCHAR(100)             NOT NULL,
    imported_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    row_count    INTEGER                  NOT NULL,
    CONSTRAINT receivables_import_file UNIQUE (sha256)
);

CREATE TABLE receivables_snapshot (
    id                     UUID                     NOT NULL PRIMARY KEY,
    import_id              UUID                     NOT NULL REFERENCES receivables_import (id),
    customer_id            VARCHAR(64)              NOT NULL,
    as_of                  TIMESTAMP WITH TIME ZONE NOT NULL,
    outstanding_balance    NUMERIC(19, 2)           NOT NULL,
    invoices_paid          INTEGER,
    avg_days_beyond_terms  NUMERIC(30, 10),
    max_days_past_due      INTEGER,
    imported_at            TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX receivables_snapshot_latest ON receivables_snapshot (customer_id, as_of, imported_at);

-- A decision's order (null for an assessment) and what it saw of its buyer's line: the snapshot, the captures after
-- it, the other orders' open holds, and the hold it placed. Both are in the record's hash when present.
ALTER TABLE decision_log ADD COLUMN order_id VARCHAR(64);
ALTER TABLE decision_log ADD COLUMN credit_line_json VARCHAR;
