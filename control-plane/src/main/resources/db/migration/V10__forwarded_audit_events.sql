-- Ids of audit events forwarded by data planes, so that a batch shipped twice appends each event to the tenant's
-- chain once. Written in the same transaction as the append.
CREATE TABLE forwarded_audit_event (
    id           uuid PRIMARY KEY,
    received_at  timestamptz NOT NULL DEFAULT now()
);

DO $$
BEGIN
    IF '${appRole}' <> current_user AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
        EXECUTE format('GRANT SELECT, INSERT ON forwarded_audit_event TO %I', '${appRole}');
    END IF;
END
$$;
