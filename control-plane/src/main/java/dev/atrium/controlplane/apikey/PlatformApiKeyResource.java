package dev.atrium.controlplane.apikey;

import java.net.URI;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
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
import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.Page;
import dev.atrium.controlplane.idempotency.Idempotent;

/** Platform-admin API keys, the bootstrap key included: issue, list, revoke. */
@Path("/api/v1/platform/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "API keys")
public class PlatformApiKeyResource {

    @Inject
    ApiKeyService apiKeyService;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Idempotent
    @Operation(summary = "Issue a platform-admin API key", description = "The secret is returned once.")
    public Response create(@Valid @NotNull(message = "body is required") CreatePlatformKeyRequest request) {
        ApiKeyView key = apiKeyService.createPlatformKey(request);
        return Response.created(URI.create("/api/v1/platform/api-keys/" + key.id())).header("Cache-Control", "no-store")
                .entity(key).build();
    }

    @GET
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "List platform-admin API keys, the bootstrap key included (never their secrets)")
    public Page<ApiKeyView> list() {
        return new Page<>(apiKeyService.listPlatformKeys(), null);
    }

    @DELETE
    @Path("/{keyId}")
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "Revoke a platform-admin API key", description = "Effective immediately.")
    public Response revoke(@PathParam("keyId") String keyId) {
        UUID id;
        try {
            id = UUID.fromString(keyId);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("platform API key", keyId);
        }
        apiKeyService.revokePlatformKey(id);
        return Response.noContent().build();
    }
}
