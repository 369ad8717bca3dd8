package dev.atrium.contract;

import java.time.Instant;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * An outbox event a data plane parked after the control plane refused it for good: which event, of which stream and
 * tenant, the HTTP status and reason of the refusal, and when it was parked. Never the event itself.
 */
public record ReportedDeadLetter(
        @NotNull(message = "eventId is required") UUID eventId,
        @NotNull(message = "stream is required") @Pattern(regexp = "usage|audit", message = "must be usage or audit") String stream,
        @NotNull(message = "tenantId is required") UUID tenantId,
        @NotNull(message = "status is required") @Min(value = 400, message = "must be a 4xx status")
        @Max(value = 499, message = "must be a 4xx status") Integer status,
        @NotBlank(message = "reason is required") @Size(max = 1000) String reason,
        @NotNull(message = "parkedAt is required") Instant parkedAt) {
}
