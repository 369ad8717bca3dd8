package dev.atrium.controlplane.tenant;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.DefaultBean;
import org.jboss.logging.Logger;

/**
 * Provisioning for static regions (one data-plane process serving every tenant, as {@code make run} starts):
 * tenant isolation there is enforced by the data plane itself, so there are no per-tenant resources to create.
 */
@ApplicationScoped
@DefaultBean
public class StaticRegionProvisioner implements TenantProvisioner {

    private static final Logger LOG = Logger.getLogger(StaticRegionProvisioner.class);

    @Override
    public void provision(Tenant tenant) {
        LOG.infof("tenant %s (%s) placed in the static local region", tenant.slug, tenant.id);
    }

    @Override
    public void deprovision(Tenant tenant) {
        LOG.infof("tenant %s (%s) removed from the static local region", tenant.slug, tenant.id);
    }
}
