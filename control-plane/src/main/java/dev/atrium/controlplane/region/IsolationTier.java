package dev.atrium.controlplane.region;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

import dev.atrium.controlplane.tenant.Plan;

/**
 * How a tenant is served in a region: {@code pooled}, by the region's shared data plane (nothing is provisioned for
 * it), or {@code dedicated}, in a namespace of its own that Atrium provisions. Free tenants are always pooled;
 * standard and enterprise tenants are dedicated in a {@code kubernetes} region and pooled in a {@code static} one.
 */
public enum IsolationTier {
    POOLED, DEDICATED;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static IsolationTier of(String plan, RegionKind kind) {
        return kind == RegionKind.KUBERNETES && !Plan.FREE.value().equals(plan) ? DEDICATED : POOLED;
    }
}
