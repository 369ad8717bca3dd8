package dev.atrium.controlplane.model;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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
import dev.atrium.controlplane.auth.AuthorizedTenant;
import dev.atrium.controlplane.common.Page;

/** A tenant's model registry: its models and versions, model cards, and the review workflow. */
@Path("/api/v1/tenants/{tenantId}/models")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Models")
public class TenantModelResource {

    @Inject
    AuthorizedTenant authorized;

    @Inject
    ModelRegistry registry;



    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Operation(summary = "Register a model (name, type, provider, description)")
    public Response create(@PathParam("tenantId") String tenantId, @Valid @NotNull(message = "body is required") ModelRequests.CreateModel request) {
        ModelViews.Model model = registry.create(authorized.id(), request);
        return Response.created(URI.create("/api/v1/tenants/" + tenantId + "/models/" + model.name())).entity(model).build();
    }

    @GET
    @Authorized(AccessLevel.TENANT_MEMBER)
    @Operation(summary = "The tenant's models and the platform-wide ones")
    public Page<ModelViews.Model> list(@PathParam("tenantId") String tenantId) {
        return new Page<>(registry.list(authorized.id()), null);
    }

    @GET
    @Path("/{name}")
    @Authorized(AccessLevel.TENANT_MEMBER)
    @Operation(summary = "A model")
    public ModelViews.Model get(@PathParam("tenantId") String tenantId, @PathParam("name") String name) {
        return registry.get(authorized.id(), name);
    }

    @PATCH
    @Path("/{name}")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Operation(summary = "Change a model's provider or description")
    public ModelViews.Model update(@PathParam("tenantId") String tenantId, @PathParam("name") String name,
                                   @Valid @NotNull(message = "body is required") ModelRequests.UpdateModel request) {
        return registry.update(authorized.id(), name, request);
    }

    @POST
    @Path("/{name}/versions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Operation(summary = "Add a version (DRAFT) with its artifact, runtime, hardware needs and model card")
    public Response createVersion(@PathParam("tenantId") String tenantId, @PathParam("name") String name,
                                  @Valid @NotNull(message = "body is required") ModelRequests.CreateVersion request) {
        ModelViews.Version version = registry.createVersion(authorized.id(), name, request);
        return Response.created(URI.create("/api/v1/tenants/" + tenantId + "/models/" + name + "/versions/" + version.version()))
                .entity(version).build();
    }

    @GET
    @Path("/{name}/versions")
    @Authorized(AccessLevel.TENANT_MEMBER)
    @Operation(summary = "A model's versions with their review status")
    public Page<ModelViews.Version> versions(@PathParam("tenantId") String tenantId, @PathParam("name") String name) {
        List<ModelViews.Version> versions = registry.versions(authorized.id(), name);
        return new Page<>(versions, null);
    }

    @GET
    @Path("/{name}/versions/{version}")
    @Authorized(AccessLevel.TENANT_MEMBER)
    @Operation(summary = "A version with its model card")
    public ModelViews.Version version(@PathParam("tenantId") String tenantId, @PathParam("name") String name,
                                      @PathParam("version") String version) {
        return registry.version(authorized.id(), name, version);
    }

    @PATCH
    @Path("/{name}/versions/{version}")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Operation(summary = "Edit a DRAFT or REJECTED version (artifact, runtime, hardware, card)")
    public ModelViews.Version updateVersion(@PathParam("tenantId") String tenantId, @PathParam("name") String name,
                                            @PathParam("version") String version,
                                            @Valid @NotNull(message = "body is required") ModelRequests.UpdateVersion request) {
        return registry.updateVersion(authorized.id(), name, version, request);
    }

    @POST
    @Path("/{name}/versions/{version}:submit")
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Operation(summary = "Submit for review (the card's required fields are checked: 422 lists what is missing)")
    public ModelViews.Version submit(@PathParam("tenantId") String tenantId, @PathParam("name") String name,
                                     @PathParam("version") String version) {
        return registry.transition(authorized.id(), name, version, VersionStatus.IN_REVIEW, null);
    }

    @POST
    @Path("/{name}/versions/{version}:approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.MODEL_REVIEWER)
    @Operation(summary = "Approve a version in review (compliance officers of the tenant only), with a comment")
    public ModelViews.Version approve(@PathParam("tenantId") String tenantId, @PathParam("name") String name,
                                      @PathParam("version") String version,
                                      @Valid @NotNull(message = "body is required") ModelRequests.Review review) {
        return registry.transition(authorized.id(), name, version, VersionStatus.APPROVED, review.comment());
    }

    @POST
    @Path("/{name}/versions/{version}:reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.MODEL_REVIEWER)
    @Operation(summary = "Reject a version in review (compliance officers of the tenant only), with a comment")
    public ModelViews.Version reject(@PathParam("tenantId") String tenantId, @PathParam("name") String name,
                                     @PathParam("version") String version,
                                     @Valid @NotNull(message = "body is required") ModelRequests.Review review) {
        return registry.transition(authorized.id(), name, version, VersionStatus.REJECTED, review.comment());
    }

    @POST
    @Path("/{name}/versions/{version}:deprecate")
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Operation(summary = "Deprecate an approved version (it stops being servable)")
    public ModelViews.Version deprecate(@PathParam("tenantId") String tenantId, @PathParam("name") String name,
                                        @PathParam("version") String version) {
        return registry.transition(authorized.id(), name, version, VersionStatus.DEPRECATED, null);
    }

    @GET
    @Path("/{name}/versions/{version}/card")
    @Produces({"text/markdown", "application/pdf"})
    @Authorized(AccessLevel.TENANT_MEMBER)
    @Operation(summary = "The model card as Markdown (default) or PDF (`?format=pdf`)")
    public Response card(@PathParam("tenantId") String tenantId, @PathParam("name") String name, @PathParam("version") String version,
                         @QueryParam("format") String format) {
        return ModelCardResponses.card(registry, authorized.id(), name, version, format);
    }

    @POST
    @Path("/{name}/versions/{version}/evaluations")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Operation(summary = "Add evaluation results to a draft's card (card entries, or a `make eval` report)")
    public ModelViews.Version evaluations(@PathParam("tenantId") String tenantId, @PathParam("name") String name,
                                          @PathParam("version") String version,
                                          @Valid @NotNull(message = "body is required") ModelRequests.Evaluations request) {
        return registry.attachEvaluations(authorized.id(), name, version, request);
    }
}
