-- Decision services (/api/v1/models): every call of a DMN model that was answered, appended and never updated or
-- deleted by the service. Chained like the decision log: hash = SHA-256(previous_hash || canonical call), its head in
-- decision_log_head under the chain 'model-calls'. Each call names the ruleset version that answered it, so an
-- auditor can replay it under that version (docs/decision-services.md).
CREATE TABLE model_call (
    seq                BIGINT                   NOT NULL PRIMARY KEY,
    id                 UUID                     NOT NULL,
    called_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    client             VARCHAR(250)             NOT NULL,
    model_name         VARCHAR(250)             NOT NULL,
    model_namespace    VARCHAR(1000),
    decision_service   VARCHAR(250),
    ruleset_version    VARCHAR(71)              NOT NULL REFERENCES ruleset_version (version),
    inputs_json        VARCHAR                  NOT NULL,
    result_json        VARCHAR                  NOT NULL,
    previous_hash      VARCHAR(64)              NOT NULL,
    hash               VARCHAR(64)              NOT NULL,
    CONSTRAINT model_call_id UNIQUE (id)
);

CREATE INDEX model_call_model ON model_call (model_name, called_at);

INSERT INTO decision_log_head (chain, seq, hash)
VALUES ('model-calls', 0, '0000000000000000000000000000000000000000000000000000000000000000');
