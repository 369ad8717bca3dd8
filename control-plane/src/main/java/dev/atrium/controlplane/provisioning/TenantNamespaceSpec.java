package dev.atrium.controlplane.provisioning;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.atrium.tenancy.TenantSlug;

/**
 * Everything Atrium wants to exist for one dedicated tenant in one Kubernetes region: the input of
 * {@link TenantManifests}, {@link KubernetesTenantProvisioner} and {@link TenantReconciler}. Every field is checked
 * when the spec is built, so an invalid name, label or quantity is refused before any call to the API server.
 *
 * <p>The namespace is {@code <prefix><slug>} (default prefix {@value #DEFAULT_NAMESPACE_PREFIX}), not the tenant id: a
 * slug is already a DNS-1123 label of at most 40 characters, it never changes ({@code tenant.slug} is not updatable),
 * and it is never reused (deleted tenants keep their row and so their slug), so the name is stable, unique and readable
 * by an operator running {@code kubectl get ns}. The tenant id, which is what Atrium joins on, is on every object as
 * the label {@value TenantManifests#TENANT_LABEL}.
 *
 * @param cpuNodeSelector where pods without GPUs run (the database always, the data plane without a GPU pool): the
 *                        region's CPU pool; empty for any node
 * @param ingress         how requests reach the tenant's own data plane: its host name on the region's ingress
 * @param serviceKey      the data plane's service key, from Atrium's secret store; written only into a Secret
 */
