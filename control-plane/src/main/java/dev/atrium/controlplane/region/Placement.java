package dev.atrium.controlplane.region;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a tenant's data lives: its primary region and ordered standbys, all in its residency zone, with each region's
 * endpoint that serves the tenant there. Only the placed regions serve the tenant. {@code tier} is the tenant's
 * isolation tier in its primary region ({@link IsolationTier}); each region where the tenant is dedicated (primary or
 * standby) carries its namespace's {@code provisioning} condition and the tenant's own endpoint.
 */
public record Placement(UUID tenantId, String zone, IsolationTier tier, PlacedRegion primary, List<PlacedRegion> standbys,
                        Instant updatedAt, String updatedBy, @JsonIgnore long version) {

    /** @param provisioning the dedicated namespace's condition in this region; absent when nothing is provisioned here */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PlacedRegion(String name, String endpoint, String status, RegionKind kind, IsolationTier tier,
                               Provisioning provisioning) {
    }

    /**
     * A dedicated namespace as last reported: Pending, Ready, Degraded or Removing, with the reason; {@code servingSince}
     * is when its data plane took over from the region's shared one (null until its first Ready).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Provisioning(String namespace, String condition, String reason, String message, Instant updatedAt,
                               Instant servingSince) {
    }

    /** Every placed region, primary first. */
    public List<PlacedRegion> regions() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(primary), standbys.stream()).toList();
    }
}
