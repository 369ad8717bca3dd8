package dev.atrium.controlplane.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;

/**
 * Declares who may call a resource method. Every {@code /api/v1} resource method carries it (a test checks),
 * so no endpoint can forget authorization, rate limiting or the suspended-tenant check.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Authorized {

    @Nonbinding
    AccessLevel value() default AccessLevel.AUTHENTICATED;

    /**
     * Where the tenant the operation is about comes from, when it is neither a {@code tenantId} path or query
     * parameter nor named by the body (e.g. an export addressed by its own id).
     */
    @Nonbinding
    Class<? extends TenantOfRequest> tenant() default TenantOfRequest.FromParameters.class;
}
