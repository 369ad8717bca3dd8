package dev.atrium.controlplane.deployment;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.atrium.contract.InternalApi;
import dev.atrium.contract.RolloutReport;
import dev.atrium.contract.RolloutStates;
import dev.atrium.controlplane.auth.AccessLevel;
import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.auth.AuthorizedTenant;
import dev.atrium.controlplane.identity.CallerContext;

/** What a data plane measured of a tenant's rollouts; the answer tells it which rollouts run now. */
@Path(InternalApi.ROLLOUT_REPORTS)
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Internal")
public class InternalRolloutReportResource {

    @Inject
    AuthorizedTenant authorized;

    @Inject
    CallerContext callerContext;

    @Inject
    RolloutService rollouts;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.DATA_PLANE_SERVICE)
    @Operation(summary = "Report per-version measurements of the tenant's rollouts (data-plane service identity only)")
    public RolloutStates report(@PathParam("tenantId") String tenantId,
                                @Valid @NotNull(message = "body is required") RolloutReport report) {
        return rollouts.report(authorized.id(), callerContext.require().region(), report);
    }
}
