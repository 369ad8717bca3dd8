package dev.atrium.controlplane.audit.export;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.atrium.compliance.export.ExportFilter;
import dev.atrium.controlplane.auth.NamesTenant;

/**
 * Body of {@code POST /api/v1/audit/exports}: a tenant's chain (or {@code platform}), a time range, a format, and
 * optional filters (a partial export; see {@link ExportFilter} for what it proves).
 */
public record ExportRequest(
        String tenantId,
        String from,
        String to,
        @NotBlank(message = "is required") @Pattern(regexp = "jsonl|csv|pdf", message = "must be jsonl, csv or pdf") String format,
        @Valid Filters filters) implements NamesTenant {

    public record Filters(
            @Size(max = 200, message = "must be at most 200 characters") String actor,
            @Size(max = 200, message = "must be at most 200 characters")
            @Pattern(regexp = "[A-Za-z0-9._:-]+\\*?", message = "must be an action, or a prefix ending in *") String action,
            @Pattern(regexp = "SUCCESS|FAILURE|DENIED", message = "must be SUCCESS, FAILURE or DENIED") String outcome,
            @Size(max = 300, message = "must be at most 300 characters") String resource) {

        ExportFilter toFilter() {
            return new ExportFilter(actor, action, outcome, resource);
        }
    }

    ExportFilter filter() {
        return filters == null ? ExportFilter.NONE : filters.toFilter();
    }
}
