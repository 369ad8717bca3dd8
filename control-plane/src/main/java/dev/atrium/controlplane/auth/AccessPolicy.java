package dev.atrium.controlplane.auth;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.ProblemType;
import dev.atrium.controlplane.identity.Caller;
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditTrail;
import dev.atrium.tenancy.Role;
import dev.atrium.tenancy.Scope;

/**
 * The authorization rules. A caller asking for another tenant's resource gets the same 404 as for a resource
 * that does not exist, so tenants cannot probe for each other; every denial is written to the audit trail.
 */
@ApplicationScoped
public class AccessPolicy {

    @Inject
    AuditTrail auditTrail;

    @Inject
    TenantStatusLookup tenantStatus;

    @Inject
    ServiceCoverage coverage;

    public void requireActiveTenant(Caller caller) {
        if (caller.tenantId() != null && !caller.tenantActive()) {
            deny(caller, caller.tenantId(), "tenant is not active");
            throw new ApiException(ProblemType.TENANT_SUSPENDED,
                    "tenant " + caller.tenantId() + " is suspended; only a platform admin can resume it");
        }
    }

    /** Service keys call only the internal API, and only service keys call it. */
    public void requireMatchingPrincipalKind(Caller caller, AccessLevel level) {
        boolean internal = level == AccessLevel.DATA_PLANE_SERVICE || level == AccessLevel.DATA_PLANE_INTROSPECTION;
        if (internal != caller.isService()) {
            deny(caller, caller.tenantId(), internal ? "internal API requires a data-plane service identity"
                    : "service keys may only call the internal API");
            throw new ApiException(ProblemType.FORBIDDEN, internal
                    ? "this internal endpoint accepts only the data-plane service identity"
                    : "service keys may only call the internal API");
        }
    }

    /** A service reaches only the tenants its binding covers; any other tenant is reported as missing. */
    public UUID requireServiceFor(Caller caller, String rawTenantId) {
        if (rawTenantId == null) {
            return null;
        }
        UUID tenant = parseTenantId(caller, rawTenantId);
        requireServiceCovers(caller, tenant);
        return tenant;
    }

    /** A service verifying a credential for a tenant: see {@link AccessLevel#DATA_PLANE_INTROSPECTION}. */
    public UUID requireServiceIdentifying(Caller caller, String rawTenantId) {
        if (rawTenantId == null) {
            return null;
        }
        UUID tenant = parseTenantId(caller, rawTenantId);
        if (!caller.isService() || !coverage.identifies(caller.service(), tenant)) {
            deny(caller, null, "service bound to " + (caller.isService() ? caller.service().describe() : "nothing")
                    + " asked about tenant " + tenant);
            throw ApiException.notFound("tenant", tenant);
        }
        return tenant;
    }

    /** For tenants named in a body rather than the path (batches): the same rule as the path. */
    public void requireServiceCovers(Caller caller, UUID tenant) {
        if (!caller.isService() || !coverage.serves(caller.service(), tenant)) {
            deny(caller, null, "service bound to " + (caller.isService() ? caller.service().describe() : "nothing")
                    + " asked for tenant " + tenant);
            throw ApiException.notFound("tenant", tenant);
        }
    }

    /**
     * Platform admins only. When the operation names a tenant, a caller of another tenant gets the 404 it would
     * get for a tenant that does not exist; a caller of that tenant gets 403.
     */
    public void requirePlatformAdmin(Caller caller, String rawTenantId) {
        if (rawTenantId != null && !caller.isPlatformAdmin()) {
            UUID tenant = parseTenantId(caller, rawTenantId);
            if (!caller.belongsTo(tenant)) {
                deny(caller, caller.tenantId(), "cross-tenant access to " + tenant);
                throw ApiException.notFound("tenant", tenant);
            }
        }
        requirePlatformAdmin(caller);
    }

    public void requirePlatformAdmin(Caller caller) {
        if (!caller.isPlatformAdmin()) {
            deny(caller, caller.tenantId(), "platform-admin required");
            throw new ApiException(ProblemType.FORBIDDEN, "this operation requires the platform-admin role");
        }
    }

    /** Reviewer rights over what the platform publishes: a person holding platform-compliance-officer. */
    public void requirePlatformComplianceOfficer(Caller caller) {
        if (!caller.isPlatformComplianceOfficer()) {
            deny(caller, caller.tenantId(), "platform-compliance-officer (a person) required");
            throw new ApiException(ProblemType.FORBIDDEN,
                    "this operation requires a person with the platform-compliance-officer role (API keys never hold reviewer rights)");
        }
    }

