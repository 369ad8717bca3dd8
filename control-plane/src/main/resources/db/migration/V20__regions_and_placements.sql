-- Regions: where data planes run. A static region is a data-plane process already serving at an endpoint (what
-- `make run` starts); a kubernetes region is a cluster Atrium provisions tenant namespaces in. Regions are platform
-- data (no tenant column): every session may read them, only the platform API changes them.
CREATE TABLE region (
    name          varchar(40)   PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9-]{1,39}$'),
    zone          varchar(32)   NOT NULL,
    endpoint      varchar(500)  NOT NULL,
    kind          varchar(16)   NOT NULL CHECK (kind IN ('static', 'kubernetes')),
    kubernetes    jsonb,
    -- new tenants are placed only in schedulable regions (an operator cordons a region to drain it)
    schedulable   boolean       NOT NULL DEFAULT true,
    status        varchar(16)   NOT NULL DEFAULT 'UNKNOWN' CHECK (status IN ('UNKNOWN', 'HEALTHY', 'UNHEALTHY')),
    status_detail varchar(500),
    probed_at     timestamptz,
    created_at    timestamptz   NOT NULL,
    updated_at    timestamptz   NOT NULL,
    version       bigint        NOT NULL DEFAULT 0,
    CHECK ((kind = 'kubernetes') = (kubernetes IS NOT NULL))
);
CREATE INDEX region_zone_idx ON region (zone);

-- Placements: every tenant's primary region and ordered standbys, all in the tenant's residency zone (the service
-- checks the zone; the foreign keys keep a region from being deleted while a tenant is placed in it).
CREATE TABLE placement (
    tenant_id       uuid         PRIMARY KEY REFERENCES tenant (id),
    primary_region  varchar(40)  NOT NULL REFERENCES region (name),
    standby_regions varchar(40)[] NOT NULL DEFAULT '{}',
    -- regions the tenant has left: its data may still be there, so deleting the tenant erases them too
    former_regions  varchar(40)[] NOT NULL DEFAULT '{}',
    updated_at      timestamptz  NOT NULL,
    updated_by      varchar(200) NOT NULL,
    version         bigint       NOT NULL DEFAULT 0,
    CHECK (NOT primary_region = ANY (standby_regions))
);
CREATE INDEX placement_primary_idx ON placement (primary_region);

ALTER TABLE placement ENABLE ROW LEVEL SECURITY;
ALTER TABLE placement FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON placement
    USING ((SELECT atrium_scope_all()) OR tenant_id::text = ANY ((SELECT atrium_scope())::text[]))
    WITH CHECK ((SELECT atrium_scope_all()) OR tenant_id::text = ANY ((SELECT atrium_scope())::text[]));

DO $$
BEGIN
    IF '${appRole}' <> current_user AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON region TO %I', '${appRole}');
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON placement TO %I', '${appRole}');
    END IF;
END
$$;
