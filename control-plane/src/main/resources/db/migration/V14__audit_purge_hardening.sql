-- The application's role can no longer erase or re-anchor audit history, lift a legal hold without a trace, or
-- plant signing keys. What it may still do goes through SECURITY DEFINER functions that check their arguments
-- against the database's own state and clock:
--   atrium_purge_audit()              purges only expired, digested events, never under a legal hold, and writes
--                                     an append-only purge record that /verify matches against the chain;
--   atrium_set_audit_retention()      changes retention or a legal hold and writes the change to an append-only history;
--   atrium_add_audit_signing_key()    publishes a new digest signing key, valid from now(), retiring the current one.
-- The append-only trigger no longer has a session switch: a DELETE passes only inside a purge of this transaction.
-- When the application connects as the owner (a single-role external database) it keeps the owner's powers; the
-- checks in the functions and in /verify still apply, the grants below do not.

-- One row per purge, written by atrium_purge_audit() before it deletes anything. /verify requires the chain's
-- purge point and anchor to match a record, the record to sit on a signed digest's last event, and the chain to
-- hold the audit.purge event the application appended in the same transaction.
CREATE TABLE audit_purge (
    chain_id         varchar(64)  NOT NULL,
    tenant_id        uuid,
    purged_from      bigint       NOT NULL,
    purged_through   bigint       NOT NULL,
    anchor_hash      char(64)     NOT NULL,
    digest_sequence  bigint       NOT NULL,
    deleted_events   bigint       NOT NULL,
    retention_days   integer      NOT NULL,
    cutoff           timestamptz  NOT NULL,
    purged_at        timestamptz  NOT NULL,
    purged_by        varchar(200) NOT NULL,
    transaction_id   xid8         NOT NULL,
    PRIMARY KEY (chain_id, purged_through),
    FOREIGN KEY (chain_id, digest_sequence) REFERENCES audit_digest (chain_id, digest_sequence)
);
CREATE TRIGGER audit_purge_no_update_delete BEFORE UPDATE OR DELETE ON audit_purge
    FOR EACH ROW EXECUTE FUNCTION audit_row_is_append_only();
CREATE TRIGGER audit_purge_no_truncate BEFORE TRUNCATE ON audit_purge
    FOR EACH STATEMENT EXECUTE FUNCTION audit_row_is_append_only();
ALTER TABLE audit_purge ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_purge FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_purge USING (atrium_tenant_visible(chain_id)) WITH CHECK (atrium_tenant_visible(chain_id));

-- Every retention or legal-hold change, as written by atrium_set_audit_retention().
CREATE TABLE audit_retention_history (
    id              bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    chain_id        varchar(64)  NOT NULL,
    tenant_id       uuid,
    retention_days  integer      NOT NULL,
    legal_hold      boolean      NOT NULL,
    hold_reason     varchar(500),
    changed_at      timestamptz  NOT NULL,
    changed_by      varchar(200) NOT NULL
);
CREATE INDEX audit_retention_history_chain_idx ON audit_retention_history (chain_id, changed_at);
CREATE TRIGGER audit_retention_history_no_update_delete BEFORE UPDATE OR DELETE ON audit_retention_history
    FOR EACH ROW EXECUTE FUNCTION audit_row_is_append_only();
CREATE TRIGGER audit_retention_history_no_truncate BEFORE TRUNCATE ON audit_retention_history
    FOR EACH STATEMENT EXECUTE FUNCTION audit_row_is_append_only();
ALTER TABLE audit_retention_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_retention_history FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_retention_history USING (atrium_tenant_visible(chain_id)) WITH CHECK (atrium_tenant_visible(chain_id));

-- The policies in force when this migration ran start the history (row-level security applies to the owner too).
SELECT set_config('atrium.tenant_scope', '*', true);
INSERT INTO audit_retention_history (chain_id, tenant_id, retention_days, legal_hold, hold_reason, changed_at, changed_by)
SELECT chain_id, tenant_id, retention_days, legal_hold, hold_reason, updated_at, updated_by FROM audit_retention;
SELECT set_config('atrium.tenant_scope', '', true);

-- No session setting switches the guard off any more. A DELETE passes only when it runs as the table owner (that
-- is, inside atrium_purge_audit(), a SECURITY DEFINER function) and the row lies in a purge recorded by this
-- very transaction.
CREATE OR REPLACE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF current_user = (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = TG_RELID)
           AND EXISTS (SELECT 1 FROM audit_purge p
                       WHERE p.chain_id = OLD.chain_id AND OLD.sequence BETWEEN p.purged_from AND p.purged_through
                         AND p.transaction_id = pg_current_xact_id()) THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- Purges a chain's events through p_through. The function decides from the database's own state whether that is
