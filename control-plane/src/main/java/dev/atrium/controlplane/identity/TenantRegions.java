package dev.atrium.controlplane.identity;

import java.util.Set;
import java.util.UUID;

/**
 * Where tenants are placed, as the rules for region-wide service identities need it. A port: the region feature
 * implements it, so that these rules stay in the bottom layers without importing a feature.
 */
public interface TenantRegions {

    /**
     * The regions whose shared data plane serves the tenant now: its primary and its standbys, less those where its
     * own (dedicated) data plane has taken over; empty for a tenant with no placement.
     */
    Set<String> serving(UUID tenant);

    /** The regions that may still hold data of the tenant: those serving it and those it was moved away from. */
    Set<String> holding(UUID tenant);
}
