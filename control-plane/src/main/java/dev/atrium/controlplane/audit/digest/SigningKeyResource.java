package dev.atrium.controlplane.audit.digest;

import java.util.Map;

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
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditTrail;

@Path("/api/v1/platform/audit")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Audit")
public class SigningKeyResource {

    @Inject
    AuditSigningKeys signingKeys;

    @Inject
    AuditTrail auditTrail;

    public record Rotation(String keyId) {
    }

    @POST
    @Path("/signing-key:rotate")
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "Rotate the audit digest signing key",
            description = "New digests are signed with a new Ed25519 key; earlier keys stay published for verification.")
    public Rotation rotate() {
        String keyId = signingKeys.rotate();
        auditTrail.recordIndependently(AuditEntry.success("audit.signing-key.rotate").resource("signing-key", keyId)
                .after(Map.of("keyId", keyId)));
        return new Rotation(keyId);
    }
}
