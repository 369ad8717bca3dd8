package dev.atrium.controlplane.region;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Where a tenant's data lives: its primary region and ordered standbys, all in its residency zone, with each region's
 * public data-plane endpoint. Only the placed regions serve the tenant.
 */
public record Placement(UUID tenantId, String zone, PlacedRegion primary, List<PlacedRegion> standbys, Instant updatedAt,
                        String updatedBy, @JsonIgnore long version) {

    public record PlacedRegion(String name, String endpoint, String status) {
    }

    /** Every placed region, primary first. */
    public List<PlacedRegion> regions() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(primary), standbys.stream()).toList();
    }
}
