package dev.atrium.controlplane.deadletter;

import java.time.Instant;
import java.util.UUID;

/** A dead letter as platform admins see it: where it was parked, why, and which data-plane identity reported it. */
public record DeadLetterView(UUID eventId, String region, String stream, UUID tenantId, int status, String reason,
                             Instant parkedAt, Instant reportedAt, String reportedBy) {
}
