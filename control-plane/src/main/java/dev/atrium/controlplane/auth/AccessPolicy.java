package dev.atrium.controlplane.auth;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.atrium.controlplane.audit.AuditEntry;
import dev.atrium.controlplane.audit.AuditTrail;
import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.ProblemType;
import dev.atrium.tenancy.Role;

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

    public void requireActiveTenant(Caller caller) {
        if (caller.tenantId() != null && !caller.tenantActive()) {
            deny(caller, caller.tenantId(), "tenant is not active");
            throw new ApiException(ProblemType.TENANT_SUSPENDED,
                    "tenant " + caller.tenantId() + " is suspended; only a platform admin can resume it");
        }
    }

    /** Service keys call only the internal API, and only service keys call it. */
    public void requireMatchingPrincipalKind(Caller caller, AccessLevel level) {
        boolean internal = level == AccessLevel.DATA_PLANE_SERVICE;
        if (internal != caller.isService()) {
            deny(caller, caller.tenantId(), internal ? "internal API requires a data-plane service identity"
                    : "service keys may only call the internal API");
            throw new ApiException(ProblemType.FORBIDDEN, internal
                    ? "this internal endpoint accepts only the data-plane service identity"
                    : "service keys may only call the internal API");
        }
    }

    /** A tenant-bound service key reaches only its own tenant. */
    public UUID requireServiceFor(Caller caller, String rawTenantId) {
        if (rawTenantId == null) {
            return null;
        }
        UUID tenant = parseTenantId(caller, rawTenantId);
        if (caller.tenantId() != null && !caller.tenantId().equals(tenant)) {
            deny(caller, caller.tenantId(), "service bound to another tenant asked for " + tenant);
            throw ApiException.notFound("tenant", tenant);
        }
        return tenant;
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

    /** Parses and authorizes a tenant id from the path; returns it for the service to use. */
    public UUID requireTenantAdmin(Caller caller, String rawTenantId) {
        return requireTenantRole(caller, rawTenantId, Role.TENANT_ADMIN);
    }

    /** Parses and authorizes a tenant id from the path for any principal of that tenant. */
    public UUID requireTenantMember(Caller caller, String rawTenantId) {
        return requireTenantRole(caller, rawTenantId, null);
    }

    /**
     * Resolves which tenant's audit trail the caller may read: platform admins any (or all when none is named),
     * tenant admins and compliance officers only their own.
     */
    public Optional<UUID> requireAuditReader(Caller caller, String rawTenantId) {
        if (caller.isPlatformAdmin()) {
            return Optional.ofNullable(rawTenantId).map(id -> parseTenantId(caller, id));
        }
        UUID tenant = rawTenantId == null ? caller.homeTenant() : parseTenantId(caller, rawTenantId);
        if (tenant == null) {
            deny(caller, null, "audit read without a tenant");
            throw new ApiException(ProblemType.FORBIDDEN, "audit:read requires a tenant");
        }
        if (!caller.belongsTo(tenant)) {
            deny(caller, caller.tenantId(), "cross-tenant audit read of " + tenant);
            throw ApiException.notFound("tenant", tenant);
        }
        requireActiveMembership(caller, tenant);
        if (!caller.hasIn(tenant, Role.TENANT_ADMIN) && !caller.hasIn(tenant, Role.COMPLIANCE_OFFICER)) {
            deny(caller, tenant, "tenant-admin or compliance-officer required to read the audit trail");
            throw new ApiException(ProblemType.FORBIDDEN, "reading the audit trail requires tenant-admin or compliance-officer");
        }
        return Optional.of(tenant);
    }

    /** Exports are for compliance officers of the tenant and platform admins. */
    public UUID requireAuditExporter(Caller caller, String rawTenantId) {
        if (caller.isPlatformAdmin()) {
            return rawTenantId == null ? null : parseTenantId(caller, rawTenantId);
        }
        UUID tenant = rawTenantId == null ? caller.homeTenant() : parseTenantId(caller, rawTenantId);
        if (tenant == null || !caller.belongsTo(tenant)) {
            deny(caller, caller.homeTenant(), "cross-tenant audit export of " + tenant);
            throw ApiException.notFound("tenant", rawTenantId);
        }
        requireActiveMembership(caller, tenant);
        if (!caller.hasIn(tenant, Role.COMPLIANCE_OFFICER)) {
            deny(caller, tenant, "compliance-officer required to export the audit trail");
            throw new ApiException(ProblemType.FORBIDDEN, "exporting the audit trail requires the compliance-officer role");
        }
        return tenant;
    }

    /**
     * Model-card reviews: only a compliance officer of the tenant, not even a platform admin (separation of duties;
     * platform admins review platform-wide models).
     */
    public UUID requireModelReviewer(Caller caller, String rawTenantId) {
        UUID tenant = parseTenantId(caller, rawTenantId);
        if (!caller.isPlatformAdmin() && !caller.belongsTo(tenant)) {
            deny(caller, caller.tenantId(), "cross-tenant model review in " + tenant);
            throw ApiException.notFound("tenant", tenant);
        }
        if (!caller.hasIn(tenant, Role.COMPLIANCE_OFFICER)) {
            deny(caller, tenant, "compliance-officer required to review a model card");
            throw new ApiException(ProblemType.FORBIDDEN, "only a compliance officer of the tenant approves or rejects model versions");
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
