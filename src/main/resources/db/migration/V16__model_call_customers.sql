-- Model calls made for a customer (a dunning call with ?customerId=): the customer's subject reference, never the id
-- (docs/security.md). In the call's hash when present, so calls logged before keep theirs.
ALTER TABLE model_call ADD COLUMN customer_ref VARCHAR(33);
