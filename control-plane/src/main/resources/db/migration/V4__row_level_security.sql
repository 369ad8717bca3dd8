-- Row-level security: the second wall behind the service checks. Every connection the application takes from its
-- pool carries atrium.tenant_scope: '*' for the platform itself (operators, background jobs, authentication) or
-- the comma-separated tenant ids a tenant principal belongs to. Rows of other tenants are invisible and cannot be
-- written; without the setting no tenant row is visible at all. FORCE applies the policies to the table owner
-- too, so a single-role installation gets the same wall (only a superuser bypasses it).

CREATE FUNCTION atrium_tenant_visible(tenant text) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('atrium.tenant_scope', true), '') = '*'
        OR (tenant IS NOT NULL AND tenant = ANY (string_to_array(coalesce(current_setting('atrium.tenant_scope', true), ''), ',')))
$$;

ALTER TABLE tenant ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant USING (atrium_tenant_visible(id::text)) WITH CHECK (atrium_tenant_visible(id::text));

ALTER TABLE api_key ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_key FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_key USING (atrium_tenant_visible(tenant_id::text)) WITH CHECK (atrium_tenant_visible(tenant_id::text));

ALTER TABLE audit_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_event FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_event USING (atrium_tenant_visible(tenant_id::text)) WITH CHECK (atrium_tenant_visible(tenant_id::text));

ALTER TABLE audit_chain_head ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_chain_head FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_chain_head USING (atrium_tenant_visible(chain_id)) WITH CHECK (atrium_tenant_visible(chain_id));

ALTER TABLE secret ENABLE ROW LEVEL SECURITY;
ALTER TABLE secret FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON secret USING (atrium_tenant_visible(scope)) WITH CHECK (atrium_tenant_visible(scope));

ALTER TABLE secret_version ENABLE ROW LEVEL SECURITY;
ALTER TABLE secret_version FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON secret_version USING (atrium_tenant_visible(scope)) WITH CHECK (atrium_tenant_visible(scope));

ALTER TABLE secret_data_key ENABLE ROW LEVEL SECURITY;
ALTER TABLE secret_data_key FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON secret_data_key USING (atrium_tenant_visible(scope)) WITH CHECK (atrium_tenant_visible(scope));
