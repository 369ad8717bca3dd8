-- Who submitted a version for review, so that nobody approves or rejects a version they submitted themselves.
SELECT set_config('atrium.tenant_scope', '*', true);
ALTER TABLE model_version ADD COLUMN submitted_by varchar(200);
ALTER TABLE model_version ADD COLUMN submitted_at timestamptz;
