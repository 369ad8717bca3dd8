-- Who belongs to which tenant, with which role, is Atrium's own data (Keycloak only authenticates people): a tenant
-- admin never attaches an account by id, and an invitation becomes a membership only when the invited person,
-- signed in with that verified e-mail address, accepts it.
SELECT set_config('atrium.tenant_scope', '*', true);

CREATE TABLE tenant_member (
    tenant_id    uuid         NOT NULL REFERENCES tenant (id),
    user_id      varchar(64)  NOT NULL,
    role         varchar(32)  NOT NULL CHECK (role IN ('tenant-admin', 'tenant-member', 'compliance-officer')),
    username     varchar(255),
    email        varchar(254),
    first_name   varchar(100),
    last_name    varchar(100),
    joined_at    timestamptz  NOT NULL,
    added_by     varchar(200) NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX tenant_member_user_idx ON tenant_member (user_id);

CREATE TABLE member_invitation (
    id            uuid         PRIMARY KEY,
    tenant_id     uuid         NOT NULL REFERENCES tenant (id),
    email         varchar(254) NOT NULL,
    role          varchar(32)  NOT NULL CHECK (role IN ('tenant-admin', 'tenant-member', 'compliance-officer')),
    status        varchar(16)  NOT NULL CHECK (status IN ('PENDING', 'ACCEPTED', 'DECLINED', 'REVOKED')),
    invited_by    varchar(200) NOT NULL,
    invited_at    timestamptz  NOT NULL,
    expires_at    timestamptz  NOT NULL,
    responded_at  timestamptz,
    responded_by  varchar(200)
);
CREATE UNIQUE INDEX member_invitation_one_pending ON member_invitation (tenant_id, email) WHERE status = 'PENDING';
CREATE INDEX member_invitation_pending_email_idx ON member_invitation (email) WHERE status = 'PENDING';
CREATE INDEX member_invitation_tenant_idx ON member_invitation (tenant_id, invited_at);

ALTER TABLE tenant_member ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_member FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_member USING (atrium_tenant_visible(tenant_id::text)) WITH CHECK (atrium_tenant_visible(tenant_id::text));
ALTER TABLE member_invitation ENABLE ROW LEVEL SECURITY;
ALTER TABLE member_invitation FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON member_invitation USING (atrium_tenant_visible(tenant_id::text)) WITH CHECK (atrium_tenant_visible(tenant_id::text));

DO $$
BEGIN
    IF '${appRole}' <> current_user AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_member TO %I', '${appRole}');
        EXECUTE format('GRANT SELECT, INSERT, UPDATE ON member_invitation TO %I', '${appRole}');
    END IF;
END
$$;
