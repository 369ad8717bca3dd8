package dev.atrium.controlplane.identity;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.atrium.tenancy.Role;
import dev.atrium.tenancy.Scope;

/**
 * The authenticated principal of a request, resolved once by the authentication mechanism: an API key, a
 * Keycloak user (OIDC token), or a data-plane service.
 *
 * @param actorId           stable id written to the audit trail ({@code apikey:<uuid>}, {@code user:<sub>},
 *                          {@code service:<id>})
 * @param tenantId          the tenant a tenant API key belongs to; null for people, platform keys and services
 * @param tenantActive      for keys: whether their tenant is ACTIVE (suspended tenants are refused with 403)
 * @param roles             platform-wide roles ({@link Role#PLATFORM_ADMIN}, {@link Role#PLATFORM_COMPLIANCE_OFFICER})
 * @param memberships       the tenants the caller belongs to, with its roles in each
 * @param requestsPerSecond the caller's rate limit (from its tenant's plan, or the platform limit)
 * @param service           for data-plane services, the tenants it may act for and its region; null otherwise
 */
public record Caller(String actorId, ActorType actorType, UUID tenantId, boolean tenantActive, Set<Role> roles,
                     Map<UUID, Set<Role>> memberships, Set<Scope> scopes, int requestsPerSecond, int burst,
                     ServiceBinding service) {

    public static final String IDENTITY_ATTRIBUTE = "atrium.caller";

    public boolean isPlatformAdmin() {
        return roles.contains(Role.PLATFORM_ADMIN);
    }

    /** Reviews what the platform itself publishes (platform-wide models) and reads the platform's audit trail. */
    public boolean isPlatformComplianceOfficer() {
        return isPerson() && roles.contains(Role.PLATFORM_COMPLIANCE_OFFICER);
    }

    public boolean isService() {
        return actorType == ActorType.SERVICE;
    }

    /** A signed-in person (a Keycloak token), as opposed to an API key or a service. */
    public boolean isPerson() {
        return actorType == ActorType.USER;
    }

    /** For data-plane services: the region the service runs in. */
    public String region() {
        return service == null ? null : service.region();
    }

    public boolean belongsTo(UUID tenant) {
        return tenant != null && memberships.containsKey(tenant);
    }

    public boolean hasIn(UUID tenant, Role role) {
        return memberships.getOrDefault(tenant, Set.of()).contains(role);
    }

    /** A compliance officer of the tenant who is a person: the only holder of a tenant's reviewer rights. */
    public boolean isComplianceOfficerOf(UUID tenant) {
        return isPerson() && hasIn(tenant, Role.COMPLIANCE_OFFICER);
    }

    /** The one tenant an API key acts for, or a user's only tenant; null when there is no single one. */
    public UUID homeTenant() {
        if (tenantId != null) {
            return tenantId;
        }
        return memberships.size() == 1 ? memberships.keySet().iterator().next() : null;
    }
}
