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
import dev.atrium.controlplane.common.ETags;
import dev.atrium.controlplane.common.Page;
import dev.atrium.controlplane.identity.TenantScope;

/**
 * Platform-wide deployments: APPROVED versions of platform models, served by every data plane to every tenant (a
 * tenant's own deployment of the same name takes precedence for it), with a platform secret as the backend's key.
 * Listed with the models data planes of static regions were configured with ({@code atrium.models.*}).
 */
@Path("/api/v1/platform/deployments")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Deployments")
public class PlatformDeploymentResource {

    @Inject
    DeploymentService deployments;

    @Inject
    ConfiguredModels configured;

    /** The platform's deployments, and what each static region's data plane was configured with. */
    public record PlatformDeployments(java.util.List<Deployment> items, java.util.List<ConfiguredModels.Configured> configured) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "Deploy an APPROVED platform model version for every tenant (kind upstream; the key a platform secret)")
    public Response create(@Valid @NotNull(message = "body is required") DeploymentRequests.CreateDeployment request) {
        Deployment deployment = TenantScope.asPlatform(() -> deployments.create(null, request));
        return Response.created(URI.create("/api/v1/platform/deployments/" + deployment.name()))
                .tag(ETags.of(deployment.etag())).entity(deployment).build();
    }

    @GET
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "The platform's deployments, and the models static regions' data planes are configured with")
    public PlatformDeployments list() {
        return TenantScope.asPlatform(() -> new PlatformDeployments(deployments.list(null), configured.all()));
    }

    @GET
    @Path("/{name}")
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "A platform deployment")
    public Response get(@PathParam("name") String name) {
        Deployment deployment = TenantScope.asPlatform(() -> deployments.get(null, name));
        return Response.ok(deployment).tag(ETags.of(deployment.etag())).build();
    }

    @PATCH
    @Path("/{name}")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "Serve another APPROVED version, or change the backend (If-Match with the ETag)")
    public Response update(@PathParam("name") String name, @HeaderParam("If-Match") String ifMatch,
                           @Valid @NotNull(message = "body is required") DeploymentRequests.UpdateDeployment request) {
        Deployment deployment = TenantScope.asPlatform(() -> deployments.update(null, name, request, ifMatch));
        return Response.ok(deployment).tag(ETags.of(deployment.etag())).build();
    }

    @DELETE
    @Path("/{name}")
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "Stop serving a platform deployment")
    public Response delete(@PathParam("name") String name, @HeaderParam("If-Match") String ifMatch) {
        TenantScope.asPlatform(() -> {
            deployments.delete(null, name, ifMatch);
            return null;
        });
        return Response.noContent().build();
    }
}
