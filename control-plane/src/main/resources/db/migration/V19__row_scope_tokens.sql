-- Row scopes that the application's database role cannot forge. The scope a transaction may see (tenant ids, or '*'
-- for the platform's own cross-tenant work) is set at the start of every transaction as a token: the scope, the
-- connection's backend pid, the time, and a MAC under a key only the schema owner can read. A role that is not the
-- owner cannot write a valid token for another scope (it cannot read the key), cannot reuse one from another
-- connection (the pid is bound) or much later (the time is bound): so SQL injected into a tenant's transaction
-- cannot widen it. The owner (migrations, operators) may set the scope in plain text; it owns the tables anyway.
-- Keep this file's functions identical in both planes (RowScopeTokensTest compares them).
CREATE TABLE atrium_scope_key (
    id   integer PRIMARY KEY CHECK (id = 1),
    key  bytea   NOT NULL
);
INSERT INTO atrium_scope_key (id, key)
VALUES (1, sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text || gen_random_uuid()::text || clock_timestamp()::text, 'UTF8')));
REVOKE ALL ON atrium_scope_key FROM PUBLIC;

-- The scope of the current transaction: what a valid token (or, for the owner, plain text) says; nothing otherwise.
CREATE FUNCTION atrium_scope() RETURNS text[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    raw   text := coalesce(current_setting('atrium.tenant_scope', true), '');
    parts text[];
    k     bytea;
BEGIN
    IF raw = '' THEN
        RETURN ARRAY[]::text[];
    END IF;
    IF position('|' IN raw) = 0 THEN
        -- plain text only counts for the owner's own sessions (current_user is the owner inside this function)
        RETURN CASE WHEN session_user = current_user THEN string_to_array(raw, ',') ELSE ARRAY[]::text[] END;
    END IF;
    parts := string_to_array(raw, '|');
    IF array_length(parts, 1) <> 4 OR parts[2] <> pg_backend_pid()::text
            OR parts[3] !~ '^[0-9]{1,12}$' OR abs(extract(epoch FROM now()) - parts[3]::bigint) > 60 THEN
        RETURN ARRAY[]::text[];
    END IF;
    SELECT s.key INTO k FROM public.atrium_scope_key s WHERE s.id = 1;
    IF encode(sha256(k || sha256(k || convert_to(parts[1] || '|' || parts[2] || '|' || parts[3], 'UTF8'))), 'hex') <> parts[4] THEN
        RETURN ARRAY[]::text[];
    END IF;
    RETURN string_to_array(parts[1], ',');
END;
$$;

CREATE FUNCTION atrium_scope_all() RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT '*' = ANY (atrium_scope()) $$;

-- Rewrites every tenant_isolation policy from the per-row check to one evaluated once per statement (the
-- sub-selects become init plans), so a token is verified once per query, not once per row.
DO $$
DECLARE
    p record;
    fast constant text := '((SELECT atrium_scope_all()) OR (\1)::text = ANY ((SELECT atrium_scope())::text[]))';
    call_pattern constant text := 'atrium_tenant_visible\(((?:[^()]|\([^()]*\))*)\)';
BEGIN
    FOR p IN SELECT schemaname, tablename, qual, with_check FROM pg_policies WHERE policyname = 'tenant_isolation' LOOP
        EXECUTE format('DROP POLICY tenant_isolation ON %I.%I', p.schemaname, p.tablename);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I.%I USING (%s) WITH CHECK (%s)', p.schemaname, p.tablename,
                regexp_replace(p.qual, call_pattern, fast, 'g'),
                regexp_replace(coalesce(p.with_check, p.qual), call_pattern, fast, 'g'));
    END LOOP;
END
$$;

-- The per-row helper stays safe for any policy still written with it.
CREATE OR REPLACE FUNCTION atrium_tenant_visible(tenant text) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT atrium_scope_all() OR (tenant IS NOT NULL AND tenant = ANY (atrium_scope()))
$$;
