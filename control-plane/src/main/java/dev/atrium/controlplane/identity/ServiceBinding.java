package dev.atrium.controlplane.identity;

import java.util.UUID;

/**
 * Which tenants a data-plane service identity may act for, and in which region it runs. A service key issued
 * through the API is bound to one tenant; keys the operator configures at start ({@code ATRIUM_API_KEYS_SERVICE_KEYS},
 * as the local launcher does for its own data planes) are region-wide: they act for the tenants placed in their
 * region, which {@code auth.ServiceCoverage} decides from the placements.
 *
 * @param region     the region of the data plane holding the key
 * @param tenant     the one tenant the key is bound to, or null when {@code regionWide}
 * @param regionWide true only for operator-configured keys
 */
public record ServiceBinding(String region, UUID tenant, boolean regionWide) {

    public ServiceBinding {
        if (regionWide == (tenant != null)) {
            throw new IllegalArgumentException("a service binding names one tenant or a whole region, not both or neither");
        }
        if (regionWide && (region == null || region.isBlank())) {
            throw new IllegalArgumentException("a region-wide service binding needs its region");
        }
    }

    /** How the binding is described in refusals and audit events. */
    public String describe() {
        return regionWide ? "the tenants placed in region " + region : "tenant " + tenant;
    }
}
