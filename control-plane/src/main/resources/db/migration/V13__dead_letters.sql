-- Outbox events a data plane could not deliver: the control plane refused them for good (a permanent 4xx), so the
-- data plane parked them and reports them here, for platform admins to see. One row per event id (a report sent
-- twice records it once). Only what identifies an event and why it was refused; never its payload.
CREATE TABLE dead_letter (
    event_id     uuid PRIMARY KEY,
    region       varchar(64)   NOT NULL,
    stream       varchar(16)   NOT NULL CHECK (stream IN ('usage', 'audit')),
    tenant_id    uuid          NOT NULL,
    status       integer       NOT NULL,
    reason       varchar(1000) NOT NULL,
    parked_at    timestamptz   NOT NULL,
    reported_at  timestamptz   NOT NULL DEFAULT now(),
    reported_by  varchar(200)  NOT NULL
);
CREATE INDEX dead_letter_newest_idx ON dead_letter (parked_at DESC, event_id DESC);

-- row-level security as on every table with tenant rows; the endpoints serve platform admins and data-plane services only
ALTER TABLE dead_letter ENABLE ROW LEVEL SECURITY;
ALTER TABLE dead_letter FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON dead_letter USING (atrium_tenant_visible(tenant_id::text)) WITH CHECK (atrium_tenant_visible(tenant_id::text));

DO $$
BEGIN
    IF '${appRole}' <> current_user AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
        EXECUTE format('GRANT SELECT, INSERT ON dead_letter TO %I', '${appRole}');
    END IF;
END
$$;
