package dev.atrium.controlplane.secret;

import java.net.URI;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
import dev.atrium.controlplane.idempotency.Idempotent;

/** A tenant's secrets. Values go in and never come out: every response carries metadata only. */
@Path("/api/v1/tenants/{tenantId}/secrets")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Secrets")
public class SecretResource {

    @Inject
    AuthorizedTenant authorized;

    @Inject
    SecretService secretService;

    @PUT
    @Path("/{name: [^/:]+}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Operation(summary = "Create a secret or store a new version of it",
            description = "201 when the secret is created, 200 for a new version. The value is never returned.")
    public Response put(@PathParam("tenantId") String tenantId, @PathParam("name") String name,
                        @NotNull(message = "body is required") SecretValue body) {
        SecretService.Written written = secretService.put(authorized.id(), name, body.value());
        return written.created()
                ? Response.created(URI.create("/api/v1/tenants/" + tenantId + "/secrets/" + name)).entity(written.secret()).build()
                : Response.ok(written.secret()).build();
    }

    @GET
    @Authorized(AccessLevel.TENANT_MEMBER)
    @Operation(summary = "List secret names, versions and who changed them (never values)")
    public Page<SecretView> list(@PathParam("tenantId") String tenantId) {
        return new Page<>(secretService.list(authorized.id()), null);
    }

    @GET
    @Path("/{name: [^/:]+}")
    @Authorized(AccessLevel.TENANT_MEMBER)
    @Operation(summary = "Get a secret's metadata (never its value)")
    public SecretView get(@PathParam("tenantId") String tenantId, @PathParam("name") String name) {
        return secretService.get(authorized.id(), name);
    }

    @DELETE
    @Path("/{name: [^/:]+}")
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Operation(summary = "Delete a secret", description = "Soft delete; with destroy=true every version is removed for good.")
    public Response delete(@PathParam("tenantId") String tenantId, @PathParam("name") String name,
                           @QueryParam("destroy") boolean destroy) {
        secretService.delete(authorized.id(), name, destroy);
        return Response.noContent().build();
    }

    @POST
    @Path("/{name: [^/:]+}:rotate")
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Idempotent
    @Operation(summary = "Rotate a generated secret",
            description = "Stores a new random 256-bit value as the next version (creating the secret if needed); "
                    + "data planes read it through the internal API.")
    public Response rotate(@PathParam("tenantId") String tenantId, @PathParam("name") String name) {
        SecretService.Written written = secretService.rotate(authorized.id(), name);
        return Response.status(written.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(written.secret()).build();
    }
}
