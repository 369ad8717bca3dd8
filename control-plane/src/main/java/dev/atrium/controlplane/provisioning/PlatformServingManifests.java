package dev.atrium.controlplane.provisioning;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;

import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.ModelServer;

/**
 * The objects of a region's shared serving namespace: the namespace (Pod Security "restricted"), default-deny network
 * policies that let in only data planes (the region's shared one, and the dedicated tenants' own, by namespace name),
 * and one model server per platform self-hosted deployment, built as a tenant's are ({@link TenantManifests}). Same
 * spec, same objects in the same order.
 */
public final class PlatformServingManifests {

    static final String ROLE_LABEL = "atrium.dev/role";
    static final String ROLE = "platform-serving";

    private PlatformServingManifests() {
    }

    public static List<HasMetadata> render(PlatformServingSpec spec) {
        List<HasMetadata> objects = new ArrayList<>();
        Map<String, String> labels = labels();
        Map<String, String> namespaceLabels = new TreeMap<>(labels);
        for (String mode : List.of("enforce", "audit", "warn")) {
            namespaceLabels.put("pod-security.kubernetes.io/" + mode, "restricted");
            namespaceLabels.put("pod-security.kubernetes.io/" + mode + "-version", "latest");
        }
        objects.add(new NamespaceBuilder()
                .withMetadata(TenantManifests.objectMeta(null, spec.namespace(), namespaceLabels))
                .build());
        LabelSelector everyPod = new LabelSelector();
        LabelSelector modelServers = TenantManifests.selector(Map.of(TenantManifests.COMPONENT_LABEL, TenantManifests.MODEL_SERVER));
        objects.add(policy(spec, "default-deny", everyPod, List.of(), List.of()));
        objects.add(policy(spec, "allow-dns", everyPod, null, List.of(new NetworkPolicyEgressRuleBuilder()
                .withTo(new NetworkPolicyPeerBuilder()
                        .withNamespaceSelector(TenantManifests.selector(Map.of(TenantManifests.NAMESPACE_NAME_LABEL, "kube-system")))
                        .withPodSelector(TenantManifests.selector(Map.of("k8s-app", "kube-dns")))
                        .build())
                .withPorts(TenantManifests.port("UDP", 53), TenantManifests.port("TCP", 53))
                .build())));
        List<NetworkPolicyPeer> callers = new ArrayList<>();
        // the region's shared data plane, wherever the operator runs it
        callers.add(new NetworkPolicyPeerBuilder()
                .withNamespaceSelector(TenantManifests.selector(Map.of(TenantManifests.NAMESPACE_NAME_LABEL, spec.sharedDataPlaneNamespace())))
                .build());
        if (!spec.tenantNamespaces().isEmpty()) {
            // the dedicated tenants' data planes, by the names of their namespaces (which the API server sets)
            callers.add(new NetworkPolicyPeerBuilder()
                    .withNewNamespaceSelector().addNewMatchExpression().withKey(TenantManifests.NAMESPACE_NAME_LABEL).withOperator("In")
                    .withValues(spec.tenantNamespaces()).endMatchExpression().endNamespaceSelector()
                    .withPodSelector(TenantManifests.selector(Map.of(TenantManifests.NAME_LABEL, TenantManifests.DATA_PLANE)))
                    .build());
        }
        objects.add(policy(spec, "model-servers-from-data-planes", modelServers, List.of(new NetworkPolicyIngressRuleBuilder()
                .withFrom(callers)
                .withPorts(TenantManifests.port("TCP", ModelServer.PORT))
                .build()), null));
        objects.add(policy(spec, "model-servers-to-artifact-stores", modelServers, null, List.of(new NetworkPolicyEgressRuleBuilder()
                .withTo(new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr("0.0.0.0/0")
                        .withExcept(TenantManifests.PRIVATE_RANGES).endIpBlock().build())
                .withPorts(TenantManifests.port("TCP", 443))
                .build())));
        spec.modelServers().forEach(server -> objects.addAll(TenantManifests.modelServer(spec.namespace(), labels,
                PlatformServingSpec.OWNER, server)));
        objects.forEach(TenantManifests::stampDesiredHash);
        return List.copyOf(objects);
    }

    /** The labels on every object of the namespace; the platform's model servers are found by them. */
    static Map<String, String> labels() {
        Map<String, String> labels = new TreeMap<>();
        labels.put(TenantManifests.MANAGED_BY_LABEL, TenantManifests.MANAGED_BY);
        labels.put(TenantManifests.TENANT_LABEL, PlatformServingSpec.OWNER);
        labels.put(ROLE_LABEL, ROLE);
        return labels;
    }

    private static NetworkPolicy policy(PlatformServingSpec spec, String name, LabelSelector pods,
            List<NetworkPolicyIngressRule> ingress, List<NetworkPolicyEgressRule> egress) {
        return TenantManifests.networkPolicy(TenantManifests.objectMeta(spec.namespace(), name, labels()), pods, ingress, egress);
    }
}
