package dev.atrium.dataplane.auth;

import java.util.Set;
import java.util.UUID;

import dev.atrium.tenancy.Scope;

/**
 * Who is calling: a tenant API key, or a person of the tenant (a Keycloak access token, e.g. from the web console),
 * as verified by the control plane, with its tenant's lifecycle status ({@code ACTIVE}, {@code SUSPENDED}, ...) and
 * the rate limit of the tenant's plan. {@code keyId} is null for people;
 * {@code actorId} ({@code apikey:<id>} or {@code user:<id>}) is who the audit trail names.
 */
public record TenantPrincipal(UUID tenantId, UUID keyId, String actorId, String tenantStatus, Set<Scope> scopes,
                              int requestsPerSecond, int burst) {

    public static final String ACTIVE = "ACTIVE";

    /** For work done on a tenant's behalf without a request (resumed jobs). */
    public static TenantPrincipal system(UUID tenantId) {
        return new TenantPrincipal(tenantId, null, null, ACTIVE, Set.of(), 0, 0);
    }

    /** Only an ACTIVE tenant's keys and people are served; PROVISIONING, SUSPENDED, DELETING and DELETED are not. */
    public boolean tenantActive() {
        return ACTIVE.equals(tenantStatus);
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope);
    }
}
