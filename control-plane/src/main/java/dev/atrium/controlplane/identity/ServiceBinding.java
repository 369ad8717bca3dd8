package dev.atrium.controlplane.identity;

import java.util.UUID;

/**
 * Which tenants a data-plane service identity may act for, and in which region it runs. A service key issued
 * through the API is bound to one tenant; only keys the operator configures at start
 * ({@code ATRIUM_API_KEYS_SERVICE_KEYS}, as the local launcher does for its own data planes) act for every tenant.
 *
 * @param region     the region of the data plane holding the key
 * @param tenant     the one tenant the key is bound to, or null when {@code allTenants}
 * @param allTenants true only for operator-configured keys
 */
public record ServiceBinding(String region, UUID tenant, boolean allTenants) {

    public ServiceBinding {
        if (allTenants == (tenant != null)) {
            throw new IllegalArgumentException("a service binding names one tenant or all tenants, not both or neither");
        }
    }

    public boolean covers(UUID tenantId) {
        return allTenants || (tenantId != null && tenantId.equals(tenant));
    }

    /** How the binding is described in refusals and audit events. */
    public String describe() {
        return allTenants ? "every tenant (operator-configured)" : "tenant " + tenant;
    }
}
