package dev.atrium.dataplane.auth;

import java.util.Set;
import java.util.UUID;

import dev.atrium.tenancy.Scope;

/**
 * Who is calling: a tenant API key, or a person of the tenant (a Keycloak access token, e.g. from the web console),
 * as verified by the control plane, with the rate limit of the tenant's plan. {@code keyId} is null for people;
 * {@code actorId} ({@code apikey:<id>} or {@code user:<id>}) is who the audit trail names.
 */
public record TenantPrincipal(UUID tenantId, UUID keyId, String actorId, boolean suspended, Set<Scope> scopes,
                              int requestsPerSecond, int burst) {

    /** For work done on a tenant's behalf without a request (resumed jobs). */
    public static TenantPrincipal system(UUID tenantId) {
        return new TenantPrincipal(tenantId, null, null, false, Set.of(), 0, 0);
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope);
    }
}
