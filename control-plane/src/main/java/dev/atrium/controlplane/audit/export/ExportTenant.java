package dev.atrium.controlplane.audit.export;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.interceptor.InvocationContext;
import jakarta.ws.rs.PathParam;

import dev.atrium.controlplane.auth.AccessPolicy;
import dev.atrium.controlplane.auth.TenantOfRequest;
import dev.atrium.controlplane.common.ApiException;

/** The tenant an export addressed by its own id is about (read from the export), for authorization. */
@ApplicationScoped
public class ExportTenant implements TenantOfRequest {

    @Inject
    AuditExports exports;

    @Override
    public Optional<String> rawTenantId(InvocationContext invocation) {
        for (int i = 0; i < invocation.getParameters().length; i++) {
            PathParam path = invocation.getMethod().getParameters()[i].getAnnotation(PathParam.class);
            if (path != null && "exportId".equals(path.value())) {
                ExportView export = exports.get(parse((String) invocation.getParameters()[i]));
                return Optional.of(export.tenantId() == null ? AccessPolicy.PLATFORM_CHAIN : export.tenantId().toString());
            }
        }
        throw new IllegalStateException(invocation.getMethod() + " has no exportId path parameter");
    }

    static UUID parse(String exportId) {
        try {
            return UUID.fromString(exportId);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("audit export", exportId);
        }
    }
}
