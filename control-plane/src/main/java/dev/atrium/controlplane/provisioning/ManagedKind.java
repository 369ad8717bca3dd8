package dev.atrium.controlplane.provisioning;

import java.util.List;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * A kind of object Atrium creates in a tenant's namespace, addressed through an explicit resource definition so that
 * no API discovery call is needed (and the CloudNativePG {@code Cluster} works without a Java model). This list is
 * also the RBAC Atrium's credentials need (docs/runbooks/kubernetes-regions.md).
 *
 * @param watched whether an informer watches it for drift; Secrets are not watched, so Atrium never needs to list or
 *                watch Secrets cluster-wide: a drifted Secret is repaired by the periodic resync
 */
record ManagedKind(String kind, String group, String version, String plural, boolean namespaced, boolean watched) {

    static final ManagedKind NAMESPACE = new ManagedKind("Namespace", "", "v1", "namespaces", false, true);
    static final ManagedKind DEPLOYMENT = new ManagedKind("Deployment", "apps", "v1", "deployments", true, true);
    static final ManagedKind DATABASE_CLUSTER = new ManagedKind("Cluster", "postgresql.cnpg.io", "v1", "clusters", true,
            true);

    /** In apply order; deletion goes the other way. */
    static final List<ManagedKind> ALL = List.of(
            NAMESPACE,
            new ManagedKind("ResourceQuota", "", "v1", "resourcequotas", true, true),
            new ManagedKind("LimitRange", "", "v1", "limitranges", true, true),
            new ManagedKind("NetworkPolicy", "networking.k8s.io", "v1", "networkpolicies", true, true),
            new ManagedKind("ServiceAccount", "", "v1", "serviceaccounts", true, true),
            new ManagedKind("Secret", "", "v1", "secrets", true, false),
            DATABASE_CLUSTER,
            DEPLOYMENT,
            new ManagedKind("Service", "", "v1", "services", true, true),
            new ManagedKind("Ingress", "networking.k8s.io", "v1", "ingresses", true, true),
            new ManagedKind("HorizontalPodAutoscaler", "autoscaling", "v2", "horizontalpodautoscalers", true, true),
            new ManagedKind("PodDisruptionBudget", "policy", "v1", "poddisruptionbudgets", true, true));

    static ManagedKind of(HasMetadata object) {
        return ALL.stream()
                .filter(kind -> kind.kind.equals(object.getKind()) && kind.apiVersion().equals(object.getApiVersion()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a kind Atrium manages: " + object.getApiVersion()
                        + "/" + object.getKind()));
    }

    String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder()
                .withGroup(group)
                .withVersion(version)
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(namespaced)
                .build();
    }
}
