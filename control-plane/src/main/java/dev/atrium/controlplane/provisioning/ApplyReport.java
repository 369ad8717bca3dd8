package dev.atrium.controlplane.provisioning;

import java.util.List;

/** The result of applying a tenant's desired state to a region: every object and what happened to it. */
public record ApplyReport(String tenantId, String region, String namespace, List<ObjectChange> objects) {

    public ApplyReport {
        objects = List.copyOf(objects);
    }

    /** Only the objects that were created, changed or scaled. */
    public List<ObjectChange> changes() {
        return objects.stream().filter(ObjectChange::changed).toList();
    }

    public boolean changedAnything() {
        return objects.stream().anyMatch(ObjectChange::changed);
    }
}
