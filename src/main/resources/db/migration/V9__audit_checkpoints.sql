-- Signed checkpoints of the decision log's chain (docs/audit.md). The files in termsgate.audit.checkpoints.dir are
-- the authority; this table is a convenience copy, and tells verification which lines the files must still hold.
CREATE TABLE audit_checkpoint (
    instance_id VARCHAR(64) NOT NULL,
    seq BIGINT NOT NULL,
    hash CHAR(64) NOT NULL,
    signed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    key_id CHAR(64) NOT NULL,
    signature VARCHAR(200) NOT NULL,
    file VARCHAR(100) NOT NULL,
    PRIMARY KEY (instance_id, seq)
);
