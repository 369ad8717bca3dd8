-- Tenant and platform secrets. `secret` holds what the API may show (names, versions, who and when) for every
-- backend; `secret_data_key` and `secret_version` are the local encrypted store's ciphertexts (unused with Vault).
-- A scope is a tenant id or 'platform'.

CREATE TABLE secret (
    scope            varchar(64)  NOT NULL,
    name             varchar(128) NOT NULL,
    tenant_id        uuid REFERENCES tenant (id),
    current_version  integer      NOT NULL,
    generated        boolean      NOT NULL,
    created_at       timestamptz  NOT NULL,
    created_by       varchar(200) NOT NULL,
    updated_at       timestamptz  NOT NULL,
    updated_by       varchar(200) NOT NULL,
    deleted_at       timestamptz,
    PRIMARY KEY (scope, name)
);
CREATE INDEX secret_tenant_idx ON secret (tenant_id);

-- One AES-256 data key per scope, wrapped (AES-256-GCM) by a master key that never enters the database.
-- Deleting the row crypto-shreds every value of the scope.
CREATE TABLE secret_data_key (
    scope          varchar(64) PRIMARY KEY,
    master_key_id  varchar(64) NOT NULL,
    wrapped_key    bytea       NOT NULL,
    created_at     timestamptz NOT NULL,
    rewrapped_at   timestamptz
);

CREATE TABLE secret_version (
    scope       varchar(64)  NOT NULL,
    name        varchar(128) NOT NULL,
    version     integer      NOT NULL,
    ciphertext  bytea        NOT NULL,
    created_at  timestamptz  NOT NULL,
    PRIMARY KEY (scope, name, version)
);

-- Service keys identify data planes on the internal API: kind 'service', the region they serve, and optionally
-- the one tenant they may read (a per-tenant data plane in Kubernetes).
ALTER TABLE api_key ADD COLUMN kind varchar(16) NOT NULL DEFAULT 'standard' CHECK (kind IN ('standard', 'service'));
ALTER TABLE api_key ADD COLUMN region varchar(64);

DO $$
BEGIN
    IF '${appRole}' <> current_user AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON secret, secret_data_key, secret_version TO %I', '${appRole}');
    END IF;
END
$$;
