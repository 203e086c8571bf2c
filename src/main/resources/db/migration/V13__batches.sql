-- Batch decisions (POST /api/v1/batches): a file of decision requests, stored line by line as it is received, then
-- decided chunk by chunk by whichever instance claims a chunk (a conditional update; the claim runs out when its
-- instance dies). Each line's decision goes to the decision log with the Idempotency-Key batch:<id>:<line>, whose
-- uniqueness in the log means a line is decided once however often its chunk is run.
CREATE TABLE batch (
    id               UUID                     NOT NULL PRIMARY KEY,
    client           VARCHAR(100)             NOT NULL,
    idempotency_key  VARCHAR(255),
    format           VARCHAR(16)              NOT NULL,
    -- RECEIVING while the file is read, RUNNING once every line is stored, DONE once every line has its result
    status           VARCHAR(16)              NOT NULL,
    sha256           VARCHAR(64),
    lines            BIGINT                   NOT NULL,
    bad_lines        BIGINT                   NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    received_at      TIMESTAMP WITH TIME ZONE,
    finished_at      TIMESTAMP WITH TIME ZONE,
    CONSTRAINT batch_idempotency UNIQUE (client, idempotency_key)
);

-- One row per line of the file that is not blank, by its line number in the file.
CREATE TABLE batch_line (
    batch_id      UUID    NOT NULL REFERENCES batch (id),
    line          BIGINT  NOT NULL,
    -- the request to decide, as JSON; null for a line that is no valid request
    request_json  VARCHAR,
    decision_id   UUID,
    -- the line's result once decided ({line, decisionId, ...}), or its problem ({line, problem}) from the start
    result_json   VARCHAR,
    PRIMARY KEY (batch_id, line)
);

-- The unit of work: consecutive lines, claimed and decided by one worker at a time.
CREATE TABLE batch_chunk (
    batch_id       UUID                     NOT NULL REFERENCES batch (id),
    first_line     BIGINT                   NOT NULL,
    last_line      BIGINT                   NOT NULL,
    done           BOOLEAN                  NOT NULL,
    claimed_by     VARCHAR(100),
    claimed_until  TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (batch_id, first_line)
);

CREATE INDEX batch_chunk_ready ON batch_chunk (done, claimed_until);
