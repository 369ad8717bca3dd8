package dev.atrium.controlplane.tenant;

import java.util.EnumSet;
import java.util.Set;

/**
 * The tenant lifecycle: {@code PROVISIONING -> ACTIVE <-> SUSPENDED -> DELETING -> DELETED}. A tenant must be
 * suspended (its keys stop working) before it can be deleted, so deletion is always a deliberate second step.
 */
public enum TenantStatus {
    PROVISIONING, ACTIVE, SUSPENDED, DELETING, DELETED;

    public Set<TenantStatus> next() {
        return switch (this) {
            case PROVISIONING -> EnumSet.of(ACTIVE);
            case ACTIVE -> EnumSet.of(SUSPENDED);
            case SUSPENDED -> EnumSet.of(ACTIVE, DELETING);
            case DELETING -> EnumSet.of(DELETED);
            case DELETED -> EnumSet.noneOf(TenantStatus.class);
        };
    }

    public boolean canMoveTo(TenantStatus target) {
        return next().contains(target);
    }
}