public record TenantNamespaceSpec(
        String tenantId,
        String slug,
        String zone,
        String plan,
        Tier tier,
        String namespace,
        String region,
        String controlPlaneUrl,
        Quotas quotas,
        DataPlane dataPlane,
        GpuPool gpuPool,
        Map<String, String> cpuNodeSelector,
        Ingress ingress,
        Network network,
        Database database,
        SecretValue serviceKey,
        List<ModelServer> modelServers) {

    public static final String DEFAULT_NAMESPACE_PREFIX = "atrium-";
    /** A prefix plus the longest slug must still fit a namespace name (63 characters). */
    public static final int MAX_NAMESPACE_PREFIX_LENGTH = 63 - TenantSlug.MAX_LENGTH;

    public TenantNamespaceSpec {
        KubernetesNames.labelValue("tenantId", tenantId);
        TenantSlug.violation(slug).ifPresent(violation -> {
            throw new InvalidSpecException("slug " + violation);
        });
        KubernetesNames.labelValue("zone", zone);
        KubernetesNames.labelValue("plan", plan);
        if (tier != Tier.DEDICATED) {
            throw new InvalidSpecException("only dedicated tenants get a namespace; a " + tier
                    + " tenant is served by the region's shared data plane");
        }
        KubernetesNames.dnsLabel("namespace", namespace);
        KubernetesNames.labelValue("region", region);
        controlPlaneUrl(controlPlaneUrl);
        require("quotas", quotas);
        require("dataPlane", dataPlane);
        cpuNodeSelector = KubernetesNames.labels("cpuNodeSelector", cpuNodeSelector == null ? Map.of() : cpuNodeSelector);
        require("ingress", ingress);
        require("network", network);
        require("database", database);
        require("serviceKey", serviceKey);
        modelServers = List.copyOf(modelServers == null ? List.of() : modelServers);
        java.util.Set<String> names = new java.util.HashSet<>();
        for (ModelServer server : modelServers) {
            if (!names.add(server.name())) {
                throw new InvalidSpecException("two model servers are named " + server.name());
            }
        }
        for (ModelServer server : modelServers) {
            if (quotas.gpus() < server.gpuUnits()) {
                throw new InvalidSpecException("the quota allows " + quotas.gpus() + " GPUs but each pod of model server "
                        + server.name() + " needs " + server.gpuUnits());
            }
        }
        if (gpuPool != null && quotas.gpus() < gpuPool.gpusPerPod()) {
            throw new InvalidSpecException("the quota allows " + quotas.gpus() + " GPUs but each data-plane pod needs "
                    + gpuPool.gpusPerPod());
        }
    }

    /** The namespace of a tenant: {@code prefix + slug}; see the class comment for why the slug. */
    public static String namespaceFor(String prefix, String slug) {
        namespacePrefix(prefix);
        TenantSlug.violation(slug).ifPresent(violation -> {
            throw new InvalidSpecException("slug " + violation);
        });
        return KubernetesNames.dnsLabel("namespace", prefix + slug);
    }

    static String namespacePrefix(String prefix) {
        KubernetesNames.require("namespacePrefix", prefix);
        if (prefix.length() > MAX_NAMESPACE_PREFIX_LENGTH || !prefix.matches("[a-z0-9]([-a-z0-9]*)?")) {
            throw new InvalidSpecException("namespacePrefix must be lowercase letters, digits and '-', start with a"
                    + " letter or digit and be at most " + MAX_NAMESPACE_PREFIX_LENGTH + " characters: " + prefix);
        }
        return prefix;
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean hasGpuPool() {
        return gpuPool != null;
    }

    @Override
    public String toString() {
        return "TenantNamespaceSpec[tenantId=" + tenantId + ", slug=" + slug + ", namespace=" + namespace + ", region="
                + region + ", plan=" + plan + ", zone=" + zone + ", serviceKey=" + serviceKey + "]";
    }

    private static void controlPlaneUrl(String url) {
        KubernetesNames.require("controlPlaneUrl", url);
        try {
            URI uri = new URI(url);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new InvalidSpecException("controlPlaneUrl must be an absolute http(s) URL: " + url);
            }
        } catch (URISyntaxException e) {
            throw new InvalidSpecException("controlPlaneUrl is not a URL: " + e.getMessage());
        }
    }

    private static void require(String field, Object value) {
        if (value == null) {
            throw new InvalidSpecException(field + " is required");
        }
    }

    /** Pooled tenants share the region's data plane and are not provisioned here. */
    public enum Tier {
        POOLED, DEDICATED
    }

    /** The namespace's ResourceQuota: totals over every pod of the tenant (data plane and database). */
    public record Quotas(String cpu, String memory, int gpus, int pods, int services, int persistentVolumeClaims) {
        public Quotas {
            KubernetesNames.quantity("quotas.cpu", cpu);
            KubernetesNames.quantity("quotas.memory", memory);
            KubernetesNames.atLeast("quotas.gpus", gpus, 0);
            KubernetesNames.atLeast("quotas.pods", pods, 1);
            KubernetesNames.atLeast("quotas.services", services, 1);
            KubernetesNames.atLeast("quotas.persistentVolumeClaims", persistentVolumeClaims, 0);
        }
    }

    /**
     * The data-plane Deployment, its HorizontalPodAutoscaler and PodDisruptionBudget. {@code pdbMinAvailable} must be
     * below {@code minReplicas}: otherwise no pod could ever be evicted and node drains would hang.
     */
    public record DataPlane(String image, int minReplicas, int maxReplicas, int targetCpuUtilizationPercent,
            int pdbMinAvailable, String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit) {
        public DataPlane {
            KubernetesNames.image("dataPlane.image", image);
            KubernetesNames.atLeast("dataPlane.minReplicas", minReplicas, 1);
            KubernetesNames.atLeast("dataPlane.maxReplicas", maxReplicas, minReplicas);
            if (targetCpuUtilizationPercent < 1 || targetCpuUtilizationPercent > 100) {
                throw new InvalidSpecException("dataPlane.targetCpuUtilizationPercent must be 1 to 100: "
                        + targetCpuUtilizationPercent);
            }
            KubernetesNames.atLeast("dataPlane.pdbMinAvailable", pdbMinAvailable, 0);
            if (pdbMinAvailable >= minReplicas) {
                throw new InvalidSpecException("dataPlane.pdbMinAvailable (" + pdbMinAvailable
                        + ") must be below minReplicas (" + minReplicas + ") or no pod could ever be evicted");
            }
            KubernetesNames.quantity("dataPlane.cpuRequest", cpuRequest);
            KubernetesNames.quantity("dataPlane.memoryRequest", memoryRequest);
            KubernetesNames.quantity("dataPlane.cpuLimit", cpuLimit);
            KubernetesNames.quantity("dataPlane.memoryLimit", memoryLimit);
        }
    }

    /** GPU nodes the data plane runs on: how to select them, the taints to tolerate, GPUs per pod. */
    public record GpuPool(String gpuType, Map<String, String> nodeSelector, List<Toleration> tolerations,
            int gpusPerPod) {
        public GpuPool {
            KubernetesNames.labelValue("gpuPool.gpuType", gpuType);
            if (nodeSelector == null || nodeSelector.isEmpty()) {
                throw new InvalidSpecException("gpuPool.nodeSelector must select the pool's nodes");
            }
            nodeSelector = KubernetesNames.labels("gpuPool.nodeSelector", nodeSelector);
            tolerations = List.copyOf(tolerations == null ? List.of() : tolerations);
            KubernetesNames.atLeast("gpuPool.gpusPerPod", gpusPerPod, 1);
        }
    }

    /**
     * A self-hosted model deployment's server: an OpenAI-compatible model server ({@code image}, vLLM's by default)
     * loading {@code artifactUri} and serving it as {@code servedModelName}, on {@code pool}'s nodes with
     * {@code gpuUnits} of {@code nvidia.com/gpu} per pod (GPU shares where the pool shares GPUs). Between
     * {@code minReplicas} (at least 1) and {@code maxReplicas} pods under an autoscaler, or none at all while
     * {@code scaledToZero}.
     *
     * @param deployment the Atrium deployment's name (kept in an annotation: it need not be a DNS label)
     * @param name       the objects' name, {@link #objectName(String)} of the deployment
     * @param embedding  whether it serves an embedding model ({@code /v1/embeddings}: vLLM's {@code --task embed})
     * @param version    the model version it loads, reported with its status (not rendered: the artifact is)
     */
    public record ModelServer(String deployment, String name, String image, String artifactUri, String servedModelName,
            GpuPool pool, int gpuUnits, int minReplicas, int maxReplicas, boolean scaledToZero, String cpu, String memory,
            boolean embedding, String version) {

        public static final int PORT = 8000;

        /** A chat model's server. */
        public ModelServer(String deployment, String name, String image, String artifactUri, String servedModelName,
                GpuPool pool, int gpuUnits, int minReplicas, int maxReplicas, boolean scaledToZero, String cpu, String memory) {
            this(deployment, name, image, artifactUri, servedModelName, pool, gpuUnits, minReplicas, maxReplicas, scaledToZero,
                    cpu, memory, false, null);
        }

        public ModelServer {
            KubernetesNames.require("modelServer.deployment", deployment);
            KubernetesNames.dnsLabel("modelServer.name", name);
            KubernetesNames.image("modelServer.image", image);
            KubernetesNames.require("modelServer.artifactUri", artifactUri);
            if (artifactUri.length() > 500 || !artifactUri.matches("[^\\s\"']+")) {
                throw new InvalidSpecException("modelServer.artifactUri must be at most 500 characters without spaces or quotes");
            }
            KubernetesNames.require("modelServer.servedModelName", servedModelName);
            if (!servedModelName.matches("[A-Za-z0-9._/:-]{1,200}")) {
                throw new InvalidSpecException("modelServer.servedModelName has characters a model name cannot have");
            }
            require("modelServer.pool", pool);
            KubernetesNames.atLeast("modelServer.gpuUnits", gpuUnits, 1);
            KubernetesNames.atLeast("modelServer.minReplicas", minReplicas, 1);
            if (maxReplicas < minReplicas || maxReplicas > 20) {
                throw new InvalidSpecException("modelServer.maxReplicas must be between minReplicas and 20");
            }
            KubernetesNames.quantity("modelServer.cpu", cpu);
            KubernetesNames.quantity("modelServer.memory", memory);
        }

        /**
         * The objects' name for a deployment's server in slot {@code a} (in slot {@code b}, where a rollout's candidate
         * runs while {@code a} serves, {@code model2-} replaces {@code model-}): {@code model-<name>} when that is a DNS label of at most 50 characters,
         * else a shortened, cleaned form with a digest of the name (two deployments never share one).
         */
        public static String objectName(String deployment, String slot) {
            // "model2-" starts no name objectName gives ("model-..."): slot b never collides with another deployment
            return "b".equals(slot) ? "model2-" + objectName(deployment).substring("model-".length()) : objectName(deployment);
        }

        /** The other of a deployment's two server slots: where a rollout's candidate runs. */
        public static String otherSlot(String slot) {
            return "b".equals(slot) ? "a" : "b";
        }

        public static String objectName(String deployment) {
            String plain = "model-" + deployment;
            if (plain.length() <= 50 && plain.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
                return plain;
            }
            String cleaned = deployment.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
            cleaned = cleaned.substring(0, Math.min(cleaned.length(), 30)).replaceAll("-+$", "");
            try {
                byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                        .digest(deployment.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return "model-" + cleaned + "-" + java.util.HexFormat.of().formatHex(digest, 0, 4);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * The tenant's route on the region's ingress controller: {@code https://<host>/} to its data plane's Service.
     *
     * @param className   the IngressClass, or null for the cluster's default class
     * @param annotations copied onto the Ingress (e.g. {@code cert-manager.io/cluster-issuer} to have its TLS
     *                    certificate issued); keys are label keys, values at most 1024 characters
     */
    public record Ingress(String host, String className, Map<String, String> annotations) {
        public Ingress {
            KubernetesNames.dnsSubdomain("ingress.host", host);
            if (className != null) {
                KubernetesNames.dnsSubdomain("ingress.className", className);
            }
            annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
            annotations.forEach((key, value) -> {
                KubernetesNames.labelKey("ingress.annotations key", key);
                if (value == null || value.length() > 1024 || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    throw new InvalidSpecException("ingress.annotations value of " + key
                            + " must be at most 1024 printable characters");
                }
            });
        }

        /** The endpoint clients use: TLS terminates at the ingress. */
        public String endpoint() {
            return "https://" + host;
        }
    }

    /** A taint of the GPU nodes that the data-plane pods tolerate. */
    public record Toleration(String key, String operator, String value, String effect) {
        public Toleration {
            KubernetesNames.labelKey("toleration.key", key);
            if (!"Equal".equals(operator) && !"Exists".equals(operator)) {
                throw new InvalidSpecException("toleration.operator must be Equal or Exists: " + operator);
            }
            if ("Exists".equals(operator) && value != null) {
                throw new InvalidSpecException("toleration.value must be empty with operator Exists");
            }
            if (value != null) {
                KubernetesNames.labelValue("toleration.value", value);
            }
            if (!List.of("NoSchedule", "PreferNoSchedule", "NoExecute").contains(effect)) {
                throw new InvalidSpecException("toleration.effect must be NoSchedule, PreferNoSchedule or NoExecute: "
                        + effect);
            }
        }
    }

    /**
     * What the NetworkPolicies let through besides DNS and the tenant's own pods: the region's ingress controller
     * (in), the control plane, the database pods' API server (CloudNativePG's instance manager needs it) and the
     * operator's status probes, and optionally model backends outside the cluster (out).
     */
    public record Network(String ingressNamespace, Map<String, String> ingressPodLabels, ControlPlaneRoute controlPlane,
            IpEgress apiServer, String databaseOperatorNamespace, List<IpEgress> modelBackends, String platformModelsNamespace) {
        public Network {
            KubernetesNames.dnsLabel("network.ingressNamespace", ingressNamespace);
            ingressPodLabels = KubernetesNames.labels("network.ingressPodLabels", ingressPodLabels);
            require("network.controlPlane", controlPlane);
            require("network.apiServer", apiServer);
            KubernetesNames.dnsLabel("network.databaseOperatorNamespace", databaseOperatorNamespace);
            modelBackends = List.copyOf(modelBackends == null ? List.of() : modelBackends);
            if (platformModelsNamespace != null) {
                KubernetesNames.dnsLabel("network.platformModelsNamespace", platformModelsNamespace);
            }
        }

        /** Without the region's shared serving namespace: the data plane reaches no platform model server. */
        public Network(String ingressNamespace, Map<String, String> ingressPodLabels, ControlPlaneRoute controlPlane,
                IpEgress apiServer, String databaseOperatorNamespace, List<IpEgress> modelBackends) {
            this(ingressNamespace, ingressPodLabels, controlPlane, apiServer, databaseOperatorNamespace, modelBackends, null);
        }
    }

    /**
     * How the data plane reaches the control plane: by IP blocks when the control plane runs outside the region's
     * cluster (the usual case: one control plane, many regions), or by namespace (and pod labels) when it runs in the
     * same cluster. NetworkPolicies match pod IPs, not DNS names, so one of the two must be given.
     */
    public sealed interface ControlPlaneRoute permits ByIpBlock, ByNamespace {
        int port();
    }

    public record ByIpBlock(List<String> cidrs, int port) implements ControlPlaneRoute {
        public ByIpBlock {
            cidrs = checkedCidrs("controlPlane.cidrs", cidrs);
            KubernetesNames.port("controlPlane.port", port);
        }
    }

    public record ByNamespace(String namespace, Map<String, String> podLabels, int port) implements ControlPlaneRoute {
        public ByNamespace {
            KubernetesNames.dnsLabel("controlPlane.namespace", namespace);
            podLabels = KubernetesNames.labels("controlPlane.podLabels", podLabels);
            KubernetesNames.port("controlPlane.port", port);
        }
    }

    /** Egress to addresses outside the cluster's pod network, on one TCP port. */
    public record IpEgress(List<String> cidrs, int port) {
        public IpEgress {
            cidrs = checkedCidrs("egress.cidrs", cidrs);
            KubernetesNames.port("egress.port", port);
        }
    }

    /**
     * The tenant's CloudNativePG cluster. The database is owned by {@value TenantManifests#DATABASE_OWNER} (CloudNativePG
     * generates that role's password into the Secret {@code <cluster>-app}); the data plane connects as the login role
     * {@value TenantManifests#DATABASE_APP_ROLE} that row-level security binds, whose password comes from Atrium's
     * secret store like the service key.
     *
     * @param storageClass null for the cluster's default storage class
     */
    public record Database(int instances, String storageSize, String storageClass, String cpu, String memory,
            SecretValue appRolePassword) {
        public Database {
            KubernetesNames.atLeast("database.instances", instances, 1);
            KubernetesNames.quantity("database.storageSize", storageSize);
            if (storageClass != null) {
                KubernetesNames.dnsLabel("database.storageClass", storageClass);
            }
            KubernetesNames.quantity("database.cpu", cpu);
            KubernetesNames.quantity("database.memory", memory);
            require("database.appRolePassword", appRolePassword);
        }

        @Override
        public String toString() {
            return "Database[instances=" + instances + ", storageSize=" + storageSize + ", storageClass=" + storageClass
                    + ", cpu=" + cpu + ", memory=" + memory + ", appRolePassword=" + appRolePassword + "]";
        }
    }

    private static List<String> checkedCidrs(String field, List<String> cidrs) {
        if (cidrs == null || cidrs.isEmpty()) {
            throw new InvalidSpecException(field + " needs at least one CIDR block");
        }
        List<String> checked = new ArrayList<>();
        for (String cidr : cidrs) {
            checked.add(KubernetesNames.cidr(field, cidr));
        }
        return List.copyOf(checked);
    }

    /** Builds a spec; the namespace is derived from the prefix and the slug. */
    public static final class Builder {
        private String tenantId;
        private String slug;
        private String zone;
        private String plan;
        private Tier tier = Tier.DEDICATED;
        private String namespacePrefix = DEFAULT_NAMESPACE_PREFIX;
        private String region;
        private String controlPlaneUrl;
        private Quotas quotas;
        private DataPlane dataPlane;
        private GpuPool gpuPool;
        private Map<String, String> cpuNodeSelector = Map.of();
        private Ingress ingress;
        private Network network;
        private Database database;
        private SecretValue serviceKey;
        private List<ModelServer> modelServers = List.of();

        private Builder() {
        }

        public Builder tenant(String tenantId, String slug) {
            this.tenantId = tenantId;
            this.slug = slug;
            return this;
        }

        public Builder zone(String zone) {
            this.zone = zone;
            return this;
        }

        public Builder plan(String plan, Tier tier) {
            this.plan = plan;
            this.tier = tier;
            return this;
        }

        /** Use the region's {@link KubernetesTarget#namespacePrefix()}. */
        public Builder namespacePrefix(String namespacePrefix) {
            this.namespacePrefix = namespacePrefix;
            return this;
        }

        public Builder region(String region, String controlPlaneUrl) {
            this.region = region;
            this.controlPlaneUrl = controlPlaneUrl;
            return this;
        }

        public Builder quotas(Quotas quotas) {
            this.quotas = quotas;
            return this;
        }

        public Builder dataPlane(DataPlane dataPlane) {
            this.dataPlane = dataPlane;
            return this;
        }

        public Builder gpuPool(GpuPool gpuPool) {
            this.gpuPool = gpuPool;
            return this;
        }

        public Builder cpuNodeSelector(Map<String, String> cpuNodeSelector) {
            this.cpuNodeSelector = cpuNodeSelector;
            return this;
        }

        public Builder ingress(Ingress ingress) {
            this.ingress = ingress;
            return this;
        }

        public Builder network(Network network) {
            this.network = network;
            return this;
        }

        public Builder database(Database database) {
            this.database = database;
            return this;
        }

        public Builder serviceKey(SecretValue serviceKey) {
            this.serviceKey = serviceKey;
            return this;
        }

        public Builder modelServers(List<ModelServer> modelServers) {
            this.modelServers = modelServers;
            return this;
        }

        public TenantNamespaceSpec build() {
            return new TenantNamespaceSpec(tenantId, slug, zone, plan, tier, namespaceFor(namespacePrefix, slug), region,
                    controlPlaneUrl, quotas, dataPlane, gpuPool, cpuNodeSelector, ingress, network, database, serviceKey,
                    modelServers);
        }
    }
}
