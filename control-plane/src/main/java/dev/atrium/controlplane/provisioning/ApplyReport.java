package dev.atrium.controlplane.provisioning;

import java.util.List;

/**
 * The result of applying a tenant's desired state to a region: every object and what happened to it, and what is not
 * healthy yet (the data plane's Deployment, the database cluster) although its objects match.
 */
public record ApplyReport(String tenantId, String region, String namespace, List<ObjectChange> objects,
        List<Unhealthy> unhealthy) {

    public ApplyReport {
        objects = List.copyOf(objects);
        unhealthy = List.copyOf(unhealthy);
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
