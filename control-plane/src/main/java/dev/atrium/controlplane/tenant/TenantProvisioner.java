package dev.atrium.controlplane.tenant;

/**
 * Port to whatever hosts a tenant's data plane. The Kubernetes adapter (namespaces, quotas, network policies
 * per region) plugs in here; until a tenant is placed in a Kubernetes region the static-region adapter is used.
 */
public interface TenantProvisioner {

    /** Creates or converges the tenant's data-plane resources; must be idempotent. */
    void provision(Tenant tenant);

    /** Removes the tenant's data-plane resources; must be idempotent. */
    void deprovision(Tenant tenant);
}
