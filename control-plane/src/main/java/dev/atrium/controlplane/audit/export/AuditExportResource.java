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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.atrium.controlplane.audit.AuditRecord;
import dev.atrium.controlplane.auth.AccessPolicy;
import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.auth.Caller;
import dev.atrium.controlplane.auth.CallerContext;
import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.Cursor;
import dev.atrium.controlplane.common.Page;
import dev.atrium.controlplane.common.Idempotent;

@jakarta.ws.rs.Path("/api/v1/audit/exports")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Audit")
public class AuditExportResource {

    @Inject
    AuditExports exports;

    @Inject
    AccessPolicy accessPolicy;

    @Inject
    CallerContext callerContext;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized
    @Idempotent
    @Operation(summary = "Start an audit report export (compliance officers of the tenant, platform compliance officers: people only)",
            description = "Answers 202 with the job; poll it, then download its content. JSON Lines exports verify "
                    + "offline with atrium-audit-verify.jar.")
    public Response create(@Valid @NotNull(message = "body is required") ExportRequest request) {
        Caller caller = callerContext.require();
        UUID tenant;
        if (AuditRecord.PLATFORM_CHAIN.equals(request.tenantId())) {
            accessPolicy.requirePlatformComplianceOfficer(caller);
            tenant = null;
        } else {
            tenant = accessPolicy.requireAuditExporter(caller, blankToNull(request.tenantId()));
            if (tenant == null) {
                throw ApiException.invalid("tenantId", "is required (or 'platform' for the platform chain)");
            }
        }
        ExportView export = exports.request(tenant, dev.atrium.controlplane.audit.AuditService.parseInstant("from", request.from()),
                dev.atrium.controlplane.audit.AuditService.parseInstant("to", request.to()), request.format(), request.filter());
        return Response.accepted(export).location(URI.create("/api/v1/audit/exports/" + export.id())).build();
    }

    @GET
    @Authorized
    @Operation(summary = "The newest exports of a tenant's chain (or 'platform'), newest first")
    public Page<ExportView> list(@QueryParam("tenantId") String tenantId, @QueryParam("limit") Integer limit) {
        Caller caller = callerContext.require();
        UUID tenant;
        if (AuditRecord.PLATFORM_CHAIN.equals(tenantId)) {
            accessPolicy.requirePlatformComplianceOfficer(caller);
            tenant = null;
        } else {
            tenant = accessPolicy.requireAuditExporter(caller, blankToNull(tenantId));
            if (tenant == null) {
                throw ApiException.invalid("tenantId", "is required (or 'platform' for the platform chain)");
            }
        }
        return new Page<>(exports.list(AuditRecord.chainOf(tenant), Cursor.limit(limit)), null);
    }

    @GET
    @jakarta.ws.rs.Path("/{exportId}")
    @Authorized
    @Operation(summary = "An export's status and progress")
    public ExportView get(@PathParam("exportId") String exportId) {
        return authorized(exportId);
    }

    @GET
    @jakarta.ws.rs.Path("/{exportId}/content")
    @Produces({"application/x-ndjson", "text/csv", "application/pdf", MediaType.APPLICATION_JSON})
    @Authorized
    @Operation(summary = "Download a finished export")
    public Response content(@PathParam("exportId") String exportId) {
        ExportView export = authorized(exportId);
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

    private ExportView authorized(String exportId) {
        UUID id;
        try {
            id = UUID.fromString(exportId);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("audit export", exportId);
        }
        ExportView export = exports.get(id);
        Caller caller = callerContext.require();
        if (export.tenantId() == null) {
            accessPolicy.requirePlatformComplianceOfficer(caller);
        } else {
            accessPolicy.requireAuditExporter(caller, export.tenantId().toString());
        }
        return export;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
