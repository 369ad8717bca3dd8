-- Atrium control plane, first schema: tenants, API keys, the audit trail and idempotency records.
-- Runs as the schema owner. ${appRole} is the role the application connects as: it gets DML rights only, and
-- no UPDATE or DELETE on the audit trail. When the application connects as the owner itself (a single-role
-- external database) there is nothing to grant; the append-only trigger still protects the audit trail.

CREATE TABLE tenant (
    id            uuid PRIMARY KEY,
    slug          varchar(40)  NOT NULL,
    display_name  varchar(200) NOT NULL,
    plan          varchar(32)  NOT NULL,
    residency     varchar(32)  NOT NULL,
    status        varchar(16)  NOT NULL CHECK (status IN ('PROVISIONING', 'ACTIVE', 'SUSPENDED', 'DELETING', 'DELETED')),
    version       bigint       NOT NULL,
    created_at    timestamptz  NOT NULL,
    updated_at    timestamptz  NOT NULL,
    CONSTRAINT tenant_slug_unique UNIQUE (slug)
);
CREATE INDEX tenant_created_idx ON tenant (created_at, id);
CREATE INDEX tenant_status_created_idx ON tenant (status, created_at, id);

-- tenant_id NULL marks a platform key (platform-admin); every other key belongs to exactly one tenant.
CREATE TABLE api_key (
    id            uuid PRIMARY KEY,
    tenant_id     uuid REFERENCES tenant (id),
    name          varchar(100) NOT NULL,
    display_prefix varchar(16) NOT NULL,
    key_hash      char(64)     NOT NULL,
    scopes        varchar(200) NOT NULL,
    created_at    timestamptz  NOT NULL,
    created_by    varchar(200) NOT NULL,
    expires_at    timestamptz,
    last_used_at  timestamptz,
    revoked_at    timestamptz,
    revoked_by    varchar(200),
    CONSTRAINT api_key_hash_unique UNIQUE (key_hash)
);
CREATE INDEX api_key_tenant_idx ON api_key (tenant_id, created_at, id);

-- One row per chain (a tenant id, or 'platform'): the lock that serialises appends and the current head.
CREATE TABLE audit_chain_head (
    chain_id   varchar(64) PRIMARY KEY,
    sequence   bigint      NOT NULL,
    head_hash  char(64)    NOT NULL
);

CREATE TABLE audit_event (
    id            uuid PRIMARY KEY,
    chain_id      varchar(64)  NOT NULL,
    sequence      bigint       NOT NULL,
    tenant_id     uuid,
    occurred_at   timestamptz  NOT NULL,
    actor_id      varchar(200) NOT NULL,
    actor_type    varchar(32)  NOT NULL,
    action        varchar(100) NOT NULL,
    resource_type varchar(64),
    resource_id   varchar(200),
    outcome       varchar(16)  NOT NULL CHECK (outcome IN ('SUCCESS', 'FAILURE', 'DENIED')),
    detail        varchar(1000),
    request_id    varchar(100),
    source_ip     varchar(64),
    user_agent    varchar(512),
    before_state  jsonb,
    after_state   jsonb,
    prev_hash     char(64)     NOT NULL,
    hash          char(64)     NOT NULL,
    CONSTRAINT audit_event_chain_sequence_unique UNIQUE (chain_id, sequence)
);
CREATE INDEX audit_event_tenant_time_idx ON audit_event (tenant_id, occurred_at DESC, id DESC);
CREATE INDEX audit_event_time_idx ON audit_event (occurred_at DESC, id DESC);

-- The audit trail is append-only for everybody, the owner included: changing history takes dropping this
-- trigger, which is itself a schema change that leaves a trace in flyway_schema_history.
CREATE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only();

-- A replayable response per (caller, Idempotency-Key), written in the same transaction as the mutation.
CREATE TABLE idempotency_record (
    principal        varchar(200) NOT NULL,
    idempotency_key  varchar(255) NOT NULL,
    fingerprint      char(64)     NOT NULL,
    response_status  integer      NOT NULL,
    response_body    text,
    response_headers varchar(2000),
    created_at       timestamptz  NOT NULL,
    PRIMARY KEY (principal, idempotency_key)
);
CREATE INDEX idempotency_record_created_idx ON idempotency_record (created_at);

DO $$
BEGIN
    IF '${appRole}' <> current_user AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), '${appRole}');
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON tenant, api_key, audit_chain_head, idempotency_record TO %I', '${appRole}');
        EXECUTE format('GRANT SELECT, INSERT ON audit_event TO %I', '${appRole}');
    END IF;
END
$$;
