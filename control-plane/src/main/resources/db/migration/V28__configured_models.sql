-- The model backends each static region's shared data plane is configured with (atrium.models.*), as it last
-- reported them: listed with the platform's deployments. Never a key, only whether one is set. Platform data: no
-- tenant's row, read and written by the platform scope only.
CREATE TABLE configured_model (
    region         varchar(40)  NOT NULL,
    name           varchar(100) NOT NULL,
    kind           varchar(16)  NOT NULL CHECK (kind IN ('chat', 'embedding')),
    url            varchar(500) NOT NULL,
    upstream_model varchar(200),
    fallback       varchar(100),
    has_key        boolean      NOT NULL,
    restricted     boolean      NOT NULL,
    reported_at    timestamptz  NOT NULL,
    PRIMARY KEY (region, name)
);

ALTER TABLE configured_model ENABLE ROW LEVEL SECURITY;
ALTER TABLE configured_model FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_only ON configured_model USING (atrium_scope_all())
    WITH CHECK (atrium_scope_all());

DO $$
BEGIN
    IF '${appRole}' <> current_user AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON configured_model TO %I', '${appRole}');
    END IF;
END
$$;
