package dev.atrium.controlplane.audit.export;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/** Body of {@code POST /api/v1/audit/exports}: a tenant's chain (or {@code platform}), a time range, a format. */
public record ExportRequest(
        String tenantId,
        String from,
        String to,
        @NotBlank(message = "is required") @Pattern(regexp = "jsonl|csv|pdf", message = "must be jsonl, csv or pdf") String format) {
}
