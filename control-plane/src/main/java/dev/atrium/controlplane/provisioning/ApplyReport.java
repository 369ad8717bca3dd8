package dev.atrium.controlplane.provisioning;

import java.util.List;

/**
 * The result of applying a tenant's desired state to a region: every object and what happened to it, and what is not
 * healthy yet (the data plane's Deployment, the database cluster) although its objects match, and how each
 * self-hosted model server stands (which never makes the namespace unhealthy: the tenant's data plane serves on).
 */
public record ApplyReport(String tenantId, String region, String namespace, List<ObjectChange> objects,
        List<Unhealthy> unhealthy, List<ModelServerStatus> modelServers) {

    public ApplyReport {
        objects = List.copyOf(objects);
        unhealthy = List.copyOf(unhealthy);
        modelServers = List.copyOf(modelServers);
    }

    /** Only the objects that were created, changed or scaled. */
    public List<ObjectChange> changes() {
        return objects.stream().filter(ObjectChange::changed).toList();
    }

    public boolean changedAnything() {
        return objects.stream().anyMatch(ObjectChange::changed);
    }

    public boolean healthy() {
        return unhealthy.isEmpty();
    }
}
