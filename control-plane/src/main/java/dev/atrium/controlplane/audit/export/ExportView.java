package dev.atrium.controlplane.audit.export;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An export job as the API shows it; {@code progress} is a percentage of the range's events read so far
 * ({@code eventsScanned} of {@code eventsTotal}); {@code eventsWritten} is how many the file holds (fewer when
 * {@code filters} select part of the range).
 */
public record ExportView(UUID id, String chainId, UUID tenantId, String format, String status, Instant from, Instant to,
                         Long eventsTotal, long eventsScanned, long eventsWritten, int progress, String requestedBy,
                         String error, Instant createdAt, Instant completedAt,
                         @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> filters) {
}
