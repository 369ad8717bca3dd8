-- When a dedicated tenant's own data plane in a region first became Ready: from then on that data plane, not the
-- region's shared one, serves the tenant there (and the shared one refuses it). Until then the shared data plane keeps
-- serving it, so a tenant is never left without a data plane while its namespace is being provisioned. Kept through
-- later spec changes and outages; gone with the row when the namespace is removed.
ALTER TABLE tenant_namespace ADD COLUMN serving_since timestamptz;
