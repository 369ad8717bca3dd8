package dev.atrium.controlplane.auth;

import java.util.Set;
import java.util.UUID;

import dev.atrium.tenancy.Role;
import dev.atrium.tenancy.Scope;

/**
 * The authenticated principal of a request, resolved once by the authentication mechanism.
 *
 * @param actorId        stable id written to the audit trail ({@code apikey:<uuid>} for keys)
 * @param tenantId       the caller's tenant; null for platform principals
 * @param tenantActive   whether that tenant is ACTIVE (suspended tenants are refused with 403)
 * @param requestsPerSecond the caller's rate limit (from its tenant's plan, or the platform limit)
 * @param region         for data-plane service keys, the region the service runs in
 */
public record Caller(String actorId, ActorType actorType, UUID tenantId, boolean tenantActive, Set<Role> roles,
                     Set<Scope> scopes, int requestsPerSecond, int burst, String region) {

    public static final String IDENTITY_ATTRIBUTE = "atrium.caller";

    public boolean isPlatformAdmin() {
        return roles.contains(Role.PLATFORM_ADMIN);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    public boolean isService() {
        return actorType == ActorType.SERVICE;
    }

    public boolean belongsTo(UUID tenant) {
        return tenantId != null && tenantId.equals(tenant);
    }
}
