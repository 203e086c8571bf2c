-- Personal data in the decision log, erasable without touching the chain (crypto-shredding; docs/security.md).
--
-- Each customer the log has seen has one row here: a random subject reference that stands for the customer in
-- decision_log.customer_id, and the customer's data key (AES-256), wrapped with the service's master key, which
-- never enters the database. The request of each decision is stored encrypted with that data key, and the chain hashes
-- the ciphertext. Deleting the row destroys the key and the only link from the customer id to the reference: the
-- records stay, counted and verifiable, and nobody can read or find them by the customer any more.
CREATE TABLE personal_data_key (
    -- HMAC-SHA256 of the customer id under a key derived from the master key (hex): found by customer, not readable
    lookup       VARCHAR(64)              NOT NULL PRIMARY KEY,
    -- "~" and 32 hex digits: never a valid customer id, so a reference and a customer id cannot be mistaken
    subject_ref  VARCHAR(40)              NOT NULL,
    -- base64 of nonce || AES-GCM(master-derived wrapping key, data key), the reference as associated data
    wrapped_key  VARCHAR(200)             NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT personal_data_key_subject UNIQUE (subject_ref)
);

-- Every erasure, in a hash chain of its own beside the decision log (head 'erasures' in decision_log_head): which
-- subject reference was erased, when, by whom, and what it reached. It names the reference, never the customer id.
CREATE TABLE personal_data_erasure (
    seq            BIGINT                   NOT NULL PRIMARY KEY,
    erasure_id     UUID                     NOT NULL,
    subject_ref    VARCHAR(40)              NOT NULL,
    erased_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    erased_by      VARCHAR(100)             NOT NULL,
    reached_json   VARCHAR                  NOT NULL,
    previous_hash  VARCHAR(64)              NOT NULL,
    hash           VARCHAR(64)              NOT NULL,
    CONSTRAINT personal_data_erasure_id UNIQUE (erasure_id)
);

INSERT INTO decision_log_head (chain, seq, hash)
VALUES ('erasures', 0, '0000000000000000000000000000000000000000000000000000000000000000');
