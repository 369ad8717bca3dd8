package dev.atrium.controlplane.cost;

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
import dev.atrium.contract.InternalApi;
import dev.atrium.contract.UsageBatch;
import dev.atrium.controlplane.auth.AccessLevel;
import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.identity.CallerContext;

/** Where data planes ship their usage outbox. Idempotent per event id, so retries are always safe. */
@Path(InternalApi.USAGE)
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Internal")
public class InternalUsageResource {

    @Inject
    UsageLedger ledger;

    @Inject
    CallerContext callerContext;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.DATA_PLANE_SERVICE)
    @Operation(summary = "Record a batch of usage events (data-plane service identity only)",
            description = "Events already in the ledger are counted as duplicates and not recorded again.")
    public BatchReceipt ingest(@Valid @NotNull(message = "body is required") UsageBatch batch) {
        return ledger.ingest(batch, callerContext.require());
    }
}
