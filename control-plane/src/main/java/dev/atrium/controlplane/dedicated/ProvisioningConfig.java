package dev.atrium.controlplane.dedicated;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code atrium.provisioning.*}: whether dedicated tenants are provisioned in Kubernetes regions, how the reconciler
 * runs, and what every tenant namespace's network policies let through.
 */
@ConfigMapping(prefix = "atrium.provisioning")
public interface ProvisioningConfig {

    /** Off: nothing is applied or removed in any Kubernetes region (rows and conditions stay as they are). */
    @WithDefault("true")
    boolean enabled();

    /** How often every dedicated tenant is recomputed from PostgreSQL and compared with its region. */
    @WithDefault("30s")
    Duration resyncInterval();

    @WithDefault("1s")
    Duration initialBackoff();

    @WithDefault("5m")
    Duration maxBackoff();

    /** Reconciles that may run at once. */
    @WithDefault("2")
    int threads();

    /** How long one deprovision waits for a namespace to be gone before it reports it as still terminating. */
    @WithDefault("2m")
    Duration deletionTimeout();

    /** The control plane's URL as a dedicated data plane reaches it; without it nothing is provisioned (Degraded). */
    Optional<String> controlPlaneUrl();

    /** IP blocks of the control plane (NetworkPolicy egress); without them nothing is provisioned (Degraded). */
    Optional<List<String>> controlPlaneCidrs();

    @WithDefault("443")
    int controlPlanePort();

    /** The region's Kubernetes API server as pods reach it (egress for the database operator's instance manager). */
    @WithDefault("10.96.0.1/32")
    List<String> apiServerCidrs();

    @WithDefault("443")
    int apiServerPort();

    /** Namespace of the region's ingress controller, and one label (key=value) selecting its pods. */
    @WithDefault("ingress-nginx")
    String ingressNamespace();

    @WithDefault("app.kubernetes.io/name=ingress-nginx")
    String ingressPodLabel();

    /**
     * A cert-manager ClusterIssuer for the dedicated data planes' TLS certificates (annotation on each tenant's
     * Ingress); without it the ingress controller answers with its default certificate.
     */
    Optional<String> tlsClusterIssuer();

    /** Namespace of CloudNativePG's operator. */
    @WithDefault("cnpg-system")
    String databaseOperatorNamespace();
}