    /** Platform admins and platform compliance officers (reading what the platform publishes, the platform chain). */
    public void requirePlatformStaff(Caller caller) {
        if (!caller.isPlatformAdmin() && !caller.isPlatformComplianceOfficer()) {
            deny(caller, caller.tenantId(), "platform-admin or platform-compliance-officer required");
            throw new ApiException(ProblemType.FORBIDDEN, "this operation requires the platform-admin or platform-compliance-officer role");
        }
    }

    /** Parses and authorizes a tenant id from the path; returns it for the service to use. */
    public UUID requireTenantAdmin(Caller caller, String rawTenantId) {
        return requireTenantRole(caller, rawTenantId, Role.TENANT_ADMIN);
    }

    /** Parses and authorizes a tenant id from the path for any principal of that tenant. */
    public UUID requireTenantMember(Caller caller, String rawTenantId) {
        return requireTenantRole(caller, rawTenantId, null);
    }

    /** The platform's own audit chain, named where a tenant id would be. */
    public static final String PLATFORM_CHAIN = "platform";

    /** Which tenant (or the platform's own chain) an authorized operation is about. */
    public record Target(UUID tenant, boolean platformChain) {
        static final Target NONE = new Target(null, false);
        static final Target PLATFORM = new Target(null, true);
    }

    /** {@link #requireAuditReader}, with {@code platform} meaning the platform's own chain (platform staff only). */
    public Target auditReader(Caller caller, String rawTenantId) {
        if (PLATFORM_CHAIN.equals(rawTenantId)) {
            requirePlatformStaff(caller);
            return Target.PLATFORM;
        }
        return new Target(requireAuditReader(caller, rawTenantId).orElse(null), false);
    }

    /** {@link #requireAuditExporter}, with {@code platform} meaning the platform's own chain (platform compliance only). */
    public Target auditExporter(Caller caller, String rawTenantId) {
        if (PLATFORM_CHAIN.equals(rawTenantId)) {
            requirePlatformComplianceOfficer(caller);
            return Target.PLATFORM;
        }
        return new Target(requireAuditExporter(caller, rawTenantId), false);
    }

    /**
     * Resolves which tenant's audit trail the caller may read: platform admins and platform compliance officers any
     * (or all when none is named); within a tenant its admins, its compliance officers and keys with
     * {@code audit:read}.
     */
    public Optional<UUID> requireAuditReader(Caller caller, String rawTenantId) {
        if (caller.isPlatformAdmin() || caller.isPlatformComplianceOfficer()) {
            return Optional.ofNullable(rawTenantId).map(id -> parseTenantId(caller, id));
        }
        UUID tenant = ownTenant(caller, rawTenantId, "audit read");
        boolean reader = caller.hasIn(tenant, Role.TENANT_ADMIN) || caller.isComplianceOfficerOf(tenant)
                || (caller.tenantId() != null && caller.scopes().contains(Scope.AUDIT_READ));
        if (!reader) {
            deny(caller, tenant, "tenant-admin, compliance-officer or an audit:read key required to read the audit trail");
            throw new ApiException(ProblemType.FORBIDDEN,
                    "reading the audit trail requires tenant-admin, compliance-officer or an API key with audit:read");
        }
        return Optional.of(tenant);
    }

    /**
     * Reviewer rights over a tenant's trail (exports, retention and legal hold): a person who is a compliance officer
     * of the tenant, or a platform compliance officer. Never an API key, never a platform admin as such.
     */
    public UUID requireAuditExporter(Caller caller, String rawTenantId) {
        if (caller.isPlatformComplianceOfficer()) {
            return rawTenantId == null ? null : parseTenantId(caller, rawTenantId);
        }
        if (caller.isPlatformAdmin() && rawTenantId != null) {
            UUID tenant = parseTenantId(caller, rawTenantId);
            deny(caller, tenant, "platform admins do not hold reviewer rights over a tenant's trail");
            throw new ApiException(ProblemType.FORBIDDEN,
                    "exports, retention and legal holds need a compliance officer (a person), not the platform-admin role");
        }
        UUID tenant = ownTenant(caller, rawTenantId, "audit export");
        if (!caller.isComplianceOfficerOf(tenant)) {
            deny(caller, tenant, "compliance-officer (a person) required for exports, retention and legal holds");
            throw new ApiException(ProblemType.FORBIDDEN,
                    "exports, retention and legal holds require a person with the compliance-officer role (API keys never hold reviewer rights)");
        }
        return tenant;
    }

