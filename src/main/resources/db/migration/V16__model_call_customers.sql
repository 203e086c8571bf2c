-- Model calls made for a customer (a dunning call with ?customerId=): the customer's subject reference, never the id
-- (docs/security.md). In the call's hash when present, so calls logged before keep theirs.
ALTER TABLE model_call ADD COLUMN customer_ref VARCHAR(33);

-- Terms suspended by dunning (docs/dunning-policy.md): one row per buyer whose terms a dunning call ever suspended.
-- SUSPENDED while the buyer's latest dunning call for them blocks new orders on terms; LIFTED by a later call that does
-- not, or by a credit manager. A credit decision reads it under the buyer's line lock, says so in its record and is
-- told TERMS_SUSPENDED. An erasure puts the customer's subject reference in place of the id.
CREATE TABLE terms_suspension (
    customer_id     VARCHAR(64)              NOT NULL PRIMARY KEY,
    status          VARCHAR(16)              NOT NULL,
    suspended_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    suspended_by    UUID                     NOT NULL,
    changed_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    lifted_by_call  UUID,
    lifted_by       VARCHAR(250),
    CONSTRAINT terms_suspension_status CHECK (status IN ('SUSPENDED', 'LIFTED'))
);
