package dev.atrium.controlplane.tenant;

import java.util.UUID;

/**
 * Fired synchronously inside the transaction that creates a tenant, after its row and audit event: features that
 * must exist with the tenant (its placement) add theirs there, and an observer that throws refuses the creation.
 */
public record TenantCreated(UUID tenantId, String residency, String plan) {
}
