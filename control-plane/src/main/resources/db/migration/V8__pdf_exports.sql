-- Audit exports can also be PDF reports.
ALTER TABLE audit_export DROP CONSTRAINT audit_export_format_check;
ALTER TABLE audit_export ADD CONSTRAINT audit_export_format_check CHECK (format IN ('jsonl', 'csv', 'pdf'));
