package dev.atrium.controlplane.tenant;

import java.time.Instant;
import java.util.UUID;

/** A tenant as the API returns it. */
public record TenantView(UUID id, String slug, String displayName, String plan, Plan.Quotas quotas, String residency,
                         TenantStatus status, Instant createdAt, Instant updatedAt) {

    static TenantView of(Tenant t) {
        return new TenantView(t.id, t.slug, t.displayName, t.plan, t.planEnum().quotas(), t.residency, t.status,
                t.createdAt, t.updatedAt);
    }
}
