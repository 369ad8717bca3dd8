-- The model registry: models (a tenant's own, or the platform's, visible to every tenant) and their versions, each
-- with a model card (JSON, schema in compliance/) and a review status. Only APPROVED versions may be served.

CREATE TABLE model (
    id           uuid PRIMARY KEY,
    owner        varchar(64)   NOT NULL,
    name         varchar(100)  NOT NULL,
    type         varchar(16)   NOT NULL,
    provider     varchar(200),
    description  varchar(2000),
    created_at   timestamptz   NOT NULL,
    created_by   varchar(200)  NOT NULL,
    UNIQUE (owner, name)
);

CREATE TABLE model_version (
    model_id         uuid          NOT NULL REFERENCES model (id) ON DELETE CASCADE,
    owner            varchar(64)   NOT NULL,
    version          varchar(50)   NOT NULL,
    artifact_uri     varchar(1000) NOT NULL,
    serving_runtime  varchar(100),
    gpu_type         varchar(50),
    gpu_count        integer       NOT NULL DEFAULT 0,
    status           varchar(16)   NOT NULL,
    card             jsonb         NOT NULL,
    review_comment   varchar(2000),
    reviewed_by      varchar(200),
    reviewed_at      timestamptz,
    created_at       timestamptz   NOT NULL,
    created_by       varchar(200)  NOT NULL,
    updated_at       timestamptz   NOT NULL,
    PRIMARY KEY (model_id, version)
);

-- A tenant sees its own models and the platform's; it can only write its own. Platform rows need the '*' scope.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['model', 'model_version'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (owner = ''platform'' OR atrium_tenant_visible(owner)) WITH CHECK (atrium_tenant_visible(owner))', t);
        IF '${appRole}' <> current_user AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
            EXECUTE format('GRANT SELECT, INSERT, UPDATE ON %I TO %I', t, '${appRole}');
        END IF;
    END LOOP;
END
$$;