    /** Who may read a tenant's retention policy: its reviewers and platform admins (read-only). */
    public UUID requireRetentionReader(Caller caller, String rawTenantId) {
        if (caller.isPlatformAdmin()) {
            return parseTenantId(caller, rawTenantId);
        }
        return requireAuditExporter(caller, rawTenantId);
    }

    /**
     * Model-card reviews: only a compliance officer of the tenant who is a person, not even a platform admin
     * (separation of duties). That the reviewer did not submit the version is checked by the registry.
     */
    public UUID requireModelReviewer(Caller caller, String rawTenantId) {
        UUID tenant = parseTenantId(caller, rawTenantId);
        if (!caller.isPlatformAdmin() && !caller.belongsTo(tenant)) {
            deny(caller, caller.tenantId(), "cross-tenant model review in " + tenant);
            throw ApiException.notFound("tenant", tenant);
        }
        if (!caller.isComplianceOfficerOf(tenant)) {
            deny(caller, tenant, "compliance-officer (a person) required to review a model card");
            throw new ApiException(ProblemType.FORBIDDEN,
                    "only a compliance officer of the tenant (a person, never an API key) approves or rejects model versions");
        }
        requireActiveMembership(caller, tenant);
        return tenant;
    }

    /**
     * The most an API key created by {@code creator} in {@code tenant} may hold: everything for platform admins,
     * the scopes of a person's roles there, and for keys the scopes of the key itself ({@code admin} implies all).
     */
    public Set<Scope> grantableScopes(Caller creator, UUID tenant) {
        if (creator.isPlatformAdmin()) {
            return EnumSet.allOf(Scope.class);
        }
        if (creator.tenantId() != null) {
            return creator.scopes().contains(Scope.ADMIN) ? EnumSet.allOf(Scope.class) : creator.scopes();
        }
        return Scope.grantedBy(creator.memberships().getOrDefault(tenant, Set.of()));
    }

    private UUID ownTenant(Caller caller, String rawTenantId, String what) {
        UUID tenant = rawTenantId == null ? caller.homeTenant() : parseTenantId(caller, rawTenantId);
        if (tenant == null) {
            deny(caller, null, what + " without a tenant");
            throw new ApiException(ProblemType.FORBIDDEN, what + " requires a tenant (tenantId)");
        }
        if (!caller.belongsTo(tenant)) {
            deny(caller, caller.tenantId(), "cross-tenant " + what + " of " + tenant);
            throw ApiException.notFound("tenant", tenant);
        }
        requireActiveMembership(caller, tenant);
        return tenant;
    }

    private UUID requireTenantRole(Caller caller, String rawTenantId, Role role) {
        UUID tenant = parseTenantId(caller, rawTenantId);
        if (caller.isPlatformAdmin()) {
            return tenant;
        }
        if (!caller.belongsTo(tenant)) {
            deny(caller, caller.tenantId(), "cross-tenant access to " + tenant);
            throw ApiException.notFound("tenant", tenant);
        }
        requireActiveMembership(caller, tenant);
        if (role != null && !caller.hasIn(tenant, role)) {
            deny(caller, tenant, role.value() + " required");
            throw new ApiException(ProblemType.FORBIDDEN, "this operation requires the " + role.value() + " role");
        }
        return tenant;
    }

    /** Users reach many tenants, so their target tenant's status is checked per request (keys carry it). */
    private void requireActiveMembership(Caller caller, UUID tenant) {
        if (caller.tenantId() == null && !tenantStatus.isActive(tenant)) {
            deny(caller, tenant, "tenant is not active");
            throw new ApiException(ProblemType.TENANT_SUSPENDED,
                    "tenant " + tenant + " is suspended; only a platform admin can resume it");
        }
    }

    private UUID parseTenantId(Caller caller, String raw) {
        return parseTenant(raw);
    }

    /** A raw tenant id as sent; one that is not even an id is reported like a missing tenant. */
    public UUID parseTenant(String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiException.notFound("tenant", raw);
        }
    }

    private void deny(Caller caller, UUID chainTenant, String reason) {
        auditTrail.recordIndependently(AuditEntry.denied("request.denied", reason).tenant(chainTenant).actor(caller));
    }
}
