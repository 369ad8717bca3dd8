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

    @Override
    public Set<String> serving(UUID tenant) {
        return placements.find(tenant).map(PlacedTenantRegions::serving).orElse(Set.of());
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
