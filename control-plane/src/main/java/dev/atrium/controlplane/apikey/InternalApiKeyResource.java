package dev.atrium.controlplane.apikey;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.atrium.contract.InternalApi;
import dev.atrium.contract.KeyIntrospectionRequest;
import dev.atrium.controlplane.auth.AccessLevel;
import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.identity.CallerContext;

/** How a data plane learns whether a tenant API key is valid, without ever holding the pepper or the hashes. */
@Path(InternalApi.API_KEY_INTROSPECTION)
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Internal")
public class InternalApiKeyResource {

    @Inject
    ApiKeyService apiKeyService;

    @Inject
    CallerContext callerContext;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.DATA_PLANE_INTROSPECTION)
    @Operation(summary = "Introspect a tenant API key (data-plane service identity only)",
            description = "Always 200 for a well-formed request: `active` says whether the key may be used. "
                    + "Refusals are audited like failed authentications.")
    public Response introspect(@Valid @NotNull(message = "body is required") KeyIntrospectionRequest request) {
        return Response.ok(apiKeyService.introspect(request.key(), callerContext.require()))
                .header("Cache-Control", "no-store").build();
    }
}
