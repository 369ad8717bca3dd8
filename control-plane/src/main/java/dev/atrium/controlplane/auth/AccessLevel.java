package dev.atrium.controlplane.auth;

/** What an endpoint demands of its caller, checked by {@link AuthorizationInterceptor} before the method runs. */
public enum AccessLevel {
    /** Any authenticated caller; the service narrows further (e.g. audit reads filter by the caller's tenant). */
    AUTHENTICATED,
    /** Platform operators only. */
    PLATFORM_ADMIN,
    /** A person holding platform-compliance-officer: reviews what the platform itself publishes. */
    PLATFORM_COMPLIANCE,
    /** Platform admins or platform compliance officers (reading what the platform publishes). */
    PLATFORM_STAFF,
    /** Platform admins, or any principal of the tenant named by the {@code tenantId} path parameter. */
    TENANT_MEMBER,
    /** Platform admins, or tenant admins of the tenant named by the {@code tenantId} path parameter. */
    TENANT_ADMIN,
    /**
     * Data-plane service keys only (the internal API). A service reaches only the {@code tenantId} paths its binding
     * covers; service keys reach nothing else.
     */
    DATA_PLANE_SERVICE
}
