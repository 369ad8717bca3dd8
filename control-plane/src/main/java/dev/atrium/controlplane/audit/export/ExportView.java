package dev.atrium.controlplane.audit.export;

import java.time.Instant;
import java.util.UUID;

/** An export job as the API shows it; {@code progress} is a percentage. */
public record ExportView(UUID id, String chainId, UUID tenantId, String format, String status, Instant from, Instant to,
                         Long eventsTotal, long eventsWritten, int progress, String requestedBy, String error,
                         Instant createdAt, Instant completedAt) {
}
