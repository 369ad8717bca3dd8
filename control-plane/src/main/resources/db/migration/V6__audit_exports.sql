-- Audit report exports: one row per requested export; the file itself is written under <data-dir>/exports.
CREATE TABLE audit_export (
    id              uuid PRIMARY KEY,
    chain_id        varchar(64)  NOT NULL,
    tenant_id       uuid,
    requested_by    varchar(200) NOT NULL,
    range_from      timestamptz,
    range_to        timestamptz,
    format          varchar(8)   NOT NULL CHECK (format IN ('jsonl', 'csv')),
    status          varchar(16)  NOT NULL CHECK (status IN ('PENDING', 'RUNNING', 'DONE', 'FAILED')),
    events_total    bigint,
    events_written  bigint       NOT NULL DEFAULT 0,
    error           varchar(1000),
    created_at      timestamptz  NOT NULL,
    completed_at    timestamptz
);
CREATE INDEX audit_export_chain_idx ON audit_export (chain_id, created_at);

ALTER TABLE audit_export ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_export FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_export USING (atrium_tenant_visible(chain_id)) WITH CHECK (atrium_tenant_visible(chain_id));

DO $$
BEGIN
    IF '${appRole}' <> current_user AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
        EXECUTE format('GRANT SELECT, INSERT, UPDATE ON audit_export TO %I', '${appRole}');
    END IF;
END
$$;
