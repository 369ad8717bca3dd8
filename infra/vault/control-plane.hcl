# Policy for the Atrium control plane: the least it needs on the KV v2 mount "secret".
# It writes, versions, soft-deletes and destroys tenant secrets and keeps the platform's own secrets
# (API-key pepper, audit signing key). It never needs to list the whole mount or touch other paths.

path "secret/data/atrium/tenants/*" {
  capabilities = ["create", "update", "read"]
}

path "secret/delete/atrium/tenants/*" {
  capabilities = ["update"]
}

path "secret/metadata/atrium/tenants/*" {
  capabilities = ["read", "list", "delete"]
}

path "secret/data/atrium/platform/*" {
  capabilities = ["create", "update", "read"]
}

path "secret/metadata/atrium/platform/*" {
  capabilities = ["read"]
}
