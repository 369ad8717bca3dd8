-- Which rollout reports the control plane took, by the id their data plane gave them: a report sent again (its answer
-- timed out) is answered but its samples are not counted twice. Kept for an hour, far longer than a data plane keeps
-- an unacknowledged report.
CREATE TABLE rollout_report_receipt (
    owner       varchar(64)  NOT NULL,
    report_id   uuid         NOT NULL,
    received_at timestamptz  NOT NULL,
    PRIMARY KEY (owner, report_id)
);
CREATE INDEX rollout_report_receipt_by_age ON rollout_report_receipt (received_at);

ALTER TABLE rollout_report_receipt ENABLE ROW LEVEL SECURITY;
ALTER TABLE rollout_report_receipt FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON rollout_report_receipt USING (atrium_tenant_visible(owner)) WITH CHECK (atrium_tenant_visible(owner));

DO $$
BEGIN
    IF '${appRole}' <> current_user AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
        EXECUTE format('GRANT SELECT, INSERT, DELETE ON rollout_report_receipt TO %I', '${appRole}');
    END IF;
END
$$;
