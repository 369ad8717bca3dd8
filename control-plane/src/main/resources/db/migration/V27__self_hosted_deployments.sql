-- Self-hosted deployments: a model server (vLLM by default) Atrium runs on a GPU pool of each Kubernetes region the
-- (dedicated) tenant is placed in. last_demand_at is the last time a data plane asked for it (at most every 30 s):
-- with min_replicas 0 the server scales to zero once it is older than idle_minutes.
ALTER TABLE model_deployment ALTER COLUMN upstream_url DROP NOT NULL;
ALTER TABLE model_deployment DROP CONSTRAINT model_deployment_kind_check;
ALTER TABLE model_deployment ADD CONSTRAINT model_deployment_kind_check CHECK (kind IN ('upstream', 'self-hosted'));
ALTER TABLE model_deployment
    ADD COLUMN gpu_pool         varchar(40),
    ADD COLUMN gpus_per_replica numeric(6, 3) CHECK (gpus_per_replica > 0 AND gpus_per_replica <= 16),
    ADD COLUMN min_replicas     integer CHECK (min_replicas BETWEEN 0 AND 20),
    ADD COLUMN max_replicas     integer CHECK (max_replicas BETWEEN 1 AND 20),
    ADD COLUMN cpu              varchar(20),
    ADD COLUMN memory           varchar(20),
    ADD COLUMN idle_minutes     integer CHECK (idle_minutes BETWEEN 1 AND 1440),
    ADD COLUMN last_demand_at   timestamptz;
ALTER TABLE model_deployment ADD CONSTRAINT model_deployment_kind_settings CHECK (
    (kind = 'upstream' AND upstream_url IS NOT NULL)
    OR (kind = 'self-hosted' AND gpu_pool IS NOT NULL AND gpus_per_replica IS NOT NULL AND min_replicas IS NOT NULL
        AND max_replicas >= min_replicas AND cpu IS NOT NULL AND memory IS NOT NULL AND idle_minutes IS NOT NULL));

-- how each self-hosted deployment's model server stands in the namespace, as the reconciler last reported it
ALTER TABLE tenant_namespace ADD COLUMN model_servers jsonb;
