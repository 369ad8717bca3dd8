package dev.atrium.controlplane.secret;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.atrium.controlplane.auth.AccessLevel;
import dev.atrium.controlplane.auth.Authorized;

/** Operator actions on the local secret store's key hierarchy. */
@Path("/api/v1/platform/secrets")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Secrets")
public class MasterKeyResource {

    @Inject
    SecretService secretService;

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
