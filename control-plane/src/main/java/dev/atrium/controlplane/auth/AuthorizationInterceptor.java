package dev.atrium.controlplane.auth;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.identity.Caller;
import dev.atrium.controlplane.identity.CallerContext;
import dev.atrium.controlplane.identity.TenantScope;

/**
 * Runs before every {@link Authorized} method, outside any transaction (so that the audit record of a denial
 * survives): rate limit, suspended tenant, the declared access level against the tenant the operation is about
 * (parsed once and handed to the resource as {@link AuthorizedTenant}), and finally narrows the database scope of
 * the request to the caller's tenants.
 */
@Authorized
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 100)
public class AuthorizationInterceptor {

    @Inject
    CallerContext callerContext;

    @Inject
    AccessPolicy accessPolicy;

    @Inject
    RateLimiter rateLimiter;

    @Inject
    TenantScope tenantScope;

    @Inject
    AuthorizedTenant authorizedTenant;

    @Inject
    Instance<TenantOfRequest> tenantResolvers;

    @AroundInvoke
    Object authorize(InvocationContext invocation) throws Exception {
        Caller caller = callerContext.require();
        rateLimiter.acquire(caller);
        accessPolicy.requireActiveTenant(caller);
        Authorized declared = declaration(invocation);
        AccessLevel level = declared == null ? AccessLevel.AUTHENTICATED : declared.value();
        accessPolicy.requireMatchingPrincipalKind(caller, level);
        String raw = level == AccessLevel.AUTHENTICATED ? null
                : tenantResolvers.select(declared.tenant()).get().rawTenantId(invocation).orElse(null);
        AccessPolicy.Target target = switch (level) {
            case AUTHENTICATED -> AccessPolicy.Target.NONE;
            case PLATFORM_ADMIN -> {
                accessPolicy.requirePlatformAdmin(caller, raw);
                yield new AccessPolicy.Target(raw == null ? null : accessPolicy.parseTenant(raw), false);
            }
            case PLATFORM_COMPLIANCE -> {
                accessPolicy.requirePlatformComplianceOfficer(caller);
                yield AccessPolicy.Target.NONE;
            }
            case PLATFORM_STAFF -> {
                accessPolicy.requirePlatformStaff(caller);
                yield AccessPolicy.Target.NONE;
            }
            case TENANT_ADMIN -> new AccessPolicy.Target(accessPolicy.requireTenantAdmin(caller, required(raw)), false);
            case TENANT_MEMBER -> new AccessPolicy.Target(accessPolicy.requireTenantMember(caller, required(raw)), false);
            case AUDIT_READER -> accessPolicy.auditReader(caller, raw);
            case AUDIT_EXPORTER -> accessPolicy.auditExporter(caller, raw);
            case RETENTION_READER -> new AccessPolicy.Target(accessPolicy.requireRetentionReader(caller, required(raw)), false);
            case MODEL_REVIEWER -> new AccessPolicy.Target(accessPolicy.requireModelReviewer(caller, required(raw)), false);
            case DATA_PLANE_SERVICE -> new AccessPolicy.Target(accessPolicy.requireServiceFor(caller, raw), false);
            case DATA_PLANE_INTROSPECTION -> new AccessPolicy.Target(accessPolicy.requireServiceIdentifying(caller, raw), false);
        };
        authorizedTenant.set(target.tenant(), target.platformChain());
        tenantScope.restrictTo(caller);
        return invocation.proceed();
    }

    private static Authorized declaration(InvocationContext invocation) {
        Authorized onMethod = invocation.getMethod().getAnnotation(Authorized.class);
        return onMethod != null ? onMethod : invocation.getMethod().getDeclaringClass().getAnnotation(Authorized.class);
    }

    private static String required(String raw) {
        if (raw == null) {
            throw ApiException.notFound("tenant", "(none given)");
        }
        return raw;
    }
}
