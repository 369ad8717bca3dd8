package dev.atrium.controlplane.audit.forwarded;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.atrium.contract.AuditEventBatch;
import dev.atrium.contract.BatchReceipt;
import dev.atrium.contract.InternalApi;
import dev.atrium.controlplane.auth.AccessLevel;
import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.identity.CallerContext;

/** Where data planes forward the audit events of tenant mutations they performed. Idempotent per event id. */
@Path(InternalApi.AUDIT_EVENTS)
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Internal")
public class InternalAuditResource {

    @Inject
    ForwardedAuditEvents events;

    @Inject
    CallerContext callerContext;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.DATA_PLANE_SERVICE)
    @Operation(summary = "Append a batch of data-plane audit events to the tenants' chains (data-plane service identity only)")
    public BatchReceipt append(@Valid @NotNull(message = "body is required") AuditEventBatch batch) {
        return events.append(batch, callerContext.require());
    }
}
