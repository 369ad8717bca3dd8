-- Audit retention per tenant (default 400 days: the SOC 2 Type II window plus margin) and legal hold.
-- Purging is the only way audit events are ever deleted: through atrium_purge_audit(), which runs as the owner,
-- refuses chains under legal hold, deletes only from the start of a chain, and records the hash the remaining
-- chain is anchored to (a signed digest pins it), so verification still works after a purge.

CREATE TABLE audit_retention (
    chain_id        varchar(64)  PRIMARY KEY,
    tenant_id       uuid,
    retention_days  integer      NOT NULL CHECK (retention_days >= 1),
    legal_hold      boolean      NOT NULL,
    hold_reason     varchar(500),
    updated_at      timestamptz  NOT NULL,
    updated_by      varchar(200) NOT NULL
);
ALTER TABLE audit_retention ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_retention FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_retention USING (atrium_tenant_visible(chain_id)) WITH CHECK (atrium_tenant_visible(chain_id));

ALTER TABLE audit_chain_head ADD COLUMN purged_through bigint NOT NULL DEFAULT 0;
ALTER TABLE audit_chain_head ADD COLUMN anchor_hash char(64);

CREATE OR REPLACE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND coalesce(current_setting('atrium.audit_purge', true), '') = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE FUNCTION atrium_purge_audit(p_chain varchar, p_through bigint) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    v_anchor char(64);
    v_deleted bigint;
BEGIN
    IF EXISTS (SELECT 1 FROM audit_retention WHERE chain_id = p_chain AND legal_hold) THEN
        RAISE EXCEPTION 'chain % is under legal hold: nothing may be purged', p_chain USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT hash INTO v_anchor FROM audit_event WHERE chain_id = p_chain AND sequence = p_through;
    IF v_anchor IS NULL THEN
        RAISE EXCEPTION 'chain % has no event %', p_chain, p_through;
    END IF;
    PERFORM set_config('atrium.audit_purge', 'on', true);
    DELETE FROM audit_event WHERE chain_id = p_chain AND sequence <= p_through;
    GET DIAGNOSTICS v_deleted = ROW_COUNT;
    PERFORM set_config('atrium.audit_purge', 'off', true);
    UPDATE audit_chain_head SET purged_through = p_through, anchor_hash = v_anchor WHERE chain_id = p_chain;
    RETURN v_deleted;
END;
$$;
REVOKE ALL ON FUNCTION atrium_purge_audit(varchar, bigint) FROM PUBLIC;

DO $$
BEGIN
    IF '${appRole}' <> current_user AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
        EXECUTE format('GRANT SELECT, INSERT, UPDATE ON audit_retention TO %I', '${appRole}');
        EXECUTE format('GRANT EXECUTE ON FUNCTION atrium_purge_audit(varchar, bigint) TO %I', '${appRole}');
    END IF;
END
$$;
