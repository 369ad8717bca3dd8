package dev.atrium.controlplane.region;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.StartupEvent;
import org.jboss.logging.Logger;

import dev.atrium.controlplane.common.AtriumConfig;
import dev.atrium.controlplane.tenant.Tenant;
import dev.atrium.controlplane.tenant.TenantStatus;

/** Registers the static regions the operator configured ({@code atrium.regions.static}), e.g. {@code make run}'s. */
@ApplicationScoped
public class ConfiguredRegions {

    private static final Logger LOG = Logger.getLogger(ConfiguredRegions.class);

    @Inject
    AtriumConfig config;

    @Inject
    RegionService regions;

    @Inject
    PlacementService placements;

    void onStart(@Observes StartupEvent event) {
        for (String entry : config.regions().staticRegions().orElse(java.util.List.of())) {
            String[] parts = entry.strip().split("=", 3);
            if (parts.length != 3) {
                throw new IllegalStateException("atrium.regions.static entries look like name=zone=endpoint, not '" + entry + "'");
            }
            if (regions.registerConfigured(parts[0], parts[1], parts[2])) {
                LOG.infof("registered static region %s (zone %s) at %s", parts[0], parts[1], parts[2]);
            }
        }
        placeTenantsFromBeforeRegions();
    }

    /** Tenants created before their zone had a region (or before regions existed) are placed once one exists. */
    private void placeTenantsFromBeforeRegions() {
        java.util.List<Tenant> unplaced = Tenant.list("status in ?1",
                java.util.List.of(TenantStatus.PROVISIONING, TenantStatus.ACTIVE, TenantStatus.SUSPENDED));
        for (Tenant tenant : unplaced) {
            try {
                placements.placeIfUnplaced(tenant).ifPresent(placed ->
                        LOG.infof("placed tenant %s in region %s", tenant.slug, placed.primary().name()));
            } catch (dev.atrium.controlplane.common.ApiException noRegion) {
                LOG.warnf("tenant %s stays unplaced: %s", tenant.slug, noRegion.getMessage());
            }
        }
    }
}
