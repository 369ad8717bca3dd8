package dev.atrium.controlplane.provisioning;

import java.util.List;

/**
 * One reconcile of one tenant that changed something, for the audit trail: per region, what was applied, repaired or
 * deleted. A reconcile that changed nothing produces no report.
 *
 * @param trigger why the reconcile ran; a change found by {@link Trigger#DRIFT} or {@link Trigger#RESYNC} is a repair
 */
public record ReconcileReport(String tenantId, Trigger trigger, List<Placement> placements) {

    public ReconcileReport {
        placements = List.copyOf(placements);
    }

    /** Why a reconcile ran. */
    public enum Trigger {
        /** {@link TenantReconciler#desire} or {@link TenantReconciler#forget} changed what should exist. */
        DESIRED,
        /** A watched object of the tenant was added, changed or deleted by someone. */
        DRIFT,
        /** The periodic comparison. */
        RESYNC,
        /** A retry after a failure. */
        RETRY
    }

    /** What was done in one region. */
    public enum Operation {
        APPLY, DEPROVISION
    }

    /**
     * @param complete false when the operation failed part-way ({@code failureReason} says why) or the namespace was
     *                 still terminating
     */
    public record Placement(String region, String namespace, Operation operation, List<ObjectChange> changes,
            boolean complete, String failureReason) {

        public Placement {
            changes = List.copyOf(changes);
        }
    }

    /** True when drift was repaired: something changed although nobody asked for a change. */
    public boolean isRepair() {
        return trigger == Trigger.DRIFT || trigger == Trigger.RESYNC;
    }
}
