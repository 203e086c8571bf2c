-- The decision log: one row per decision answered, appended and never updated or deleted by the service.
-- Rows form a hash chain in seq order: hash = SHA-256(previous_hash || canonical record), so altering, removing
-- or reordering a row breaks every link after it (see docs/audit.md and AuditRecord.canonical).
CREATE TABLE decision_log (
    seq                BIGINT                   NOT NULL PRIMARY KEY,
    decision_id        UUID                     NOT NULL,
    decided_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    client             VARCHAR(100)             NOT NULL,
    idempotency_key    VARCHAR(255),
    request_sha256     VARCHAR(64)              NOT NULL,
    customer_id        VARCHAR(64)              NOT NULL,
    outcome            VARCHAR(16)              NOT NULL,
    approval_route     VARCHAR(16)              NOT NULL,
    ruleset_version    VARCHAR(71)              NOT NULL REFERENCES ruleset_version (version),
    engine_versions    VARCHAR                  NOT NULL,
    request_json       VARCHAR                  NOT NULL,
    result_json        VARCHAR                  NOT NULL,
    trace_json         VARCHAR                  NOT NULL,
    evaluation_micros  BIGINT                   NOT NULL,
    previous_hash      VARCHAR(64)              NOT NULL,
    hash               VARCHAR(64)              NOT NULL,
    CONSTRAINT decision_log_decision_id UNIQUE (decision_id),
    CONSTRAINT decision_log_idempotency UNIQUE (client, idempotency_key)
);

CREATE INDEX decision_log_customer ON decision_log (customer_id, decided_at);
CREATE INDEX decision_log_decided_at ON decision_log (decided_at);

-- The end of the chain. Writers lock this row for each batch, so every instance appends to one chain in order,
-- and cutting records off the end of the log shows as a head that no longer matches the last record.
CREATE TABLE decision_log_head (
    chain  VARCHAR(32) NOT NULL PRIMARY KEY,
    seq    BIGINT      NOT NULL,
    hash   VARCHAR(64) NOT NULL
);

INSERT INTO decision_log_head (chain, seq, hash)
VALUES ('decisions', 0, '0000000000000000000000000000000000000000000000000000000000000000');
