package dev.atrium.controlplane.audit.retention;

import java.time.Instant;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** How long a tenant's audit trail is kept, and whether a legal hold blocks all purging. */
public record RetentionPolicy(
        @NotNull(message = "is required") @Min(value = 400, message = "must be at least 400 days (SOC 2 Type II window plus margin)")
        @Max(value = 36500, message = "must be at most 36500 days") Integer retentionDays,
        @NotNull(message = "is required") Boolean legalHold,
        @Size(max = 500, message = "must be at most 500 characters") String holdReason,
        Instant updatedAt,
        String updatedBy) {
}
