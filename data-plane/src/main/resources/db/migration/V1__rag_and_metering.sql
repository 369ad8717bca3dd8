-- A region's data-plane database: knowledge bases, documents, chunks with their embeddings (the Lucene index is
-- derived from these and can be rebuilt), ingest jobs, tenant guardrail policies and the usage and audit outboxes.
-- Every row carries tenant_id; row-level security (FORCEd, so the owner is bound too) shows a connection only the
-- rows of the tenant it set in `atrium.tenant_id` ('*' is the platform's own cross-tenant work: outbox shipping).

CREATE FUNCTION atrium_tenant_visible(row_tenant uuid) RETURNS boolean
    LANGUAGE sql STABLE AS
$$ SELECT coalesce(current_setting('atrium.tenant_id', true), '') IN (row_tenant::text, '*') $$;

CREATE TABLE knowledge_base (
    id               uuid PRIMARY KEY,
    tenant_id        uuid         NOT NULL,
    name             varchar(100) NOT NULL,
    description      varchar(1000),
    chunk_size       integer      NOT NULL,
    chunk_overlap    integer      NOT NULL,
    embedding_model  varchar(100) NOT NULL,
    chat_model       varchar(200),
    created_at       timestamptz  NOT NULL,
    UNIQUE (tenant_id, name)
);

CREATE TABLE document (
    id            uuid PRIMARY KEY,
    tenant_id     uuid          NOT NULL,
    kb_id         uuid          NOT NULL REFERENCES knowledge_base (id) ON DELETE CASCADE,
    title         varchar(500)  NOT NULL,
    content_type  varchar(100)  NOT NULL,
    content_hash  char(64)      NOT NULL,
    text          text          NOT NULL,
    status        varchar(16)   NOT NULL,
    chunks        integer       NOT NULL DEFAULT 0,
    pii_findings  integer       NOT NULL DEFAULT 0,
    error         text,
    created_at    timestamptz   NOT NULL,
    UNIQUE (kb_id, content_hash)
);
CREATE INDEX document_kb_idx ON document (kb_id, created_at);

CREATE TABLE chunk (
    id            uuid PRIMARY KEY,
    tenant_id     uuid     NOT NULL,
    kb_id         uuid     NOT NULL REFERENCES knowledge_base (id) ON DELETE CASCADE,
    document_id   uuid     NOT NULL REFERENCES document (id) ON DELETE CASCADE,
    seq           integer  NOT NULL,
    text          text     NOT NULL,
    start_offset  integer  NOT NULL,
    end_offset    integer  NOT NULL,
    tokens        integer  NOT NULL,
    embedding     bytea    NOT NULL
);
CREATE INDEX chunk_kb_idx ON chunk (kb_id);
CREATE INDEX chunk_document_idx ON chunk (document_id, seq);

CREATE TABLE ingest_job (
    id            uuid PRIMARY KEY,
    tenant_id     uuid        NOT NULL,
    kb_id         uuid        NOT NULL REFERENCES knowledge_base (id) ON DELETE CASCADE,
    document_id   uuid        NOT NULL REFERENCES document (id) ON DELETE CASCADE,
    status        varchar(16) NOT NULL,
    chunks_total  integer     NOT NULL DEFAULT 0,
    chunks_done   integer     NOT NULL DEFAULT 0,
    error         text,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);

CREATE TABLE guardrail_policy (
    tenant_id         uuid PRIMARY KEY,
    pii               varchar(8)  NOT NULL,
    prompt_injection  varchar(8)  NOT NULL,
    updated_at        timestamptz NOT NULL
);

-- Usage events wait here, written in the same transaction as the work they meter, until the control plane has
-- acknowledged them. Their id is the ledger's deduplication key.
CREATE TABLE usage_outbox (
    id           uuid PRIMARY KEY,
    tenant_id    uuid        NOT NULL,
    event        jsonb       NOT NULL,
    created_at   timestamptz NOT NULL,
    shipped_at   timestamptz
);
CREATE INDEX usage_outbox_pending_idx ON usage_outbox (created_at) WHERE shipped_at IS NULL;

-- Audit events of tenant mutations done here (knowledge bases, documents, guardrail policy), written in the same
-- transaction as the mutation and forwarded to the control plane, which appends them to the tenant's hash chain.
CREATE TABLE audit_outbox (
    id           uuid PRIMARY KEY,
    tenant_id    uuid        NOT NULL,
    event        jsonb       NOT NULL,
    created_at   timestamptz NOT NULL,
    shipped_at   timestamptz
);
CREATE INDEX audit_outbox_pending_idx ON audit_outbox (created_at) WHERE shipped_at IS NULL;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['knowledge_base', 'document', 'chunk', 'ingest_job', 'guardrail_policy', 'usage_outbox', 'audit_outbox'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (atrium_tenant_visible(tenant_id)) WITH CHECK (atrium_tenant_visible(tenant_id))', t);
        IF '${appRole}' <> current_user AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
            EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO %I', t, '${appRole}');
        END IF;
    END LOOP;
END
$$;
