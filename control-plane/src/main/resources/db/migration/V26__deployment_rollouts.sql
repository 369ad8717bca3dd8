-- Rollouts: traffic moving from a deployment's stable version to a candidate version at its own backend, as a canary
-- (stepped percentages with a dwell time each), an A/B split (sticky per end user or API key) or a shadow (copies of
-- the traffic, answers never returned). The control plane's rollout controller judges each step against the SLOs
-- from what data planes measured per version (rollout_sample), advances, promotes or rolls back, and records every
-- decision (rollout_decision). At most one rollout runs per deployment; ended ones are kept as history.
CREATE TABLE deployment_rollout (
    id                uuid          PRIMARY KEY,
    owner             varchar(64)   NOT NULL,
    deployment        varchar(64)   NOT NULL,
    strategy          varchar(8)    NOT NULL CHECK (strategy IN ('canary', 'ab', 'shadow')),
    stable_version    varchar(50)   NOT NULL,
    candidate_version varchar(50)   NOT NULL,
    upstream_url      varchar(500)  NOT NULL,
    upstream_model    varchar(200),
    api_key_secret    varchar(100),
    timeout_seconds   integer       NOT NULL CHECK (timeout_seconds BETWEEN 1 AND 600),
    steps             jsonb         NOT NULL,
    sticky_by         varchar(8)    CHECK (sticky_by IN ('user', 'key')),
    slo               jsonb         NOT NULL,
    state             varchar(16)   NOT NULL CHECK (state IN ('RUNNING', 'PROMOTED', 'ROLLED_BACK')),
    step              integer       NOT NULL DEFAULT 0,
    step_started_at   timestamptz   NOT NULL,
    started_at        timestamptz   NOT NULL,
    started_by        varchar(200)  NOT NULL,
    ended_at          timestamptz,
    ended_by          varchar(200),
    reason            varchar(2000),
    version           bigint        NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX deployment_rollout_one_running ON deployment_rollout (owner, deployment) WHERE state = 'RUNNING';
CREATE INDEX deployment_rollout_by_deployment ON deployment_rollout (owner, deployment, started_at DESC);

CREATE TABLE rollout_decision (
    id          uuid          PRIMARY KEY,
    owner       varchar(64)   NOT NULL,
    rollout_id  uuid          NOT NULL REFERENCES deployment_rollout (id) ON DELETE CASCADE,
    at          timestamptz   NOT NULL,
    action      varchar(16)   NOT NULL CHECK (action IN ('start', 'advance', 'promote', 'rollback')),
    step        integer       NOT NULL,
    actor       varchar(200)  NOT NULL,
    reason      varchar(2000) NOT NULL,
    metrics     jsonb
);
CREATE INDEX rollout_decision_by_rollout ON rollout_decision (rollout_id, at);

-- latency_ms: counts per bucket of the contract's LatencyBuckets, one more than its bounds
CREATE TABLE rollout_sample (
    id               uuid          PRIMARY KEY,
    owner            varchar(64)   NOT NULL,
    rollout_id       uuid          NOT NULL REFERENCES deployment_rollout (id) ON DELETE CASCADE,
    step             integer       NOT NULL,
    version          varchar(50)   NOT NULL,
    role             varchar(9)    NOT NULL CHECK (role IN ('stable', 'candidate')),
    region           varchar(64)   NOT NULL,
    received_at      timestamptz   NOT NULL,
    requests         bigint        NOT NULL CHECK (requests >= 0),
    errors           bigint        NOT NULL CHECK (errors >= 0),
    guardrail_blocks bigint        NOT NULL CHECK (guardrail_blocks >= 0),
    latency_ms       jsonb         NOT NULL
);
CREATE INDEX rollout_sample_by_step ON rollout_sample (rollout_id, step, received_at);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['deployment_rollout', 'rollout_decision', 'rollout_sample'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_rows ON %I USING (atrium_tenant_visible(owner)) WITH CHECK (atrium_tenant_visible(owner))', t);
        IF '${appRole}' <> current_user AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
            EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO %I', t, '${appRole}');
        END IF;
    END LOOP;
END
$$;
