-- Model deployments: a name under which a data plane serves one APPROVED registry version of one model, here through
-- an OpenAI-compatible backend (kind 'upstream'; 'self-hosted' model servers on GPU pools are planned). The backend's
-- API key is never stored here: api_key_secret names a tenant secret in the secret store (bring your own key).
-- owner is the tenant's id; 'platform' is reserved for platform-wide deployments (planned: nothing creates or serves
-- them yet). Tenants may read platform rows but never write them.
CREATE TABLE model_deployment (
    id              uuid          PRIMARY KEY,
    owner           varchar(64)   NOT NULL,
    name            varchar(64)   NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    model           varchar(100)  NOT NULL,
    model_version   varchar(50)   NOT NULL,
    kind            varchar(16)   NOT NULL CHECK (kind IN ('upstream')),
    upstream_url    varchar(500)  NOT NULL,
    upstream_model  varchar(200),
    api_key_secret  varchar(100),
    timeout_seconds integer       NOT NULL CHECK (timeout_seconds BETWEEN 1 AND 600),
    created_at      timestamptz   NOT NULL,
    created_by      varchar(200)  NOT NULL,
    updated_at      timestamptz   NOT NULL,
    updated_by      varchar(200)  NOT NULL,
    version         bigint        NOT NULL DEFAULT 0,
    UNIQUE (owner, name)
);

ALTER TABLE model_deployment ENABLE ROW LEVEL SECURITY;
ALTER TABLE model_deployment FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_read ON model_deployment FOR SELECT
    USING (owner = 'platform' OR atrium_tenant_visible(owner));
CREATE POLICY tenant_insert ON model_deployment FOR INSERT
    WITH CHECK (atrium_tenant_visible(owner));
CREATE POLICY tenant_update ON model_deployment FOR UPDATE
    USING (atrium_tenant_visible(owner)) WITH CHECK (atrium_tenant_visible(owner));
CREATE POLICY tenant_delete ON model_deployment FOR DELETE
    USING (atrium_tenant_visible(owner));

DO $$
BEGIN
    IF '${appRole}' <> current_user AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON model_deployment TO %I', '${appRole}');
    END IF;
END
$$;
