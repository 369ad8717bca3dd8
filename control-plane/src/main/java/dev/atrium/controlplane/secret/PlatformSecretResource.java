package dev.atrium.controlplane.secret;

import java.net.URI;

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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.atrium.controlplane.auth.AccessLevel;
import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.common.Page;

/**
 * Platform secrets (e.g. a Kubernetes region's credentials, named by its {@code credentialsSecret}) and the local
 * store's key hierarchy; platform admins only. Values go in and never come out: every response carries metadata only.
 */
@Path("/api/v1/platform/secrets")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Secrets")
public class PlatformSecretResource {

    @Inject
    SecretService secretService;

    @PUT
    @Path("/{name: [^/:]+}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "Create a platform secret or store a new version of it",
            description = "201 when the secret is created, 200 for a new version. The value is never returned. Secrets "
                    + "the platform generates for itself (API-key pepper, signing keys) cannot be set (409).")
    public Response put(@PathParam("name") String name, @NotNull(message = "body is required") SecretValue body) {
        SecretService.Written written = secretService.putPlatform(name, body.value());
        return written.created()
                ? Response.created(URI.create("/api/v1/platform/secrets/" + name)).entity(written.secret()).build()
                : Response.ok(written.secret()).build();
    }

    @GET
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "List platform secret names, versions and who changed them (never values)")
    public Page<SecretView> list() {
        return new Page<>(secretService.listPlatform(), null);
    }

    @DELETE
    @Path("/{name: [^/:]+}")
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "Delete a platform secret set through this API (soft delete)")
    public Response delete(@PathParam("name") String name) {
        secretService.deletePlatform(name);
        return Response.noContent().build();
    }

    @POST
    @Path("/master-key:rotate")
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "Rotate the local store's master key",
            description = "Generates a new master key and re-wraps every tenant's data key; values are not re-encrypted. "
                    + "409 when the key comes from the environment or the backend is Vault.")
    public SecretStore.MasterKeyRotation rotate() {
        return secretService.rotateMasterKey();
    }
}
