package dev.atrium.controlplane.auth;

/**
 * What an endpoint demands of its caller, checked by {@link AuthorizationInterceptor} before the method runs. The
 * tenant an operation is about comes from the {@code tenantId} path or query parameter, a body that names it
 * ({@link NamesTenant}), or the resolver the annotation names ({@link Authorized#tenant()}); the interceptor parses it
 * once and hands it to the resource as {@link AuthorizedTenant}.
 */
public enum AccessLevel {
    /** Any authenticated caller; the service narrows further. */
    AUTHENTICATED,
    /** Platform operators only. */
    PLATFORM_ADMIN,
    /** A person holding platform-compliance-officer: reviews what the platform itself publishes. */
    PLATFORM_COMPLIANCE,
    /** Platform admins or platform compliance officers (reading what the platform publishes). */
    PLATFORM_STAFF,
    /** Platform admins, or any principal of the tenant. */
    TENANT_MEMBER,
    /** Platform admins, or tenant admins of the tenant. */
    TENANT_ADMIN,
    /**
     * Reading a tenant's audit trail: platform staff (any tenant, or {@code platform} for the platform's own chain),
     * the tenant's admins and compliance officers, its keys with {@code audit:read}. Without a tenant, a caller of
     * exactly one tenant reads that one.
     */
    AUDIT_READER,
    /**
     * Reviewer rights over a tenant's trail (exports, retention and legal hold): the tenant's compliance officers and
     * platform compliance officers, people only; the platform's own chain only for platform compliance officers.
     */
    AUDIT_EXPORTER,
    /** Reading a tenant's retention policy: its reviewers, and platform admins. */
    RETENTION_READER,
    /** Approving or rejecting a tenant's model versions: its compliance officers, people only. */
    MODEL_REVIEWER,
    /**
     * Data-plane service keys only (the internal API). A service reaches only the tenants it serves
     * ({@link ServiceCoverage#serves}); service keys reach nothing else.
     */
    DATA_PLANE_SERVICE,
    /**
     * Data-plane service keys verifying a credential presented to them: a bound key for its tenant only, a
     * region-wide key for any tenant, because the answer names the tenant's regions and so lets the data plane
     * refuse a tenant placed elsewhere with a 403 that says where it is served.
     */
    DATA_PLANE_INTROSPECTION
}
