package dev.atrium.controlplane.audit.retention;


import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.atrium.controlplane.auth.AccessLevel;
import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.auth.AuthorizedTenant;

@Path("/api/v1/tenants/{tenantId}/audit-retention")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Audit")
public class AuditRetentionResource {

    @Inject
    AuditRetention retention;

    @Inject
    AuthorizedTenant authorized;

    @GET
    @Authorized(AccessLevel.RETENTION_READER)
    @Operation(summary = "A tenant's audit retention and legal hold (compliance officers, platform compliance officers; platform admins read)")
    public RetentionPolicy get(@PathParam("tenantId") String tenantId) {
        return retention.get(authorized.id());
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.AUDIT_EXPORTER)
    @Operation(summary = "Set retention and legal hold (compliance officers, people only); a hold blocks every purge of the tenant's trail")
    public RetentionPolicy set(@PathParam("tenantId") String tenantId,
                               @Valid @NotNull(message = "body is required") RetentionPolicy policy) {
        return retention.set(authorized.id(), policy);
    }
}
