-- Who looked: every read of the decision log by an auditor (a record, a search, an export, a replay, a
-- verification, a read of this log itself), appended before the answer is given. Chained like the decision log:
-- hash = SHA-256(previous_hash || canonical entry), its head in decision_log_head under the chain 'access'.
-- actor is the person (a key's holder, a console user), via the key's or the sign-in's own name.
CREATE TABLE access_log (
    seq           BIGINT                   NOT NULL PRIMARY KEY,
    at            TIMESTAMP WITH TIME ZONE NOT NULL,
    actor         VARCHAR(100)             NOT NULL,
    via           VARCHAR(100)             NOT NULL,
    action        VARCHAR(32)              NOT NULL,
    decision_id   UUID,
    parameters    VARCHAR(2000)            NOT NULL,
    result_count  BIGINT,
    previous_hash VARCHAR(64)              NOT NULL,
    hash          VARCHAR(64)              NOT NULL
);

CREATE INDEX access_log_actor ON access_log (actor, seq);
CREATE INDEX access_log_at ON access_log (at);

INSERT INTO decision_log_head (chain, seq, hash)
VALUES ('access', 0, '0000000000000000000000000000000000000000000000000000000000000000');
