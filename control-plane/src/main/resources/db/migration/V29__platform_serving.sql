-- A Kubernetes region's shared serving namespace, where the platform's self-hosted deployments run: its model
-- servers as the last apply reported them, and how the last apply went. Platform data: no tenant's row, read and
-- written by the platform scope only.
CREATE TABLE platform_serving (
    region        varchar(40)   NOT NULL PRIMARY KEY,
    namespace     varchar(63)   NOT NULL,
    model_servers jsonb,
    condition     varchar(16)   NOT NULL CHECK (condition IN ('Ready', 'Degraded')),
    reason        varchar(64),
    message       varchar(1000),
    updated_at    timestamptz   NOT NULL
);

ALTER TABLE platform_serving ENABLE ROW LEVEL SECURITY;
ALTER TABLE platform_serving FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_only ON platform_serving USING (atrium_scope_all())
    WITH CHECK (atrium_scope_all());

DO $$
BEGIN
    IF '${appRole}' <> current_user AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON platform_serving TO %I', '${appRole}');
    END IF;
END
$$;
