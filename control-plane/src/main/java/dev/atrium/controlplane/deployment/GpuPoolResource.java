package dev.atrium.controlplane.deployment;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.atrium.controlplane.auth.AccessLevel;
import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.common.Page;

/** The platform's GPU pools, their capacity and the model servers on them (platform admins). */
@Path("/api/v1/platform/gpu-pools")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Regions")
public class GpuPoolResource {

    @Inject
    GpuPools pools;

    @GET
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "Every Kubernetes region's GPU pools: capacity, GPUs held and at most, and the model servers on each")
    public Page<GpuPools.Pool> list() {
        return new Page<>(dev.atrium.controlplane.identity.TenantScope.asPlatform(pools::pools), null);
    }
}
