-- As in the control plane: the row-scope definer function searches pg_temp last, so a temporary table of the caller
-- can never stand in for one of its tables, and the database stops granting temporary tables to everyone.
ALTER FUNCTION atrium_scope() SET search_path = pg_catalog, public, pg_temp;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba
               WHERE d.datname = current_database() AND r.rolname = current_user) THEN
        EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    END IF;
END
$$;
