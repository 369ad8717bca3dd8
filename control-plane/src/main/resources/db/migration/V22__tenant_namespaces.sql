-- Desired state of dedicated tenants in Kubernetes regions: one row per (tenant, region) the tenant is provisioned in
-- (its primary region while it is dedicated there) or is being removed from (a region it left, or every region once
-- it is deleted or becomes pooled). The namespace's objects themselves live in the region's cluster; this row keeps
-- what was asked (namespace, a fingerprint of the spec without its credentials) and the last condition the
-- reconciler reported. No credential is stored here: they stay in the secret store.
CREATE TABLE tenant_namespace (
    tenant_id    uuid          NOT NULL REFERENCES tenant (id),
    -- no foreign key: the row of a region the tenant left must outlive the region's retirement until it is removed
    region       varchar(40)   NOT NULL,
    namespace    varchar(63)   NOT NULL CHECK (namespace ~ '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'),
    fingerprint  varchar(64)   NOT NULL,
    condition    varchar(16)   NOT NULL CHECK (condition IN ('Pending', 'Ready', 'Degraded', 'Removing')),
    reason       varchar(100)  NOT NULL,
    message      varchar(1000) NOT NULL,
    updated_at   timestamptz   NOT NULL,
    PRIMARY KEY (tenant_id, region)
);
CREATE INDEX tenant_namespace_region_idx ON tenant_namespace (region);

ALTER TABLE tenant_namespace ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_namespace FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_namespace
    USING ((SELECT atrium_scope_all()) OR tenant_id::text = ANY ((SELECT atrium_scope())::text[]))
    WITH CHECK ((SELECT atrium_scope_all()) OR tenant_id::text = ANY ((SELECT atrium_scope())::text[]));

DO $$
BEGIN
    IF '${appRole}' <> current_user AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_namespace TO %I', '${appRole}');
    END IF;
END
$$;
