package dev.atrium.controlplane.audit.export;

import java.net.URI;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.atrium.controlplane.audit.AuditService;
import dev.atrium.controlplane.auth.AccessLevel;
import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.auth.AuthorizedTenant;
import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.Cursor;
import dev.atrium.controlplane.common.Page;
import dev.atrium.controlplane.idempotency.Idempotent;
import dev.atrium.controlplane.trail.AuditRecord;

/** Audit exports: a reviewer's right (compliance officers of the tenant, platform compliance officers; people only). */
@jakarta.ws.rs.Path("/api/v1/audit/exports")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Audit")
public class AuditExportResource {

    @Inject
    AuditExports exports;

    @Inject
    AuthorizedTenant authorized;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.AUDIT_EXPORTER)
    @Idempotent
    @Operation(summary = "Start an audit report export (compliance officers of the tenant, platform compliance officers: people only)",
            description = "Answers 202 with the job; poll it, then download its content. JSON Lines exports verify "
                    + "offline with atrium-audit-verify.jar.")
    public Response create(@Valid @NotNull(message = "body is required") ExportRequest request) {
        ExportView export = exports.request(chosenTenant(), AuditService.parseInstant("from", request.from()),
                AuditService.parseInstant("to", request.to()), request.format(), request.filter());
        return Response.accepted(export).location(URI.create("/api/v1/audit/exports/" + export.id())).build();
    }

    @GET
    @Authorized(AccessLevel.AUDIT_EXPORTER)
    @Operation(summary = "The newest exports of a tenant's chain (or 'platform'), newest first")
    public Page<ExportView> list(@QueryParam("tenantId") String tenantId, @QueryParam("limit") Integer limit) {
        return new Page<>(exports.list(AuditRecord.chainOf(chosenTenant()), Cursor.limit(limit)), null);
    }

    @GET
    @jakarta.ws.rs.Path("/{exportId}")
    @Authorized(value = AccessLevel.AUDIT_EXPORTER, tenant = ExportTenant.class)
    @Operation(summary = "An export's status and progress")
    public ExportView get(@PathParam("exportId") String exportId) {
        return exports.get(ExportTenant.parse(exportId));
    }

    @GET
    @jakarta.ws.rs.Path("/{exportId}/content")
    @Produces({"application/x-ndjson", "text/csv", "application/pdf", MediaType.APPLICATION_JSON})
    @Authorized(value = AccessLevel.AUDIT_EXPORTER, tenant = ExportTenant.class)
    @Operation(summary = "Download a finished export")
    public Response content(@PathParam("exportId") String exportId) {
        ExportView export = exports.get(ExportTenant.parse(exportId));
        java.nio.file.Path file = exports.content(export.id());
        return Response.ok(file.toFile())
                .type(switch (export.format()) {
                    case "csv" -> "text/csv";
                    case "pdf" -> "application/pdf";
                    default -> "application/x-ndjson";
                })
                .header("Content-Disposition", "attachment; filename=\"atrium-audit-" + export.id() + "." + export.format() + "\"")
                .build();
    }

    /** The tenant whose chain is exported, or null for the platform's; naming neither is a 400. */
    private UUID chosenTenant() {
        if (authorized.platformChain()) {
            return null;
        }
        return authorized.optional().orElseThrow(() ->
                ApiException.invalid("tenantId", "is required (or 'platform' for the platform chain)"));
    }
}
