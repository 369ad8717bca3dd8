package dev.atrium.controlplane.member;

import java.util.Arrays;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.interceptor.InvocationContext;
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
import dev.atrium.contract.TokenIntrospectionRequest;
import dev.atrium.controlplane.auth.AccessLevel;
import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.auth.AuthorizedTenant;
import dev.atrium.controlplane.auth.TenantOfRequest;

/**
 * How a data plane accepts a person (the web console acting for its signed-in user) instead of an API key: it sends
 * the person's Keycloak access token (exchanged by the console for the data plane's audience) and the tenant it is
 * for; the control plane validates the token (signature, expiry, audience {@code atrium-data-plane}) and answers in
 * the shape of API-key introspection ({@link TokenIntrospection}).
 */
@Path(InternalApi.TOKEN_INTROSPECTION)
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Internal")
public class InternalTokenResource {

    @Inject
    TokenIntrospection introspection;

    @Inject
    AuthorizedTenant authorized;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(value = AccessLevel.DATA_PLANE_INTROSPECTION, tenant = TenantOfTokenRequest.class)
    @Operation(summary = "Introspect a person's access token for one tenant (data-plane service identity only)",
            description = "Always 200 for a well-formed request: `active` says whether the person may act in the tenant, "
                    + "with the scopes of their role there (tenant-admin: everything; tenant-member: query and invoke; "
                    + "compliance-officer: query and audit:read).")
    public Response introspect(@Valid @NotNull(message = "body is required") TokenIntrospectionRequest request) {
        // the interceptor parsed the tenant and checked that the service may ask about it (404 otherwise)
        return Response.ok(introspection.introspect(authorized.id(), request.token())).header("Cache-Control", "no-store").build();
    }

    /** The tenant a token introspection is for is named in its body. */
    @ApplicationScoped
    public static class TenantOfTokenRequest implements TenantOfRequest {

        @Override
        public Optional<String> rawTenantId(InvocationContext invocation) {
            return Arrays.stream(invocation.getParameters()).filter(TokenIntrospectionRequest.class::isInstance)
                    .map(argument -> ((TokenIntrospectionRequest) argument).tenantId()).filter(raw -> raw != null && !raw.isBlank())
                    .findFirst();
        }
    }
}
