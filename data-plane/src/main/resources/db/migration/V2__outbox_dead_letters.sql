-- An outbox event the control plane refuses for good (a permanent 4xx, on its own: not because of the rest of its
-- batch) is parked instead of being resent forever, which would hold back every later event of the region: it keeps
-- its row, with why and when, and is reported to the control plane once (dead_letter_reported_at).
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['usage_outbox', 'audit_outbox'] LOOP
        EXECUTE format('ALTER TABLE %I ADD COLUMN dead_lettered_at timestamptz, ADD COLUMN dead_letter_status integer, '
                || 'ADD COLUMN dead_letter_reason varchar(1000), ADD COLUMN dead_letter_reported_at timestamptz', t);
        EXECUTE format('DROP INDEX %I', t || '_pending_idx');
        EXECUTE format('CREATE INDEX %I ON %I (created_at) WHERE shipped_at IS NULL AND dead_lettered_at IS NULL', t || '_pending_idx', t);
        EXECUTE format('CREATE INDEX %I ON %I (dead_lettered_at) WHERE dead_lettered_at IS NOT NULL', t || '_dead_letter_idx', t);
    END LOOP;
END
$$;
