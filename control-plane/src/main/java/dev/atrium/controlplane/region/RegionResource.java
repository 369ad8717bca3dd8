package dev.atrium.controlplane.region;

import java.net.URI;
import java.util.List;

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

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.atrium.controlplane.auth.AccessLevel;
import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.common.ETags;
import dev.atrium.controlplane.idempotency.Idempotent;

/** Where data planes run: platform admins register, change and retire regions. */
@Path("/api/v1/platform/regions")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Regions")
public class RegionResource {

    @Inject
    RegionService regions;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Idempotent
    @Operation(summary = "Register a region", description = "A static region is a data plane already serving at `endpoint`; "
            + "a kubernetes region is a cluster where Atrium provisions dedicated tenants (`kubernetes` settings).")
    public Response create(@Valid @NotNull(message = "body is required") CreateRegionRequest request) {
        Region region = regions.create(request);
        return Response.created(URI.create("/api/v1/platform/regions/" + region.name())).tag(ETags.of(region.version()))
                .entity(region).build();
    }

    @GET
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "Every region, with its health")
    public List<Region> list() {
        return regions.list();
    }

    @GET
    @Path("/{name: [^/:]+}")
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "A region")
    public Response get(@PathParam("name") String name) {
        Region region = regions.get(name);
        return Response.ok(region).tag(ETags.of(region.version())).build();
    }

    @PATCH
    @Path("/{name: [^/:]+}")
    @Consumes({"application/merge-patch+json", MediaType.APPLICATION_JSON})
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "Change a region's endpoint or kubernetes settings (JSON merge patch)")
    public Response update(@PathParam("name") String name, @HeaderParam("If-Match") String ifMatch, JsonNode patch) {
        Region region = regions.update(name, patch, ifMatch);
        return Response.ok(region).tag(ETags.of(region.version())).build();
    }

    @DELETE
    @Path("/{name: [^/:]+}")
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "Retire a region no tenant is placed in")
    public Response delete(@PathParam("name") String name, @HeaderParam("If-Match") String ifMatch) {
        regions.delete(name, ifMatch);
        return Response.noContent().build();
    }
}
