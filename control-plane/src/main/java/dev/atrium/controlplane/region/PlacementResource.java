package dev.atrium.controlplane.region;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.atrium.controlplane.auth.AccessLevel;
import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.auth.AuthorizedTenant;
import dev.atrium.controlplane.common.ETags;

/** Where a tenant's data lives: any member of the tenant reads it, platform admins change it. */
@Path("/api/v1/tenants/{tenantId}/placement")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Regions")
public class PlacementResource {

    @Inject
    AuthorizedTenant authorized;

    @Inject
    PlacementService placements;

    @GET
    @Authorized(AccessLevel.TENANT_MEMBER)
    @Operation(summary = "The tenant's primary region and standbys, with their endpoints, its isolation tier and, when "
            + "dedicated, its namespace's provisioning condition")
    public Response get(@PathParam("tenantId") String tenantId) {
        Placement placement = placements.get(authorized.id());
        return Response.ok(placement).tag(ETags.of(placement.version())).build();
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "Move the tenant or change its standbys (regions of its residency zone only)",
            description = "For a pooled tenant routing only: data already in a region the tenant leaves is neither moved nor "
                    + "erased. A dedicated tenant's namespace in a Kubernetes region it leaves is removed, database included.")
    public Response put(@PathParam("tenantId") String tenantId, @HeaderParam("If-Match") String ifMatch,
                        @Valid @NotNull(message = "body is required") PlacementRequest request) {
        Placement placement = placements.put(authorized.id(), request, ifMatch);
        return Response.ok(placement).tag(ETags.of(placement.version())).build();
    }
}
