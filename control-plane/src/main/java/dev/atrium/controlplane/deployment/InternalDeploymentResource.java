package dev.atrium.controlplane.deployment;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.atrium.contract.InternalApi;
import dev.atrium.contract.ServedDeployment;
import dev.atrium.controlplane.auth.AccessLevel;
import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.auth.AuthorizedTenant;

/** A tenant's deployments as its data planes serve them (no secret value: the key is read from the secret API). */
@Path(InternalApi.DEPLOYMENTS)
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Internal")
public class InternalDeploymentResource {

    @Inject
    AuthorizedTenant authorized;

    @Inject
    DeploymentService deployments;

    @Inject
    dev.atrium.controlplane.identity.CallerContext callerContext;

    @GET
    @Authorized(AccessLevel.DATA_PLANE_SERVICE)
    @Operation(summary = "The tenant's model deployments (data-plane service identity only)")
    public List<ServedDeployment> served(@PathParam("tenantId") String tenantId) {
        // a self-hosted model server is reachable only from the tenant's own data plane, in its namespace
        dev.atrium.controlplane.identity.ServiceBinding service = callerContext.require().service();
        return deployments.served(authorized.id(), service != null && !service.regionWide(), service == null ? null : service.region());
    }

    @POST
    @Path("/{name}:demand")
    @Authorized(AccessLevel.DATA_PLANE_SERVICE)
    @Operation(summary = "A request for a self-hosted deployment arrived: starts its model server if it is scaled to zero")
    public Response demand(@PathParam("tenantId") String tenantId, @PathParam("name") String name) {
        if (!deployments.demand(authorized.id(), name)) {
            throw dev.atrium.controlplane.common.ApiException.notFound("self-hosted deployment", name);
        }
        return Response.noContent().build();
    }
}
