package dev.atrium.controlplane.deployment;

import java.util.Map;

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
import jakarta.ws.rs.core.Response;

import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.atrium.contract.ConfiguredModelReport;
import dev.atrium.contract.InternalApi;
import dev.atrium.contract.SecretValue;
import dev.atrium.controlplane.auth.AccessLevel;
import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.ProblemType;
import dev.atrium.controlplane.identity.Caller;
import dev.atrium.controlplane.identity.CallerContext;
import dev.atrium.controlplane.identity.TenantScope;
import dev.atrium.controlplane.secret.SecretView;

/** What data planes need of platform-wide deployments: a platform deployment's key, and their own configured models. */
@Path("/internal/v1")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Internal")
public class InternalPlatformDeploymentResource {

    @Inject
    DeploymentService deployments;

    @Inject
    ConfiguredModels configured;

    @Inject
    CallerContext callerContext;

    @GET
    @Path("/platform-deployments/{name}/key")
    @Authorized(AccessLevel.DATA_PLANE_SERVICE)
    @Operation(summary = "The key of a platform deployment's backend (data-plane service identity only; audited)")
    public Response key(@PathParam("name") String name) {
        Map.Entry<SecretView, String> key = TenantScope.asPlatform(() -> deployments.platformKey(name, callerContext.require()));
        return Response.ok(new SecretValue(key.getKey().name(), key.getKey().version(), key.getValue()))
                .header("Cache-Control", "no-store").build();
    }

    @PUT
    @Path("/configured-models")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.DATA_PLANE_SERVICE)
    @Operation(summary = "The models a region's data plane is configured with (region-wide service identity only)")
    public Response configuredModels(@Valid @NotNull(message = "body is required") ConfiguredModelReport report) {
        Caller caller = callerContext.require();
        if (caller.service() == null || !caller.service().regionWide()) {
            throw new ApiException(ProblemType.FORBIDDEN, "only a region's shared data plane reports its configured models");
        }
        TenantScope.asPlatform(() -> {
            configured.replace(caller.region(), report);
            return null;
        });
        return Response.noContent().build();
    }
}
