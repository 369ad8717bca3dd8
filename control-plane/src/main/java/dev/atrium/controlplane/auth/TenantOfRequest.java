package dev.atrium.controlplane.auth;

import java.lang.reflect.Parameter;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.interceptor.InvocationContext;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

/** Finds the raw tenant id (or {@code platform}) an invocation is about, for {@link AuthorizationInterceptor}. */
public interface TenantOfRequest {

    String TENANT_PARAMETER = "tenantId";

    Optional<String> rawTenantId(InvocationContext invocation);

    /** The {@code tenantId} path or query parameter, or a body that {@link NamesTenant names} one. */
    @ApplicationScoped
    class FromParameters implements TenantOfRequest {

        @Override
        public Optional<String> rawTenantId(InvocationContext invocation) {
            Parameter[] parameters = invocation.getMethod().getParameters();
            Object[] arguments = invocation.getParameters();
            for (int i = 0; i < parameters.length; i++) {
                PathParam path = parameters[i].getAnnotation(PathParam.class);
                QueryParam query = parameters[i].getAnnotation(QueryParam.class);
                if ((path != null && TENANT_PARAMETER.equals(path.value())) || (query != null && TENANT_PARAMETER.equals(query.value()))) {
                    return Optional.ofNullable((String) arguments[i]).filter(raw -> !raw.isBlank());
                }
            }
            for (Object argument : arguments) {
                if (argument instanceof NamesTenant body) {
                    return Optional.ofNullable(body.tenantId()).filter(raw -> !raw.isBlank());
                }
            }
            return Optional.empty();
        }
    }
}
