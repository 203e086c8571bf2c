-- Shadow evaluation (POST /api/v1/rulesets/{version}/shadow): a candidate evaluated beside the live ruleset on live
-- decisions, off checkout's path. One run per version: stopping keeps its report, starting it again continues it.
CREATE TABLE shadow_run (
    ruleset_version  VARCHAR(71)              NOT NULL PRIMARY KEY,
    -- RUNNING or STOPPED
    status           VARCHAR(16)              NOT NULL,
    sample_rate      DECIMAL(5, 4)            NOT NULL,
    started_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    started_by       VARCHAR(100)             NOT NULL,
    resumed_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    stopped_at       TIMESTAMP WITH TIME ZONE,
    stopped_by       VARCHAR(100),
    -- live decisions sampled but not evaluated (an instance's queue was full), added up by every instance
    dropped          BIGINT                   NOT NULL
);

-- The one challenger of all instances: one row, its version null when none runs. Starting is a conditional update
-- of this row, so two analysts (or instances) cannot start two challengers at once.
CREATE TABLE shadow_challenger (
    id               INTEGER                  NOT NULL PRIMARY KEY,
    ruleset_version  VARCHAR(71)
);
INSERT INTO shadow_challenger (id, ruleset_version) VALUES (1, NULL);

-- One row per live decision evaluated under a challenger, by the live decision's id. The customer is kept only as the
-- decision log keeps it (its subject reference, a pseudonym); results are the plain result fields as JSON.
CREATE TABLE shadow_decision (
    ruleset_version    VARCHAR(71)              NOT NULL,
    decision_id        UUID                     NOT NULL,
    seq                BIGINT                   NOT NULL,
    decided_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    subject_ref        VARCHAR(100),
    live_version       VARCHAR(71)              NOT NULL,
    live_outcome       VARCHAR(16)              NOT NULL,
    challenger_outcome VARCHAR(16)              NOT NULL,
    live_limit         DECIMAL(24, 4)           NOT NULL,
    challenger_limit   DECIMAL(24, 4)           NOT NULL,
    changed            BOOLEAN                  NOT NULL,
    changed_fields     VARCHAR(200)             NOT NULL,
    engine_error       BOOLEAN                  NOT NULL,
    -- the result fields of both, for the list of changed decisions; null when nothing changed
    live_json          VARCHAR,
    challenger_json    VARCHAR,
    evaluated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (ruleset_version, decision_id)
);

CREATE INDEX shadow_decision_changes ON shadow_decision (ruleset_version, changed, seq);
