package dev.atrium.controlplane.member;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.identity.CallerContext;

/** Who is calling: for the console's navigation and tenant switcher, and for the CLI. */
@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Identity")
public class MeResource {

    @Inject
    CallerContext callerContext;

    @Inject
    MeService meService;

    @GET
    @Authorized
    @Operation(summary = "The calling principal: identity, tenants with roles, scopes")
    public Me me() {
        return meService.describe(callerContext.require());
    }
}
