-- Rollouts of self-hosted deployments: the candidate version runs on a second model server of the deployment, in the
-- other of two slots ('a', whose objects are named model-<name>, and 'b', model2-<name>). Promoting flips the slot,
-- so the candidate's warm server becomes the stable one without a restart; rolling back removes it. Such a rollout
-- has no backend URL of its own.
ALTER TABLE model_deployment ADD COLUMN server_slot char(1) NOT NULL DEFAULT 'a' CHECK (server_slot IN ('a', 'b'));
ALTER TABLE deployment_rollout ALTER COLUMN upstream_url DROP NOT NULL;
