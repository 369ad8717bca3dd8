package dev.atrium.controlplane.deadletter;

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

import dev.atrium.contract.BatchReceipt;
import dev.atrium.contract.DeadLetterReport;
import dev.atrium.contract.InternalApi;
import dev.atrium.controlplane.auth.AccessLevel;
import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.identity.CallerContext;

/** Where data planes report the outbox events they parked. Idempotent per event id. */
@Path(InternalApi.DEAD_LETTERS)
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Internal")
public class InternalDeadLetterResource {

    @Inject
    DeadLetters deadLetters;

    @Inject
    CallerContext callerContext;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.DATA_PLANE_SERVICE)
    @Operation(summary = "Report parked outbox events (data-plane service identity only)",
            description = "At most 100 per report; an event already reported is counted as a duplicate.")
    public BatchReceipt report(@Valid @NotNull(message = "body is required") DeadLetterReport report) {
        return deadLetters.record(report, callerContext.require());
    }
}
