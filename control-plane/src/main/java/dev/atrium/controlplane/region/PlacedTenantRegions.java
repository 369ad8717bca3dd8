package dev.atrium.controlplane.region;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.atrium.controlplane.identity.TenantRegions;
import dev.atrium.controlplane.region.PlacementRepository.StoredPlacement;

/** Tenants' regions from their placements, for the rules that confine region-wide service identities. */
@ApplicationScoped
public class PlacedTenantRegions implements TenantRegions {

    @Inject
    PlacementRepository placements;

    @Inject
    TenantNamespaceRepository namespaces;

    /**
     * The tenant's placed regions, less those where its own data plane has taken over: there the region's shared data
     * plane (and its region-wide key) holds none of its data and must read none of it.
     */
    @Override
    public Set<String> serving(UUID tenant) {
        Set<String> placed = placements.find(tenant).map(PlacedTenantRegions::serving).orElse(Set.of());
        if (placed.isEmpty()) {
            return placed;
        }
        Set<String> servedByOwn = new LinkedHashSet<>();
        namespaces.ofTenant(tenant).stream().filter(TenantNamespaceRepository.TenantNamespace::serving)
                .forEach(row -> servedByOwn.add(row.region()));
        Set<String> shared = new LinkedHashSet<>(placed);
        shared.removeAll(servedByOwn);
        return Set.copyOf(shared);
    }

    @Override
    public Set<String> holding(UUID tenant) {
        return placements.find(tenant).map(placement -> Set.copyOf(placement.everyRegion())).orElse(Set.of());
    }

    private static Set<String> serving(StoredPlacement placement) {
        Set<String> regions = new LinkedHashSet<>();
        regions.add(placement.primary());
        regions.addAll(placement.standbys());
        return Set.copyOf(regions);
    }
}
