-- PostgreSQL only (the postgres profile adds this location): what the service's runtime role may do, applied by the
-- schema owner after every migration that changes this file or the role's name. Start from nothing, then grant
-- exactly the statements the service issues per table (docs/operations.md, "Two database roles"):
--   * the logs - chained (decision_log, credit_ledger, referral_event, access_log, model_call) or append-only
--     (ruleset_event, ruleset_file, receivables_snapshot, audit_checkpoint, personal_data_erasure) - SELECT and INSERT
--     only: no UPDATE, DELETE, TRUNCATE, REFERENCES or TRIGGER;
--   * the chain heads (decision_log_head) SELECT and UPDATE: their rows come from the migrations;
--   * tables whose rows change state SELECT, INSERT and UPDATE; the service deletes from one table only,
--     personal_data_key, whose rows are the customers' data keys: deleting one is an erasure (crypto-shredding);
--   * credit_line SELECT and INSERT, and UPDATE of one column only because PostgreSQL asks for it before
--     SELECT ... FOR UPDATE (the buyer's lock); the service never updates a line.
-- No sequence is granted: an identity column (ruleset_event.id) draws from its sequence without one.
-- A new table needs a line here (LeastPrivilegeTest fails until it has one), which also makes Flyway apply this again.
-- With one role for both (no owner configured, the default) this does nothing.
DO $$
DECLARE
    runtime_role CONSTANT TEXT := '${runtime_role}';
    s CONSTANT TEXT := current_schema();
BEGIN
    IF runtime_role = '' OR runtime_role = current_user THEN
        RAISE NOTICE 'one database role (%): no runtime grants', current_user;
        RETURN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = runtime_role) THEN
        RAISE EXCEPTION 'the runtime role % does not exist: create it first (docs/operations.md)', runtime_role;
    END IF;
    -- grants would mean nothing to a role that can do anything, or everything the owner can
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = runtime_role AND rolsuper)
            OR pg_has_role(runtime_role, current_user, 'USAGE') THEN
        RAISE EXCEPTION 'the runtime role % is a superuser or has the privileges of the owner %', runtime_role, current_user;
    END IF;

    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM PUBLIC, %I', s, runtime_role);
    EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM PUBLIC, %I', s, runtime_role);
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', s, runtime_role);

    EXECUTE format('GRANT SELECT, INSERT ON decision_log, credit_ledger, referral_event, access_log, model_call, '
        || 'ruleset_event, ruleset_file, receivables_snapshot, audit_checkpoint, personal_data_erasure TO %I',
        runtime_role);
    EXECUTE format('GRANT SELECT, INSERT, DELETE ON personal_data_key TO %I', runtime_role);
    EXECUTE format('GRANT SELECT, UPDATE ON decision_log_head TO %I', runtime_role);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON ruleset_version, ruleset_active, ruleset_folder, backtest, '
        || 'credit_hold, receivables_import, referral_case, referral_webhook, batch, batch_line, batch_chunk, '
        || 'backtest_changed, terms_suspension TO %I',
        runtime_role);
    EXECUTE format('GRANT SELECT, INSERT ON credit_line TO %I', runtime_role);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON shadow_run TO %I', runtime_role);
    EXECUTE format('GRANT SELECT, UPDATE ON shadow_challenger TO %I', runtime_role);
    EXECUTE format('GRANT SELECT, INSERT ON shadow_decision TO %I', runtime_role);
    EXECUTE format('GRANT UPDATE (created_at) ON credit_line TO %I', runtime_role);
END
$$;
