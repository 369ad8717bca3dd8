package dev.atrium.controlplane.provisioning;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a region's shared serving namespace should hold: the model servers of the platform's self-hosted deployments,
 * which the region's shared data plane (in {@code sharedDataPlaneNamespace}) and the dedicated tenants' data planes
 * (in {@code tenantNamespaces}, named: a label anyone creating namespaces could copy is not trusted) call on behalf of
 * many tenants.
 */
public record PlatformServingSpec(String region, String namespace, String sharedDataPlaneNamespace, List<String> tenantNamespaces,
        List<TenantNamespaceSpec.ModelServer> modelServers) {

    /** The value of {@link TenantManifests#TENANT_LABEL} on the platform's model servers: no tenant owns them. */
    public static final String OWNER = "platform";

    public PlatformServingSpec {
        KubernetesNames.require("region", region);
        KubernetesNames.dnsLabel("namespace", namespace);
        KubernetesNames.dnsLabel("sharedDataPlaneNamespace", sharedDataPlaneNamespace);
        modelServers = List.copyOf(modelServers == null ? List.of() : modelServers);
        tenantNamespaces = List.copyOf(new java.util.TreeSet<>(tenantNamespaces == null ? List.of() : tenantNamespaces));
        tenantNamespaces.forEach(name -> KubernetesNames.dnsLabel("tenantNamespaces", name));
        Set<String> names = new HashSet<>();
        for (TenantNamespaceSpec.ModelServer server : modelServers) {
            if (!names.add(server.name())) {
                throw new InvalidSpecException("two model servers are named " + server.name());
            }
        }
    }
}
