-- Keycloak login failures already copied into the audit trail, so each is recorded exactly once.
CREATE TABLE imported_login_event (
    event_id     varchar(64) PRIMARY KEY,
    occurred_at  timestamptz NOT NULL,
    imported_at  timestamptz NOT NULL
);
CREATE INDEX imported_login_event_time_idx ON imported_login_event (occurred_at);

DO $$
BEGIN
    IF '${appRole}' <> current_user AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
        EXECUTE format('GRANT SELECT, INSERT, DELETE ON imported_login_event TO %I', '${appRole}');
    END IF;
END
$$;
