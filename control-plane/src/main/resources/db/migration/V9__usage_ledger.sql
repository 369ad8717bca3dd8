-- The usage ledger: one row per usage event shipped by a data plane. The event id is the data plane's outbox id,
-- so a batch that is shipped twice (a lost acknowledgement, a crash between send and acknowledge) is counted once.
-- Rows are never updated or deleted by the application.

CREATE TABLE usage_event (
    id                uuid PRIMARY KEY,
    tenant_id         uuid             NOT NULL REFERENCES tenant (id),
    api_key_id        uuid,
    region            varchar(64)      NOT NULL,
    operation         varchar(64)      NOT NULL,
    model             varchar(200),
    occurred_at       timestamptz      NOT NULL,
    requests          integer          NOT NULL,
    input_tokens      bigint           NOT NULL,
    output_tokens     bigint           NOT NULL,
    embedding_tokens  bigint           NOT NULL,
    chunks_stored     bigint           NOT NULL,
    gpu_seconds       double precision NOT NULL,
    guardrails        jsonb            NOT NULL DEFAULT '{}',
    received_at       timestamptz      NOT NULL DEFAULT now()
);
CREATE INDEX usage_event_tenant_time_idx ON usage_event (tenant_id, occurred_at);

ALTER TABLE usage_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_event FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON usage_event USING (atrium_tenant_visible(tenant_id::text)) WITH CHECK (atrium_tenant_visible(tenant_id::text));

DO $$
BEGIN
    IF '${appRole}' <> current_user AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
        EXECUTE format('GRANT SELECT, INSERT ON usage_event TO %I', '${appRole}');
    END IF;
END
$$;
