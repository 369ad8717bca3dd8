-- Service keys act only for the tenants they are bound to: one tenant (keys issued through the API), or every tenant
-- (keys the operator configures at start, as the local launcher does for its own data planes). Keys created before
-- bindings existed without a tenant were operator keys and keep acting for every tenant.
-- Bootstrap platform-admin keys are marked, so they can be given an expiry once a person signs in as platform admin.
SELECT set_config('atrium.tenant_scope', '*', true);

ALTER TABLE api_key ADD COLUMN all_tenants boolean NOT NULL DEFAULT false;
ALTER TABLE api_key ADD COLUMN bootstrap boolean NOT NULL DEFAULT false;
UPDATE api_key SET all_tenants = true WHERE kind = 'service' AND tenant_id IS NULL;
UPDATE api_key SET bootstrap = true WHERE kind = 'standard' AND tenant_id IS NULL AND created_by = 'system:bootstrap';
ALTER TABLE api_key ADD CONSTRAINT api_key_service_binding
    CHECK (kind <> 'service' OR all_tenants = (tenant_id IS NULL));
ALTER TABLE api_key ADD CONSTRAINT api_key_only_services_span_tenants CHECK (kind = 'service' OR NOT all_tenants);
