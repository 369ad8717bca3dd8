-- Signed digests of the audit chains (after CloudTrail's digest files) and the public half of every signing key.
-- Private keys live in the secret store. Digests are append-only like the events they cover.

CREATE TABLE audit_signing_key (
    key_id      varchar(32) PRIMARY KEY,
    algorithm   varchar(16) NOT NULL,
    public_key  text        NOT NULL,
    valid_from  timestamptz NOT NULL,
    valid_to    timestamptz
);

CREATE TABLE audit_digest (
    chain_id              varchar(64) NOT NULL,
    digest_sequence       bigint      NOT NULL,
    tenant_id             uuid,
    period_start          timestamptz NOT NULL,
    period_end            timestamptz NOT NULL,
    event_count           bigint      NOT NULL,
    first_sequence        bigint      NOT NULL,
    last_sequence         bigint      NOT NULL,
    first_event_hash      char(64)    NOT NULL,
    last_event_hash       char(64)    NOT NULL,
    previous_digest_hash  char(64)    NOT NULL,
    digest_hash           char(64)    NOT NULL,
    key_id                varchar(32) NOT NULL REFERENCES audit_signing_key (key_id),
    signature             text        NOT NULL,
    created_at            timestamptz NOT NULL,
    PRIMARY KEY (chain_id, digest_sequence)
);
CREATE INDEX audit_digest_tenant_time_idx ON audit_digest (tenant_id, period_end);

CREATE FUNCTION audit_row_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_digest_no_update_delete BEFORE UPDATE OR DELETE ON audit_digest
    FOR EACH ROW EXECUTE FUNCTION audit_row_is_append_only();
CREATE TRIGGER audit_digest_no_truncate BEFORE TRUNCATE ON audit_digest
    FOR EACH STATEMENT EXECUTE FUNCTION audit_row_is_append_only();

ALTER TABLE audit_digest ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_digest FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_digest USING (atrium_tenant_visible(chain_id)) WITH CHECK (atrium_tenant_visible(chain_id));

DO $$
BEGIN
    IF '${appRole}' <> current_user AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
        EXECUTE format('GRANT SELECT, INSERT ON audit_digest TO %I', '${appRole}');
        EXECUTE format('GRANT SELECT, INSERT, UPDATE ON audit_signing_key TO %I', '${appRole}');
    END IF;
END
$$;
