-- A SECURITY DEFINER function runs with its owner's rights, and PostgreSQL searches the caller's temporary schema
-- for tables before anything else unless pg_temp is named last in the function's search_path. Without that, the
-- application's role could create a temporary "audit_retention" (or "audit_digest", ...) and have the purge function
-- read its fake policy instead of the real one. Every definer function now searches the catalog, then public, then
-- (last) pg_temp; and the database stops granting temporary tables to everyone, where this role can say so.
ALTER FUNCTION atrium_purge_audit(varchar, bigint) SET search_path = pg_catalog, public, pg_temp;
ALTER FUNCTION atrium_set_audit_retention(varchar, integer, boolean, varchar, varchar) SET search_path = pg_catalog, public, pg_temp;
ALTER FUNCTION atrium_add_audit_signing_key(varchar, varchar, text) SET search_path = pg_catalog, public, pg_temp;
ALTER FUNCTION atrium_scope() SET search_path = pg_catalog, public, pg_temp;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba
               WHERE d.datname = current_database() AND r.rolname = current_user) THEN
        EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    END IF;
END
$$;
