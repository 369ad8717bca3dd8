package dev.atrium.controlplane.audit;

import java.time.Instant;
import java.util.UUID;

import dev.atrium.controlplane.common.Cursor;
import dev.atrium.controlplane.trail.Outcome;

/** Filters for listing audit events; a null field does not filter. */
public record AuditQuery(UUID tenantId, boolean platformChainOnly, Instant from, Instant to, String actorId,
                         String action, Outcome outcome, Cursor after, int limit) {
}
