package dev.atrium.controlplane.deployment;

import java.net.URI;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
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
import dev.atrium.controlplane.common.Page;

/** A tenant's model deployments: which APPROVED model version its data planes serve under a name, and from where. */
@Path("/api/v1/tenants/{tenantId}/deployments")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Deployments")
public class DeploymentResource {

    @Inject
    AuthorizedTenant authorized;

    @Inject
    DeploymentService deployments;

    @Inject
    RolloutService rollouts;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Operation(summary = "Deploy an APPROVED model version under a name (kind upstream: an OpenAI-compatible backend)")
    public Response create(@PathParam("tenantId") String tenantId,
                           @Valid @NotNull(message = "body is required") DeploymentRequests.CreateDeployment request) {
        Deployment deployment = deployments.create(authorized.id(), request);
        return Response.created(URI.create("/api/v1/tenants/" + tenantId + "/deployments/" + deployment.name()))
                .tag(ETags.of(deployment.etag())).entity(deployment).build();
    }

    @GET
    @Authorized(AccessLevel.TENANT_MEMBER)
    @Operation(summary = "The tenant's deployments")
    public Page<Deployment> list(@PathParam("tenantId") String tenantId) {
        return new Page<>(deployments.list(authorized.id()), null);
    }

    @GET
    @Path("/{name}")
    @Authorized(AccessLevel.TENANT_MEMBER)
    @Operation(summary = "A deployment")
    public Response get(@PathParam("tenantId") String tenantId, @PathParam("name") String name) {
        Deployment deployment = deployments.get(authorized.id(), name);
        return Response.ok(deployment).tag(ETags.of(deployment.etag())).build();
    }

    @PATCH
    @Path("/{name}")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Operation(summary = "Serve another APPROVED version, or change the backend (If-Match with the ETag)")
    public Response update(@PathParam("tenantId") String tenantId, @PathParam("name") String name,
                           @HeaderParam("If-Match") String ifMatch,
                           @Valid @NotNull(message = "body is required") DeploymentRequests.UpdateDeployment request) {
        Deployment deployment = deployments.update(authorized.id(), name, request, ifMatch);
        return Response.ok(deployment).tag(ETags.of(deployment.etag())).build();
    }

    @DELETE
    @Path("/{name}")
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Operation(summary = "Stop serving a deployment")
    public Response delete(@PathParam("tenantId") String tenantId, @PathParam("name") String name,
                           @HeaderParam("If-Match") String ifMatch) {
        deployments.delete(authorized.id(), name, ifMatch);
        return Response.noContent().build();
    }

    @POST
    @Path("/{name}/rollout")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Operation(summary = "Start moving the deployment to another APPROVED version: canary, ab or shadow (If-Match: the deployment's ETag)")
    public Response startRollout(@PathParam("tenantId") String tenantId, @PathParam("name") String name,
                                 @HeaderParam("If-Match") String ifMatch,
                                 @Valid @NotNull(message = "body is required") RolloutRequests.StartRollout request) {
        Rollout.Status status = rollouts.start(authorized.id(), name, request, ifMatch);
        return Response.created(URI.create("/api/v1/tenants/" + tenantId + "/deployments/" + name + "/rollout")).entity(status).build();
    }

    @GET
    @Path("/{name}/rollout")
    @Authorized(AccessLevel.TENANT_MEMBER)
    @Operation(summary = "The deployment's newest rollout: its steps, each version's live metrics, the decisions taken")
    public Rollout.Status rollout(@PathParam("tenantId") String tenantId, @PathParam("name") String name) {
        return rollouts.status(authorized.id(), name);
    }

    @POST
    @Path("/{name}/rollout:promote")
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Operation(summary = "Make the rollout's candidate the deployment's version now")
    public Rollout.Status promote(@PathParam("tenantId") String tenantId, @PathParam("name") String name,
                                  @Valid RolloutRequests.EndRollout request) {
        return rollouts.end(authorized.id(), name, true, request == null ? null : request.reason());
    }

    @POST
    @Path("/{name}/rollout:rollback")
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Operation(summary = "Send all of the deployment's traffic back to its stable version now")
    public Rollout.Status rollback(@PathParam("tenantId") String tenantId, @PathParam("name") String name,
                                   @Valid RolloutRequests.EndRollout request) {
        return rollouts.end(authorized.id(), name, false, request == null ? null : request.reason());
    }
}
