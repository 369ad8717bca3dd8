package dev.atrium.dataplane.guardrail;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.atrium.dataplane.auth.CurrentTenant;
import dev.atrium.tenancy.Scope;

/** A tenant's own guardrail policy in this region (admin-scoped keys change it). */
@Path("/v1/guardrails")
@Produces(MediaType.APPLICATION_JSON)
public class GuardrailResource {

    @Inject
    Guardrails guardrails;

    @Inject
    CurrentTenant tenant;

    @GET
    public GuardrailPolicy get() {
        return guardrails.policy(tenant.principal().tenantId());
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public GuardrailPolicy put(@Valid @NotNull(message = "body is required") GuardrailPolicy policy) {
        tenant.require(Scope.ADMIN);
        return guardrails.update(tenant.principal(), policy);
    }
}
