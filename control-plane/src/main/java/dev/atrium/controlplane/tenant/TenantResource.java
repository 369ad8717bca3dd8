package dev.atrium.controlplane.tenant;

import java.net.URI;
import java.util.UUID;

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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.atrium.controlplane.auth.AccessLevel;
import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.auth.AuthorizedTenant;
import dev.atrium.controlplane.common.ETags;
import dev.atrium.controlplane.common.Page;
import dev.atrium.controlplane.idempotency.Idempotent;

@Path("/api/v1/tenants")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Tenants")
public class TenantResource {

    @Inject
    AuthorizedTenant authorized;

    static final String MERGE_PATCH = "application/merge-patch+json";

    @Inject
    TenantService tenantService;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Idempotent
    @Operation(summary = "Create a tenant", description = "Starts in PROVISIONING and becomes ACTIVE once placed.")
    public Response create(@Valid @NotNull(message = "body is required") CreateTenantRequest request) {
        Tenant tenant = tenantService.create(request);
        return Response.created(URI.create("/api/v1/tenants/" + tenant.id)).tag(ETags.of(tenant.version))
                .entity(TenantView.of(tenant)).build();
    }

    @GET
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "List tenants", description = "Oldest first; DELETED tenants only when filtered by that status; "
            + "q matches slug or display name (case-insensitive substring).")
    public Page<TenantView> list(@QueryParam("status") String status, @QueryParam("q") String search,
                                 @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        Page<Tenant> page = tenantService.list(status, search, limit, cursor);
        return new Page<>(page.items().stream().map(TenantView::of).toList(), page.nextCursor());
    }

    @GET
    @Path("/{tenantId: [^/:]+}")
    @Authorized(AccessLevel.TENANT_MEMBER)
    @Operation(summary = "Get a tenant")
    public Response get(@PathParam("tenantId") String tenantId) {
        return withETag(tenantService.get(authorized.id()));
    }

    @PATCH
    @Path("/{tenantId: [^/:]+}")
    @Consumes({MERGE_PATCH, MediaType.APPLICATION_JSON})
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "Change a tenant's display name or plan (JSON merge patch)")
    public Response update(@PathParam("tenantId") String tenantId, @HeaderParam("If-Match") String ifMatch,
                           JsonNode patch) {
        return withETag(tenantService.update(authorized.id(), patch, ifMatch));
    }

    @DELETE
    @Path("/{tenantId: [^/:]+}")
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "Delete a suspended tenant", description = "Answers 202: the tenant is DELETING, then DELETED.")
    public Response delete(@PathParam("tenantId") String tenantId, @HeaderParam("If-Match") String ifMatch) {
        Tenant tenant = tenantService.requestDeletion(authorized.id(), ifMatch);
        return Response.accepted(TenantView.of(tenant)).tag(ETags.of(tenant.version)).build();
    }

    @POST
    @Path("/{tenantId: [^/:]+}:suspend")
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Idempotent
    @Operation(summary = "Suspend a tenant", description = "Its API keys stop working until it is resumed.")
    public Response suspend(@PathParam("tenantId") String tenantId, @HeaderParam("If-Match") String ifMatch) {
        return withETag(tenantService.suspend(authorized.id(), ifMatch));
    }

    @POST
    @Path("/{tenantId: [^/:]+}:resume")
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Idempotent
    @Operation(summary = "Resume a suspended tenant")
    public Response resume(@PathParam("tenantId") String tenantId, @HeaderParam("If-Match") String ifMatch) {
        return withETag(tenantService.resume(authorized.id(), ifMatch));
    }

    private static Response withETag(Tenant tenant) {
        return Response.ok(TenantView.of(tenant)).tag(ETags.of(tenant.version)).build();
    }
}
