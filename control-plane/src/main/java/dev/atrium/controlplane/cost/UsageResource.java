package dev.atrium.controlplane.cost;

import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.atrium.controlplane.audit.AuditService;
import dev.atrium.controlplane.auth.AccessLevel;
import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.auth.AuthorizedTenant;

/** A tenant's metered usage, as recorded in the ledger from every region's data plane. */
@Path("/api/v1/tenants/{tenantId}/usage")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Usage")
public class UsageResource {

    @Inject
    AuthorizedTenant authorized;

    @Inject
    UsageLedger ledger;

    @GET
    @Authorized(AccessLevel.TENANT_MEMBER)
    @Operation(summary = "Usage totals by day (UTC), model and API key",
            description = "`from` and `to` are ISO-8601 instants; the default range is the last 30 days.")
    public UsageReport usage(@PathParam("tenantId") String tenantId, @QueryParam("from") String from,
                             @QueryParam("to") String to) {
        return ledger.report(authorized.id(), AuditService.parseInstant("from", from),
                AuditService.parseInstant("to", to));
    }

    @GET
    @Path("/ledger")
    @Produces("text/csv")
    @Authorized(AccessLevel.TENANT_MEMBER)
    @Operation(summary = "The cost ledger as CSV: one line per usage event with its cost",
            description = "`from` and `to` are ISO-8601 instants; the default range is the last 30 days; at most 100,000 events.")
    public jakarta.ws.rs.core.Response csv(@PathParam("tenantId") String tenantId, @QueryParam("from") String from,
                                           @QueryParam("to") String to) {
        String csv = ledger.csv(authorized.id(), AuditService.parseInstant("from", from), AuditService.parseInstant("to", to));
        return jakarta.ws.rs.core.Response.ok(csv, "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"usage-ledger.csv\"").build();
    }
}
