package dev.atrium.controlplane.cost;

import java.net.URI;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.atrium.controlplane.auth.AccessLevel;
import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.auth.AuthorizedTenant;
import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.ETags;
import dev.atrium.controlplane.common.Page;

/** A tenant's budgets, each with its current period, spend, forecast and whether it is used up. */
@Path("/api/v1/tenants/{tenantId}/budgets")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Usage")
public class BudgetResource {

    @Inject
    AuthorizedTenant authorized;

    @Inject
    BudgetService budgets;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Operation(summary = "Set a budget: money or tokens per period (daily, weekly, monthly, custom) in a time zone, for the tenant, a key and/or a model")
    public Response create(@PathParam("tenantId") String tenantId, @Valid @NotNull(message = "body is required") BudgetRequests.CreateBudget request) {
        Budget.View view = budgets.create(authorized.id(), request);
        return Response.created(URI.create("/api/v1/tenants/" + tenantId + "/budgets/" + view.budget().id())).entity(view).build();
    }

    @GET
    @Authorized(AccessLevel.TENANT_MEMBER)
    @Operation(summary = "The tenant's budgets with their spend and forecast in the current period")
    public Page<Budget.View> list(@PathParam("tenantId") String tenantId) {
        return new Page<>(budgets.list(authorized.id()), null);
    }

    @GET
    @Path("/{budgetId}")
    @Authorized(AccessLevel.TENANT_MEMBER)
    @Operation(summary = "A budget with its spend and forecast in the current period")
    public Response get(@PathParam("tenantId") String tenantId, @PathParam("budgetId") String budgetId) {
        Budget.View view = budgets.get(authorized.id(), id(budgetId));
        return Response.ok(view).tag(ETags.of(view.budget().etag())).build();
    }

    @PATCH
    @Path("/{budgetId}")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Operation(summary = "Change a budget's limit, thresholds or action (If-Match with the ETag)")
    public Response update(@PathParam("tenantId") String tenantId, @PathParam("budgetId") String budgetId,
                           @HeaderParam("If-Match") String ifMatch,
                           @Valid @NotNull(message = "body is required") BudgetRequests.UpdateBudget request) {
        Budget.View view = budgets.update(authorized.id(), id(budgetId), request, ifMatch);
        return Response.ok(view).tag(ETags.of(view.budget().etag())).build();
    }

    @DELETE
    @Path("/{budgetId}")
    @Authorized(AccessLevel.TENANT_ADMIN)
    @Operation(summary = "Remove a budget")
    public Response delete(@PathParam("tenantId") String tenantId, @PathParam("budgetId") String budgetId,
                           @HeaderParam("If-Match") String ifMatch) {
        budgets.delete(authorized.id(), id(budgetId), ifMatch);
        return Response.noContent().build();
    }

    private static UUID id(String budgetId) {
        try {
            return UUID.fromString(budgetId);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("budget", budgetId);
        }
    }
}
