package dev.atrium.dataplane.auth;

import java.util.Set;
import java.util.UUID;

import dev.atrium.tenancy.Scope;

/**
 * Who is calling: a tenant API key, as verified by the control plane, with its rate limit (from the tenant's plan).
 */
public record TenantPrincipal(UUID tenantId, UUID keyId, boolean suspended, Set<Scope> scopes, int requestsPerSecond,
                              int burst) {

    /** For work done on a tenant's behalf without a request (resumed jobs). */
    public static TenantPrincipal system(UUID tenantId) {
        return new TenantPrincipal(tenantId, null, false, Set.of(), 0, 0);
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope);
    }
}
