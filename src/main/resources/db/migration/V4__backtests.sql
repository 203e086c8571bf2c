-- Backtests: a candidate ruleset replayed over logged decisions, with progress while it runs and the report after.
CREATE TABLE backtest (
    id               UUID                     NOT NULL PRIMARY KEY,
    ruleset_version  VARCHAR(71)              NOT NULL REFERENCES ruleset_version (version),
    window_from      TIMESTAMP WITH TIME ZONE,
    window_to        TIMESTAMP WITH TIME ZONE,
    status           VARCHAR(16)              NOT NULL,
    total            BIGINT                   NOT NULL,
    done             BIGINT                   NOT NULL,
    changed          BIGINT,
    requested_by     VARCHAR(100)             NOT NULL,
    requested_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at      TIMESTAMP WITH TIME ZONE,
    error            VARCHAR(2000),
    report_json      VARCHAR
);

CREATE INDEX backtest_version ON backtest (ruleset_version, requested_at);
