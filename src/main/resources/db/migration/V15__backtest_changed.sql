-- A backtest's changed decisions, written a page of the log at a time while it runs, so its memory does not grow with
-- the changes: the report keeps only the first few (by seq) of them; the API pages through these rows and the CSV
-- export streams them all.
CREATE TABLE backtest_changed (
    backtest_id               UUID                     NOT NULL REFERENCES backtest (id),
    seq                       BIGINT                   NOT NULL,
    decision_id               UUID                     NOT NULL,
    -- personal data: shown to auditors only, and set to null when the customer is erased
    customer_id               VARCHAR(64),
    decided_at                TIMESTAMP WITH TIME ZONE NOT NULL,
    original_ruleset_version  VARCHAR(71)              NOT NULL,
    -- the changed fields, space separated
    changed_fields            VARCHAR(200)             NOT NULL,
    -- the result fields before and after, as JSON objects
    original_json             VARCHAR                  NOT NULL,
    replayed_json             VARCHAR                  NOT NULL,
    PRIMARY KEY (backtest_id, seq)
);

CREATE INDEX backtest_changed_customer ON backtest_changed (customer_id);
