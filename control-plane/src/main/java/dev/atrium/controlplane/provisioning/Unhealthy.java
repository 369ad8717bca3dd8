package dev.atrium.controlplane.provisioning;

/**
 * A workload of the tenant whose objects match but which is not serving yet (or any more), as its controller reports
 * it in the object's status.
 *
 * @param reason  {@code DataPlaneRollingOut}, {@code DataPlaneUnavailable}, {@code DataPlaneRolloutStuck} or
 *                {@code DatabaseNotReady}
 * @param failed  true when waiting will not help (the Deployment's progress deadline passed): the tenant is Degraded
 */
public record Unhealthy(String reason, String message, boolean failed) {
}
