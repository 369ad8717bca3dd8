package dev.atrium.controlplane.secret;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.atrium.contract.InternalApi;
import dev.atrium.contract.SecretValue;
import dev.atrium.controlplane.auth.AccessLevel;
import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.auth.AuthorizedTenant;
import dev.atrium.controlplane.identity.CallerContext;

/** The one way a secret value leaves the store: to a data plane, for its tenant, audited with service and region. */
@Path(InternalApi.SECRETS)
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Internal")
public class InternalSecretResource {

    @Inject
    AuthorizedTenant authorized;

    @Inject
    SecretService secretService;

    @Inject
    CallerContext callerContext;

    @GET
    @Path("/{name: [^/:]+}")
    @Authorized(AccessLevel.DATA_PLANE_SERVICE)
    @Operation(summary = "Read a secret's current value (data-plane service identity only)")
    public Response read(@PathParam("tenantId") String tenantId, @PathParam("name") String name) {
        Map.Entry<SecretView, String> secret = secretService.readForService(authorized.id(), name,
                callerContext.require());
        return Response.ok(new SecretValue(name, secret.getKey().version(), secret.getValue()))
                .header("Cache-Control", "no-store").build();
    }
}
