package dev.atrium.controlplane.provisioning;

import java.time.Duration;
import java.util.List;

/**
 * The result of removing a tenant from a region. {@code gone} is true once the namespace no longer exists; false when
 * it was still terminating at the end of the wait (the caller tries again later).
 */
public record DeprovisionReport(String tenantId, String region, String namespace, List<ObjectChange> deleted,
        boolean gone, Duration waited) {

    public DeprovisionReport {
        deleted = List.copyOf(deleted);
    }

    public boolean changedAnything() {
        return !deleted.isEmpty();
    }
}
