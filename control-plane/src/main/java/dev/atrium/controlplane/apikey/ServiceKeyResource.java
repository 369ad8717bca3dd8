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

/** Identities of data planes on the internal API (until Keycloak client credentials replace them). */
@Path("/api/v1/service-keys")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Service keys")
public class ServiceKeyResource {

    @Inject
    ApiKeyService apiKeyService;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Idempotent
    @Operation(summary = "Issue a data-plane service key", description = "The secret is returned once.")
    public Response create(@Valid @NotNull(message = "body is required") CreateServiceKeyRequest request) {
        ApiKeyView key = apiKeyService.createServiceKey(request);
        return Response.created(URI.create("/api/v1/service-keys/" + key.id())).header("Cache-Control", "no-store")
                .entity(key).build();
    }

    @GET
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "List data-plane service keys")
    public Page<ApiKeyView> list() {
        return new Page<>(apiKeyService.listServiceKeys(), null);
    }

    @DELETE
    @Path("/{keyId}")
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "Revoke a data-plane service key")
    public Response revoke(@PathParam("keyId") String keyId) {
        try {
            apiKeyService.revokeServiceKey(UUID.fromString(keyId));
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("service key", keyId);
        }
        return Response.noContent().build();
    }
}
