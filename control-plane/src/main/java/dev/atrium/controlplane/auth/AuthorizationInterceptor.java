package dev.atrium.controlplane.auth;

import java.lang.reflect.Parameter;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.ws.rs.PathParam;

/**
 * Runs before every {@link Authorized} method, outside any transaction (so that the audit record of a denial
 * survives): rate limit, suspended tenant, the declared access level, and finally narrows the database scope of
 * the request to the caller's tenants.
 */
@Authorized
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 100)
public class AuthorizationInterceptor {

    static final String TENANT_PATH_PARAM = "tenantId";

    @Inject
    CallerContext callerContext;

    @Inject
    AccessPolicy accessPolicy;

    @Inject
    RateLimiter rateLimiter;

    @Inject
    TenantScope tenantScope;

    @AroundInvoke
    Object authorize(InvocationContext invocation) throws Exception {
        Caller caller = callerContext.require();
        rateLimiter.acquire(caller);
        accessPolicy.requireActiveTenant(caller);
        AccessLevel level = levelOf(invocation);
        accessPolicy.requireMatchingPrincipalKind(caller, level);
        switch (level) {
            case PLATFORM_ADMIN -> accessPolicy.requirePlatformAdmin(caller, optionalTenantPathParam(invocation));
            case PLATFORM_COMPLIANCE -> accessPolicy.requirePlatformComplianceOfficer(caller);
            case PLATFORM_STAFF -> accessPolicy.requirePlatformStaff(caller);
            case TENANT_ADMIN -> accessPolicy.requireTenantAdmin(caller, tenantPathParam(invocation));
            case TENANT_MEMBER -> accessPolicy.requireTenantMember(caller, tenantPathParam(invocation));
            case DATA_PLANE_SERVICE -> accessPolicy.requireServiceFor(caller, optionalTenantPathParam(invocation));
            case AUTHENTICATED -> {
            }
        }
        tenantScope.restrictTo(caller);
        return invocation.proceed();
    }

    private static AccessLevel levelOf(InvocationContext invocation) {
        Authorized onMethod = invocation.getMethod().getAnnotation(Authorized.class);
        if (onMethod != null) {
            return onMethod.value();
        }
        Authorized onClass = invocation.getMethod().getDeclaringClass().getAnnotation(Authorized.class);
        return onClass == null ? AccessLevel.AUTHENTICATED : onClass.value();
    }

    private static String tenantPathParam(InvocationContext invocation) {
        String tenantId = optionalTenantPathParam(invocation);
        if (tenantId == null) {
            throw new IllegalStateException(invocation.getMethod() + " needs a String @PathParam(\"tenantId\")");
        }
        return tenantId;
    }

    private static String optionalTenantPathParam(InvocationContext invocation) {
        Parameter[] parameters = invocation.getMethod().getParameters();
        for (int i = 0; i < parameters.length; i++) {
            PathParam pathParam = parameters[i].getAnnotation(PathParam.class);
            if (pathParam != null && TENANT_PATH_PARAM.equals(pathParam.value())) {
                return (String) invocation.getParameters()[i];
            }
        }
        return null;
    }
}
