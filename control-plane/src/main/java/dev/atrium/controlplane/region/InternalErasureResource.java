package dev.atrium.controlplane.region;

import jakarta.inject.Inject;
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

import dev.atrium.contract.ErasureVerification;
import dev.atrium.contract.ErasureVerificationRequest;
import dev.atrium.contract.InternalApi;
import dev.atrium.controlplane.auth.AccessLevel;
import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.auth.ServiceCoverage;
import dev.atrium.controlplane.identity.Caller;
import dev.atrium.controlplane.identity.CallerContext;

/**
 * How a data plane checks that an erasure command is this control plane's: the token must have been issued for that
 * tenant and the asking service's own region, and not used before.
 */
@Path(InternalApi.ERASURE_VERIFICATION)
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Internal")
public class InternalErasureResource {

    @Inject
    ErasureTokens tokens;

    @Inject
    CallerContext callerContext;

    @Inject
    ServiceCoverage coverage;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.DATA_PLANE_SERVICE)
    @Operation(summary = "Verify an erasure command (data-plane service identity only)",
            description = "Always 200 for a well-formed request; `valid` says whether the data plane may erase. A token works once.")
    public Response verify(@Valid @NotNull(message = "body is required") ErasureVerificationRequest request) {
        Caller service = callerContext.require();
        String refusal;
        if (!request.region().equals(service.region())) {
            refusal = "this service key belongs to region " + service.region() + ", not " + request.region();
        } else if (!coverage.mayReportFor(service.service(), request.tenantId())) {
            refusal = "this service key does not act for tenant " + request.tenantId();
        } else {
            refusal = tokens.spend(request.token(), request.tenantId(), request.region());
        }
        return Response.ok(new ErasureVerification(refusal == null, refusal)).header("Cache-Control", "no-store").build();
    }
}
