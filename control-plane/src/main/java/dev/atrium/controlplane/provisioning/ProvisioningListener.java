package dev.atrium.controlplane.provisioning;

/**
 * Where {@link TenantReconciler} reports, on its own threads (implementations must be thread-safe and should not
 * block for long): {@code dedicated.DedicatedProvisioning} audits reports and stores conditions. Nothing handed here
 * carries a credential.
 */
public interface ProvisioningListener {

    /** A reconcile changed something (applied, repaired, deleted). Unchanged resyncs are not reported. */
    void reconciled(ReconcileReport report);

    /** The tenant's condition in a region changed (including each further failed attempt while Degraded). */
    void conditionChanged(TenantCondition condition);

    /** After each apply: how the tenant's self-hosted model servers stand in the region (empty when it has none). */
    default void modelServers(String tenantId, String region, java.util.List<ModelServerStatus> statuses) {
    }

    /** The tenant is gone from the region (deprovisioned and the namespace deleted); its condition is dropped. */
    void removed(String tenantId, String region);
}
