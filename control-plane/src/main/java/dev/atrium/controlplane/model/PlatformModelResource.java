package dev.atrium.controlplane.model;

import java.net.URI;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.atrium.controlplane.auth.AccessLevel;
import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.common.Page;

/** Platform-wide models, which every tenant sees; managed and reviewed by platform admins. */
@Path("/api/v1/platform/models")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Models")
public class PlatformModelResource {

    @Inject
    ModelRegistry registry;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "Register a platform-wide model")
    public Response create(@Valid @NotNull(message = "body is required") ModelRequests.CreateModel request) {
        ModelViews.Model model = registry.create(null, request);
        return Response.created(URI.create("/api/v1/platform/models/" + model.name())).entity(model).build();
    }

    @GET
    @Authorized(AccessLevel.PLATFORM_STAFF)
    @Operation(summary = "Platform-wide models")
    public Page<ModelViews.Model> list() {
        return new Page<>(registry.list(null), null);
    }

    @POST
    @Path("/{name}/versions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "Add a version (DRAFT) to a platform-wide model")
    public Response createVersion(@PathParam("name") String name,
                                  @Valid @NotNull(message = "body is required") ModelRequests.CreateVersion request) {
        ModelViews.Version version = registry.createVersion(null, name, request);
        return Response.created(URI.create("/api/v1/platform/models/" + name + "/versions/" + version.version())).entity(version).build();
    }

    @GET
    @Path("/{name}/versions")
    @Authorized(AccessLevel.PLATFORM_STAFF)
    @Operation(summary = "A platform-wide model's versions with their review status")
    public Page<ModelViews.Version> versions(@PathParam("name") String name) {
        return new Page<>(registry.versions(null, name), null);
    }

    @GET
    @Path("/{name}/versions/{version}/card")
    @Produces({"text/markdown", "application/pdf"})
    @Authorized(AccessLevel.PLATFORM_STAFF)
    @Operation(summary = "A platform-wide version's model card as Markdown (default) or PDF (`?format=pdf`)")
    public Response card(@PathParam("name") String name, @PathParam("version") String version, @QueryParam("format") String format) {
        return ModelCardResponses.card(registry, null, name, version, format);
    }

    @GET
    @Path("/{name}/versions/{version}")
    @Authorized(AccessLevel.PLATFORM_STAFF)
    @Operation(summary = "A platform-wide model version")
    public ModelViews.Version version(@PathParam("name") String name, @PathParam("version") String version) {
        return registry.version(null, name, version);
    }

    @POST
    @Path("/{name}/versions/{version}:submit")
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "Submit a platform-wide version for review")
    public ModelViews.Version submit(@PathParam("name") String name, @PathParam("version") String version) {
        return registry.transition(null, name, version, VersionStatus.IN_REVIEW, null);
    }

    @POST
    @Path("/{name}/versions/{version}:approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.PLATFORM_COMPLIANCE)
    @Operation(summary = "Approve a platform-wide version, with a comment (a platform compliance officer other than the submitter)")
    public ModelViews.Version approve(@PathParam("name") String name, @PathParam("version") String version,
                                      @Valid @NotNull(message = "body is required") ModelRequests.Review review) {
        return registry.transition(null, name, version, VersionStatus.APPROVED, review.comment());
    }

    @POST
    @Path("/{name}/versions/{version}:reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.PLATFORM_COMPLIANCE)
    @Operation(summary = "Reject a platform-wide version, with a comment (a platform compliance officer other than the submitter)")
    public ModelViews.Version reject(@PathParam("name") String name, @PathParam("version") String version,
                                     @Valid @NotNull(message = "body is required") ModelRequests.Review review) {
        return registry.transition(null, name, version, VersionStatus.REJECTED, review.comment());
    }

    @POST
    @Path("/{name}/versions/{version}:deprecate")
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "Deprecate a platform-wide version")
    public ModelViews.Version deprecate(@PathParam("name") String name, @PathParam("version") String version) {
        return registry.transition(null, name, version, VersionStatus.DEPRECATED, null);
    }
}
