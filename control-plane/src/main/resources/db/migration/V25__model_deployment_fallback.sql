-- Another deployment of the same tenant that data planes try when this one's backend keeps failing; it must pass the
-- serving gate itself. Not a foreign key: deleting the fallback leaves the name, which data planes then skip.
ALTER TABLE model_deployment ADD COLUMN fallback varchar(64) CHECK (fallback ~ '^[a-z0-9][a-z0-9._-]{0,63}$');
