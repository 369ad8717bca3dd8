package dev.atrium.dataplane.auth;

import java.util.Set;
import java.util.UUID;

import dev.atrium.tenancy.Scope;

/** Who is calling: a tenant API key, as verified by the control plane. */
public record TenantPrincipal(UUID tenantId, UUID keyId, boolean suspended, Set<Scope> scopes) {

    public boolean has(Scope scope) {
        return scopes.contains(scope);
    }
}
