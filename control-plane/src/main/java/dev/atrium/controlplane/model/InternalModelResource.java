package dev.atrium.controlplane.model;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.atrium.contract.InternalApi;
import dev.atrium.contract.ServableModel;
import dev.atrium.controlplane.auth.AccessLevel;
import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.auth.AuthorizedTenant;

/** What a data plane may serve to a tenant: the APPROVED model versions it can see. */
@Path(InternalApi.SERVABLE_MODELS)
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Internal")
public class InternalModelResource {

    @Inject
    AuthorizedTenant authorized;

    @Inject
    ModelRegistry registry;

    @GET
    @Authorized(AccessLevel.DATA_PLANE_SERVICE)
    @Operation(summary = "APPROVED model versions of the tenant and of the platform (data-plane service identity only)")
    public List<ServableModel> servable(@PathParam("tenantId") String tenantId) {
        return registry.servable(authorized.id()).stream()
                .map(servable -> new ServableModel(servable.owner(), servable.model(), servable.type().value(), servable.version())).toList();
    }
}
