package dev.atrium.controlplane.audit;

import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.atrium.controlplane.audit.digest.AuditDigests;
import dev.atrium.controlplane.audit.digest.AuditSigningKeys;
import dev.atrium.controlplane.audit.digest.DigestView;
import dev.atrium.controlplane.auth.AccessLevel;
import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.auth.AuthorizedTenant;
import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.Cursor;
import dev.atrium.controlplane.common.Page;
import dev.atrium.controlplane.trail.AuditRecord;
import dev.atrium.controlplane.trail.Outcome;

@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Audit")
public class AuditResource {

    @Inject
    AuditService auditService;

    @Inject
    AuditDigests digests;

    @Inject
    AuditSigningKeys signingKeys;

    @Inject
    AuthorizedTenant authorized;

    @GET
    @Path("/events")
    @Authorized(AccessLevel.AUDIT_READER)
    @Operation(summary = "List audit events, newest first",
            description = "Platform admins see every tenant (or only platform events with tenantId=platform); "
                    + "tenant admins and compliance officers see their own tenant.")
    public Page<AuditEventView> events(@QueryParam("tenantId") String tenantId, @QueryParam("from") String from,
                                       @QueryParam("to") String to, @QueryParam("actor") String actor,
                                       @QueryParam("action") String action, @QueryParam("outcome") String outcome,
                                       @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        return auditService.list(new AuditQuery(authorized.optional().orElse(null), authorized.platformChain(),
                AuditService.parseInstant("from", from), AuditService.parseInstant("to", to),
                blankToNull(actor), blankToNull(action), parseOutcome(outcome), Cursor.decode(cursor), Cursor.limit(limit)));
    }

    @GET
    @Path("/verify")
    @Authorized(AccessLevel.AUDIT_READER)
    @Operation(summary = "Verify a tenant's audit hash chain and its signed digests",
            description = "Recomputes every hash of the chain and checks every digest's signature, linkage and the "
                    + "events it covers; a chain whose oldest events were purged must match a purge record anchored to a "
                    + "signed digest and hold its audit.purge event. Without tenantId a platform admin verifies the platform chain.")
    public AuditVerification verify(@QueryParam("tenantId") String tenantId) {
        return auditService.verifyTrail(authorized.optional().orElse(null));
    }

    @GET
    @Path("/digests")
    @Authorized(AccessLevel.AUDIT_READER)
    @Operation(summary = "List the signed digests of a tenant's audit chain",
            description = "Each digest covers a contiguous range of events and is signed with Ed25519; the keys are at /audit/public-keys.")
    public Page<DigestView> digests(@QueryParam("tenantId") String tenantId, @QueryParam("from") String from,
                                    @QueryParam("to") String to) {
        UUID tenant = authorized.optional().orElse(null);
        return new Page<>(digests.list(tenant, tenant == null, AuditService.parseInstant("from", from),
                AuditService.parseInstant("to", to)), null);
    }

    @GET
    @Path("/public-keys")
    @Authorized
    @Operation(summary = "The public keys that verify audit digests, with their validity (old keys stay listed)")
    public Page<AuditSigningKeys.PublicSigningKey> publicKeys() {
        return new Page<>(signingKeys.publicKeys(), null);
    }

    private static Outcome parseOutcome(String outcome) {
        if (outcome == null || outcome.isEmpty()) {
            return null;
        }
        try {
            return Outcome.valueOf(outcome);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("outcome", "must be one of SUCCESS, FAILURE, DENIED");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
