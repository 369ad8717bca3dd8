package dev.atrium.controlplane.deadletter;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.atrium.controlplane.auth.AccessLevel;
import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.common.Page;

/** The outbox events data planes could not deliver, for platform admins to investigate. */
@Path("/api/v1/platform/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Dead letters")
public class PlatformDeadLetterResource {

    @Inject
    DeadLetters deadLetters;

    @GET
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "Dead letters of the data planes' outboxes",
            description = "Newest first; filter by region and stream (usage, audit); keyset pagination with limit and cursor.")
    public Page<DeadLetterView> list(@QueryParam("region") String region, @QueryParam("stream") String stream,
                                     @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        return deadLetters.list(region, stream, limit, cursor);
    }
}
