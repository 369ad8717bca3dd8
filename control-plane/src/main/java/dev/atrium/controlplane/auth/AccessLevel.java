package dev.atrium.controlplane.auth;

/** What an endpoint demands of its caller, checked by {@link AuthorizationInterceptor} before the method runs. */
public enum AccessLevel {
    /** Any authenticated caller; the service narrows further (e.g. audit reads filter by the caller's tenant). */
    AUTHENTICATED,
    /** Platform operators only. */
    PLATFORM_ADMIN,
    /** Platform admins, or any principal of the tenant named by the {@code tenantId} path parameter. */
    TENANT_MEMBER,
    /** Platform admins, or tenant admins of the tenant named by the {@code tenantId} path parameter. */
    TENANT_ADMIN,
    /**
     * Data-plane service keys only (the internal API). A service key bound to a tenant reaches only that tenant's
     * {@code tenantId} path; service keys reach nothing else.
     */
    DATA_PLANE_SERVICE
}
