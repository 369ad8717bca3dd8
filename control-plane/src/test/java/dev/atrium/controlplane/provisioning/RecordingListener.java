package dev.atrium.controlplane.provisioning;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps everything the reconciler reports, in order, for assertions. */
final class RecordingListener implements ProvisioningListener {

    final List<ReconcileReport> reports = new CopyOnWriteArrayList<>();
    final List<TenantCondition> conditions = new CopyOnWriteArrayList<>();
    final List<String> removed = new CopyOnWriteArrayList<>();

    @Override
    public void reconciled(ReconcileReport report) {
        reports.add(report);
    }

    @Override
    public void conditionChanged(TenantCondition condition) {
        conditions.add(condition);
    }

    @Override
    public void removed(String tenantId, String region) {
        removed.add(tenantId + "@" + region);
    }

    List<ReconcileReport> reportsAfter(int index) {
        return List.copyOf(reports.subList(index, reports.size()));
    }

    List<TenantCondition> degraded() {
        return conditions.stream().filter(c -> c.type() == TenantCondition.Type.DEGRADED).toList();
    }
}
