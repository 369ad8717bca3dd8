package dev.atrium.controlplane.region;

import java.util.UUID;

/**
 * Fired inside the transaction that places or moves a tenant, or that starts removing it from its dedicated
 * namespaces (deletion); observers that act on the committed state observe it {@code AFTER_SUCCESS}.
 */
public record PlacementChanged(UUID tenantId) {
}
