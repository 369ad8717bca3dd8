package dev.atrium.controlplane.tenant;

import java.util.UUID;

/**
 * Fired synchronously, inside the transaction that completes a tenant's deletion: every feature that keeps
 * something of the tenant observes it and removes it there, so the deletion and the clean-up commit together.
 */
public record TenantDeleting(UUID tenantId) {
}
