package dev.atrium.controlplane.region;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.atrium.controlplane.tenant.Tenant;
import dev.atrium.controlplane.tenant.TenantProvisioner;

/**
 * Provisioning through the tenant's placement. In a static region the shared data plane already serves every placed
 * tenant, so provisioning there only makes sure the tenant is placed, and deprovisioning erases the tenant's data in
 * every region it was placed in. A dedicated tenant's namespace in a Kubernetes region is provisioned and removed by
 * {@code dedicated.DedicatedProvisioning}, which observes {@link PlacementChanged}; its erasure waits for that removal.
 */
@ApplicationScoped
public class RegionProvisioner implements TenantProvisioner {

    private static final Logger LOG = Logger.getLogger(RegionProvisioner.class);

    @Inject
    PlacementService placements;

    @Override
    public void provision(Tenant tenant) {
        placements.placeIfUnplaced(tenant);
        LOG.infof("tenant %s (%s) served in %s", tenant.slug, tenant.id, placements.regionsOf(tenant.id).stream()
                .map(Placement.PlacedRegion::name).toList());
    }

    @Inject
    TenantErasure erasure;

    /** Erases the tenant's data in every region of its zone; fails (and is retried) until each region has confirmed. */
    @Override
    public void deprovision(Tenant tenant) {
        int regions = erasure.eraseEverywhere(tenant).size();
        LOG.infof("tenant %s (%s) erased in %d region(s)", tenant.slug, tenant.id, regions);
    }
}
