package dev.atrium.controlplane.tenant;

import java.util.UUID;

/** Fired when a tenant enters PROVISIONING or DELETING; the lifecycle worker picks it up after commit. */
public record TenantLifecycleRequested(UUID tenantId) {
}
