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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.atrium.controlplane.auth.AccessLevel;
import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.auth.AuthorizedTenant;
import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.Page;
import dev.atrium.controlplane.idempotency.Idempotent;

@Path("/api/v1/tenants/{tenantId}/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "API keys")
public class ApiKeyResource {

    @Inject
    AuthorizedTenant authorized;

    @Inject
    ApiKeyService apiKeyService;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Idempotent
    @Operation(summary = "Issue an API key", description = "The response carries the secret; it is never shown again.")
    public Response create(@PathParam("tenantId") String tenantId,
                           @Valid @NotNull(message = "body is required") CreateApiKeyRequest request) {
        ApiKeyView key = apiKeyService.create(authorized.id(), request);
        return Response.created(URI.create("/api/v1/tenants/" + tenantId + "/api-keys/" + key.id()))
                .header("Cache-Control", "no-store")
                .entity(key).build();
    }

    @GET
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Operation(summary = "List a tenant's API keys (never their secrets)")
    public Page<ApiKeyView> list(@PathParam("tenantId") String tenantId, @QueryParam("limit") Integer limit,
                                 @QueryParam("cursor") String cursor) {
        return apiKeyService.list(authorized.id(), limit, cursor);
    }

    @GET
    @Path("/{keyId}")
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Operation(summary = "Get one API key (never its secret)")
    public ApiKeyView get(@PathParam("tenantId") String tenantId, @PathParam("keyId") String keyId) {
        return apiKeyService.get(authorized.id(), parseKeyId(keyId));
    }

    @DELETE
    @Path("/{keyId}")
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Operation(summary = "Revoke an API key", description = "Effective immediately.")
    public Response revoke(@PathParam("tenantId") String tenantId, @PathParam("keyId") String keyId) {
        apiKeyService.revoke(authorized.id(), parseKeyId(keyId));
        return Response.noContent().build();
    }

    private static UUID parseKeyId(String keyId) {
        try {
            return UUID.fromString(keyId);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("API key", keyId);
        }
    }
}