-- allowed: the tenant's retention policy and legal hold, now(), the chain's signed digests and the events' own
-- timestamps. Row-level security still applies (the caller's tenant scope must include the chain).
CREATE OR REPLACE FUNCTION atrium_purge_audit(p_chain varchar, p_through bigint) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    v_purged_through bigint;
    v_policy record;
    v_days integer := 400;
    v_cutoff timestamptz;
    v_digest record;
    v_event_hash char(64);
    v_count bigint;
    v_newest timestamptz;
    v_deleted bigint;
BEGIN
    -- the head row lock serialises this purge with appends, other purges and retention changes of the chain
    SELECT purged_through INTO v_purged_through FROM audit_chain_head WHERE chain_id = p_chain FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'audit chain % does not exist', p_chain USING ERRCODE = 'no_data_found';
    END IF;
    SELECT retention_days, legal_hold INTO v_policy FROM audit_retention WHERE chain_id = p_chain;
    IF FOUND THEN
        IF v_policy.legal_hold THEN
            RAISE EXCEPTION 'chain % is under legal hold: nothing may be purged', p_chain USING ERRCODE = 'insufficient_privilege';
        END IF;
        v_days := v_policy.retention_days;
    END IF;
    v_cutoff := now() - make_interval(days => v_days);
    IF p_through IS NULL OR p_through <= v_purged_through THEN
        RAISE EXCEPTION 'chain % is already purged through %', p_chain, v_purged_through USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT digest_sequence, tenant_id, period_end, last_event_hash INTO v_digest
    FROM audit_digest WHERE chain_id = p_chain AND last_sequence = p_through;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'event % of chain % is not the last event of a signed digest: purges cut only at digest boundaries',
            p_through, p_chain USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF v_digest.period_end >= v_cutoff THEN
        RAISE EXCEPTION 'digest % of chain % ends at %, inside the retention period of % days (cut-off %)',
            v_digest.digest_sequence, p_chain, v_digest.period_end, v_days, v_cutoff USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT hash INTO v_event_hash FROM audit_event WHERE chain_id = p_chain AND sequence = p_through;
    IF v_event_hash IS DISTINCT FROM v_digest.last_event_hash THEN
        RAISE EXCEPTION 'chain % no longer holds the event digest % signed at %', p_chain, v_digest.digest_sequence, p_through
            USING ERRCODE = 'data_corrupted';
    END IF;
    -- the events' own timestamps too: a digest row can be inserted by the application, an event cannot be backdated
    SELECT count(*), max(occurred_at) INTO v_count, v_newest
    FROM audit_event WHERE chain_id = p_chain AND sequence > v_purged_through AND sequence <= p_through;
    IF v_newest >= v_cutoff THEN
        RAISE EXCEPTION 'events %..% of chain % include some recorded after the retention cut-off %',
            v_purged_through + 1, p_through, p_chain, v_cutoff USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF v_count <> p_through - v_purged_through THEN
        RAISE EXCEPTION 'chain % is missing events between % and %: a damaged chain is not purged', p_chain,
            v_purged_through + 1, p_through USING ERRCODE = 'data_corrupted';
    END IF;

    INSERT INTO audit_purge (chain_id, tenant_id, purged_from, purged_through, anchor_hash, digest_sequence, deleted_events,
                             retention_days, cutoff, purged_at, purged_by, transaction_id)
    VALUES (p_chain, v_digest.tenant_id, v_purged_through + 1, p_through, v_digest.last_event_hash, v_digest.digest_sequence,
            v_count, v_days, v_cutoff, now(), session_user, pg_current_xact_id());
    DELETE FROM audit_event WHERE chain_id = p_chain AND sequence > v_purged_through AND sequence <= p_through;
    GET DIAGNOSTICS v_deleted = ROW_COUNT;
    UPDATE audit_chain_head SET purged_through = p_through, anchor_hash = v_digest.last_event_hash WHERE chain_id = p_chain;
    RETURN v_deleted;
END;
$$;

-- Retention and legal hold change only here: within the bounds the API enforces, and always with a history row.
CREATE FUNCTION atrium_set_audit_retention(p_chain varchar, p_retention_days integer, p_legal_hold boolean,
                                           p_hold_reason varchar, p_changed_by varchar) RETURNS timestamptz
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    v_tenant uuid := CASE WHEN p_chain = 'platform' THEN NULL ELSE p_chain::uuid END;
    v_reason varchar := CASE WHEN p_legal_hold THEN p_hold_reason END;
BEGIN
    IF p_retention_days IS NULL OR p_retention_days < 400 OR p_retention_days > 36500 THEN
        RAISE EXCEPTION 'retention must be 400 to 36500 days, not %', p_retention_days USING ERRCODE = 'check_violation';
    END IF;
    IF p_legal_hold IS NULL OR (p_legal_hold AND coalesce(btrim(p_hold_reason), '') = '') THEN
        RAISE EXCEPTION 'a legal hold needs a reason' USING ERRCODE = 'check_violation';
    END IF;
    IF coalesce(btrim(p_changed_by), '') = '' THEN
        RAISE EXCEPTION 'a retention change needs the actor who made it' USING ERRCODE = 'check_violation';
    END IF;
    -- wait for a purge of this chain that is running to finish (it holds the head row) before the policy changes
    PERFORM 1 FROM audit_chain_head WHERE chain_id = p_chain FOR UPDATE;
    INSERT INTO audit_retention (chain_id, tenant_id, retention_days, legal_hold, hold_reason, updated_at, updated_by)
    VALUES (p_chain, v_tenant, p_retention_days, p_legal_hold, v_reason, now(), p_changed_by)
    ON CONFLICT (chain_id) DO UPDATE SET retention_days = excluded.retention_days, legal_hold = excluded.legal_hold,
        hold_reason = excluded.hold_reason, updated_at = excluded.updated_at, updated_by = excluded.updated_by;
    INSERT INTO audit_retention_history (chain_id, tenant_id, retention_days, legal_hold, hold_reason, changed_at, changed_by)
    VALUES (p_chain, v_tenant, p_retention_days, p_legal_hold, v_reason, now(), p_changed_by);
    RETURN now();
END;
$$;

-- At most one key signs new digests.
UPDATE audit_signing_key SET valid_to = now()
WHERE valid_to IS NULL AND key_id <> (SELECT key_id FROM audit_signing_key WHERE valid_to IS NULL ORDER BY valid_from DESC LIMIT 1);
CREATE UNIQUE INDEX audit_signing_key_one_current ON audit_signing_key ((true)) WHERE valid_to IS NULL;

-- A new digest signing key is valid from now() (never backdated), its id is derived from its public key, and it
-- retires the current key (the only one that can be retired): published keys and their validity never change
-- otherwise.
CREATE FUNCTION atrium_add_audit_signing_key(p_key_id varchar, p_algorithm varchar, p_public_key text) RETURNS timestamptz
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF p_algorithm IS DISTINCT FROM 'Ed25519' THEN
        RAISE EXCEPTION 'audit signing keys are Ed25519, not %', p_algorithm USING ERRCODE = 'check_violation';
    END IF;
    IF p_key_id IS DISTINCT FROM 'ed25519-' || left(encode(sha256(convert_to(p_public_key, 'UTF8')), 'hex'), 16) THEN
        RAISE EXCEPTION 'key id % is not derived from the public key', p_key_id USING ERRCODE = 'check_violation';
    END IF;
    UPDATE audit_signing_key SET valid_to = now() WHERE valid_to IS NULL;
    INSERT INTO audit_signing_key (key_id, algorithm, public_key, valid_from) VALUES (p_key_id, p_algorithm, p_public_key, now());
    RETURN now();
END;
$$;

REVOKE ALL ON FUNCTION atrium_set_audit_retention(varchar, integer, boolean, varchar, varchar) FROM PUBLIC;
REVOKE ALL ON FUNCTION atrium_add_audit_signing_key(varchar, varchar, text) FROM PUBLIC;

DO $$
BEGIN
    IF '${appRole}' <> current_user AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
        -- appends move sequence and head_hash; the purge point and its anchor belong to atrium_purge_audit()
        EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON audit_chain_head FROM %I', '${appRole}');
        EXECUTE format('GRANT INSERT (chain_id, sequence, head_hash), UPDATE (sequence, head_hash) ON audit_chain_head TO %I', '${appRole}');
        EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON audit_retention, audit_signing_key FROM %I', '${appRole}');
        EXECUTE format('GRANT SELECT ON audit_purge, audit_retention_history TO %I', '${appRole}');
        EXECUTE format('GRANT EXECUTE ON FUNCTION atrium_set_audit_retention(varchar, integer, boolean, varchar, varchar) TO %I', '${appRole}');
        EXECUTE format('GRANT EXECUTE ON FUNCTION atrium_add_audit_signing_key(varchar, varchar, text) TO %I', '${appRole}');
    END IF;
END
$$;
