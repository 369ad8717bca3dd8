package dev.atrium.controlplane.deployment;

import java.util.UUID;

/**
 * A tenant's self-hosted deployments changed (created, changed, removed, or one asked for while scaled to zero): the
 * model servers in its namespaces are to be reconciled. Fired in the change's transaction; observers act after it.
 */
public record SelfHostedChanged(UUID tenantId) {
}
