package dev.atrium.controlplane.tenant;

/**
 * Port to whatever hosts a tenant's data plane: {@code region.RegionProvisioner} places the tenant and, on deletion,
 * erases it in every region it was placed in. A dedicated tenant's namespace in a Kubernetes region is provisioned from
 * its placement by {@code dedicated.DedicatedProvisioning}, not through this port.
 */
public interface TenantProvisioner {

    /** Creates or converges the tenant's data-plane resources; must be idempotent. */
    void provision(Tenant tenant);

    /** Removes the tenant's data-plane resources; must be idempotent. */
    void deprovision(Tenant tenant);
}
