package dev.atrium.dataplane.erasure;

import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import dev.atrium.contract.ErasureReceipt;
import dev.atrium.contract.ErasureVerification;
import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.DataPlaneConfig;
import dev.atrium.dataplane.common.Problem;
import dev.atrium.dataplane.controlplane.ControlPlaneClient;

/**
 * The control plane's command to erase a deleted tenant here. No tenant key or person can call it: the bearer is a
 * one-time token that this data plane has the control plane confirm (for this tenant and this region) before
 * erasing anything.
 */
@Path("/internal/v1/tenants/{tenantId: [^/:]+}:erase")
@Produces(MediaType.APPLICATION_JSON)
public class ErasureResource {

    @Inject
    ControlPlaneClient controlPlane;

    @Inject
    TenantErasure erasure;

    @Inject
    DataPlaneConfig config;

    @POST
    public ErasureReceipt erase(@PathParam("tenantId") String tenantId, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.length() > 300) {
            throw new ApiException(Problem.UNAUTHENTICATED, "an erasure command carries the control plane's one-time token");
        }
        UUID tenant;
        try {
            tenant = UUID.fromString(tenantId);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("tenant", tenantId);
        }
        ErasureVerification verdict;
        try {
            verdict = controlPlane.verifyErasure(tenant, authorization.substring(7).trim(), config.region());
        } catch (ControlPlaneClient.UnreachableException e) {
            throw new ApiException(Problem.CONTROL_PLANE_UNAVAILABLE, "the erasure command cannot be verified right now: " + e.getMessage());
        }
        if (!verdict.valid()) {
            throw new ApiException(Problem.FORBIDDEN, "the control plane did not confirm this erasure command: " + verdict.reason());
        }
        return erasure.erase(tenant);
    }
}
