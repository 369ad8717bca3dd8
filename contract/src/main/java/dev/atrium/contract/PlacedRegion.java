package dev.atrium.contract;

/**
 * A region that serves a tenant: its name, the endpoint that serves the tenant there, whether it is the tenant's
 * primary, and whether the tenant has a data plane of its own there ({@code dedicated}: the endpoint is that data
 * plane's, not the region's shared one). A data plane serves a tenant only if its own region is one of these, and a
 * region's shared data plane never serves a tenant that is dedicated there.
 */
public record PlacedRegion(String name, String endpoint, boolean primary, boolean dedicated) {
}
