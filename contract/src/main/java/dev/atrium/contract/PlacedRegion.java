package dev.atrium.contract;

/**
 * A region that serves a tenant: its name, its public data-plane endpoint and whether it is the tenant's primary. A
 * data plane serves a tenant only if its own region is one of these.
 */
public record PlacedRegion(String name, String endpoint, boolean primary) {
}
