package dev.atrium.controlplane.auth;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.atrium.controlplane.identity.ServiceBinding;
import dev.atrium.controlplane.identity.TenantRegions;

/**
 * Which tenants a data-plane service identity may act for. A key bound to one tenant acts for that tenant only. A
 * region-wide (operator-configured) key reads a tenant's data (secrets, servable models) only
 * while the tenant is placed in the key's region, as primary or standby; it may still report events of a tenant
 * moved away from its region (usage, audit, dead letters drain after a move), and nothing of any other tenant.
 */
@ApplicationScoped
public class ServiceCoverage {

    @Inject
    TenantRegions regions;

    @Inject
    TenantStatusLookup tenantStatus;

    /**
     * May verify a credential presented for the tenant: a bound key for its tenant, a region-wide key for any (see
     * {@link AccessLevel#DATA_PLANE_INTROSPECTION}).
     */
    public boolean identifies(ServiceBinding binding, UUID tenant) {
        if (binding == null || tenant == null) {
            return false;
        }
        return binding.regionWide() || tenant.equals(binding.tenant());
    }

    /** May read and act on the tenant's data. */
    public boolean serves(ServiceBinding binding, UUID tenant) {
        if (binding == null || tenant == null) {
            return false;
        }
        return binding.regionWide() ? regions.serving(tenant).contains(binding.region()) : tenant.equals(binding.tenant());
    }

    /**
     * May report parked (dead-lettered) events of the tenant: as {@link #mayReportFor}, and a region-wide key also for
     * a deleted tenant, which has no placement any more, so that one such letter does not block its region's reports.
     */
    public boolean mayReportParkedFor(ServiceBinding binding, UUID tenant) {
        return mayReportFor(binding, tenant) || (binding != null && binding.regionWide() && tenant != null
                && tenantStatus.isDeleted(tenant));
    }

    /** May report events of the tenant: it serves the tenant, or its region still holds the tenant's data. */
    public boolean mayReportFor(ServiceBinding binding, UUID tenant) {
        if (binding == null || tenant == null) {
            return false;
        }
        return binding.regionWide() ? regions.holding(tenant).contains(binding.region()) : tenant.equals(binding.tenant());
    }
}
