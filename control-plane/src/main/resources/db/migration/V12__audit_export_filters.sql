-- Audit exports can hold a filtered selection of a chain (actor, action, outcome, resource); NULL = the whole range.
-- events_scanned drives progress (a filtered export writes fewer events than it reads).
ALTER TABLE audit_export ADD COLUMN filters jsonb;
ALTER TABLE audit_export ADD COLUMN events_scanned bigint NOT NULL DEFAULT 0;
