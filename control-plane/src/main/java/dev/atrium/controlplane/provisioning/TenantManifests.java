package dev.atrium.controlplane.provisioning;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.ByIpBlock;
import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.ByNamespace;
import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.IpEgress;
import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.ModelServer;

/**
 * The objects Atrium owns in a dedicated tenant's namespace, as a pure function of a {@link TenantNamespaceSpec}: the
 * same spec always gives the same objects in the same order (namespace first, then what later objects depend on), so
 * they can be compared with reviewed golden manifests and applied in that order.
 *
 * <p>Why each object exists is in {@code docs/runbooks/kubernetes-regions.md}. The data plane needs nothing from the
 * Kubernetes API, so its ServiceAccount is bound to no Role and mounts no token.
 */
public final class TenantManifests {

    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "atrium";
    public static final String TENANT_LABEL = "atrium.dev/tenant";
    public static final String ZONE_LABEL = "atrium.dev/zone";
    public static final String PLAN_LABEL = "atrium.dev/plan";
    public static final String DESIRED_HASH_ANNOTATION = "atrium.dev/desired-hash";
    static final String NAME_LABEL = "app.kubernetes.io/name";
    static final String COMPONENT_LABEL = "app.kubernetes.io/component";

    public static final String DATA_PLANE = "atrium-data-plane";
    public static final String QUOTA = "atrium-quota";
    public static final String LIMITS = "atrium-limits";
    public static final String SERVICE_KEY_SECRET = "atrium-data-plane-credentials";
    public static final String SERVICE_KEY_ENTRY = "service-key";
    public static final String DATABASE_APP_ROLE_SECRET = "atrium-db-app-role";
    public static final String TLS_SECRET = "atrium-data-plane-tls";
    public static final String DATABASE_CLUSTER = "tenant-db";
    public static final String DATABASE_NAME = "atrium";
    public static final String DATABASE_OWNER = "atrium_owner";
    public static final String DATABASE_APP_ROLE = "atrium_app";
    static final String CNPG_API_VERSION = "postgresql.cnpg.io/v1";
    static final String CNPG_CLUSTER_LABEL = "cnpg.io/cluster";

    static final int DATA_PLANE_PORT = 8080;
    static final int SERVICE_PORT = 80;
    static final int POSTGRES_PORT = 5432;
    /** CloudNativePG's instance manager: status, probes and backups, called by the operator and by the peers. */
    static final int INSTANCE_MANAGER_PORT = 8000;
    static final String GPU_RESOURCE = "nvidia.com/gpu";
    public static final String MODEL_SERVER = "model-server";
    /** The model server's user and home (its weights and caches): not root, as Pod Security "restricted" requires. */
    static final long MODEL_SERVER_USER = 1000;
    static final String MODEL_SERVER_HOME = "/home/model-server";
    public static final String DEPLOYMENT_ANNOTATION = "atrium.dev/deployment";
    /** Where a model server may not download from: the cluster's and the platform's own networks. */
    static final List<String> PRIVATE_RANGES = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10",
            "169.254.0.0/16", "127.0.0.0/8");
    /** The user of the UBI/Quarkus OpenJDK images; numeric, so the kubelet can verify runAsNonRoot. */
    static final long RUN_AS_USER = 185;

    static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    private TenantManifests() {
    }

    /** Every object of the tenant, in apply order. */
    public static List<HasMetadata> render(TenantNamespaceSpec spec) {
        List<HasMetadata> objects = new ArrayList<>();
        objects.add(namespace(spec));
        objects.add(resourceQuota(spec));
        objects.add(limitRange(spec));
        objects.addAll(networkPolicies(spec));
        objects.add(serviceAccount(spec));
        objects.add(serviceKeySecret(spec));
        objects.add(databaseAppRoleSecret(spec));
        objects.add(databaseCluster(spec));
        objects.add(deployment(spec));
        objects.add(service(spec));
        objects.add(ingress(spec));
        objects.add(horizontalPodAutoscaler(spec));
        objects.add(podDisruptionBudget(spec));
        spec.modelServers().forEach(server -> objects.addAll(modelServer(spec.namespace(), tenantLabels(spec), spec.tenantId(), server)));
        objects.forEach(TenantManifests::stampDesiredHash);
        return List.copyOf(objects);
    }

    /**
     * Marks each object with a digest of its desired content. {@link LiveComparison} only checks the fields Atrium sets,
     * so without it a field Atrium stops setting (a GPU pool's node selector after a move to a plan without GPUs)
     * would never count as a difference; with it, any change of the desired object differs, and the forced apply drops
     * the fields Atrium no longer sends.
     */
    static void stampDesiredHash(HasMetadata object) {
        String digest = ManifestYaml.digest(object);
        Map<String, String> annotations = new TreeMap<>();
        if (object.getMetadata().getAnnotations() != null) {
            annotations.putAll(object.getMetadata().getAnnotations());
        }
        annotations.put(DESIRED_HASH_ANNOTATION, digest);
        object.getMetadata().setAnnotations(annotations);
    }

    /** The labels on every object Atrium creates for the tenant; informers select on the first one. */
    public static Map<String, String> tenantLabels(TenantNamespaceSpec spec) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(MANAGED_BY_LABEL, MANAGED_BY);
        labels.put(TENANT_LABEL, spec.tenantId());
        labels.put(ZONE_LABEL, spec.zone());
        labels.put(PLAN_LABEL, spec.plan());
        return labels;
    }

    private static HasMetadata namespace(TenantNamespaceSpec spec) {
        Map<String, String> labels = tenantLabels(spec);
        for (String mode : List.of("enforce", "audit", "warn")) {
            labels.put("pod-security.kubernetes.io/" + mode, "restricted");
            labels.put("pod-security.kubernetes.io/" + mode + "-version", "latest");
        }
        return new NamespaceBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(spec.namespace()).withLabels(labels).build())
                .build();
    }

    private static HasMetadata resourceQuota(TenantNamespaceSpec spec) {
        TenantNamespaceSpec.Quotas quotas = spec.quotas();
        Map<String, Quantity> hard = new TreeMap<>();
        hard.put("requests.cpu", new Quantity(quotas.cpu()));
        hard.put("limits.cpu", new Quantity(quotas.cpu()));
        hard.put("requests.memory", new Quantity(quotas.memory()));
        hard.put("limits.memory", new Quantity(quotas.memory()));
        hard.put("requests." + GPU_RESOURCE, new Quantity(String.valueOf(quotas.gpus())));
        hard.put("pods", new Quantity(String.valueOf(quotas.pods())));
        hard.put("services", new Quantity(String.valueOf(quotas.services())));
        hard.put("persistentvolumeclaims", new Quantity(String.valueOf(quotas.persistentVolumeClaims())));
        return new ResourceQuotaBuilder()
                .withMetadata(meta(spec, QUOTA))
                .withNewSpec().withHard(hard).endSpec()
                .build();
    }

    /** Defaults for containers that declare no resources, which a namespace with a cpu/memory quota would refuse. */
    private static HasMetadata limitRange(TenantNamespaceSpec spec) {
        return new LimitRangeBuilder()
                .withMetadata(meta(spec, LIMITS))
                .withNewSpec()
                .addNewLimit()
                .withType("Container")
                .withDefault(resources("500m", "512Mi"))
                .withDefaultRequest(resources("100m", "128Mi"))
                .endLimit()
                .endSpec()
                .build();
    }

    private static List<NetworkPolicy> networkPolicies(TenantNamespaceSpec spec) {
        TenantNamespaceSpec.Network network = spec.network();
        LabelSelector everyPod = new LabelSelector();
        LabelSelector dataPlane = selector(Map.of(NAME_LABEL, DATA_PLANE));
        LabelSelector database = selector(Map.of(CNPG_CLUSTER_LABEL, DATABASE_CLUSTER));

        List<NetworkPolicy> policies = new ArrayList<>();
        policies.add(policy(spec, "default-deny", everyPod, List.of(), List.of()));
        policies.add(policy(spec, "allow-dns", everyPod, null, List.of(new NetworkPolicyEgressRuleBuilder()
                .withTo(new NetworkPolicyPeerBuilder()
                        .withNamespaceSelector(selector(Map.of(NAMESPACE_NAME_LABEL, "kube-system")))
                        .withPodSelector(selector(Map.of("k8s-app", "kube-dns")))
                        .build())
                .withPorts(port("UDP", 53), port("TCP", 53))
                .build())));
        policies.add(policy(spec, "data-plane-from-ingress", dataPlane, List.of(new NetworkPolicyIngressRuleBuilder()
                .withFrom(new NetworkPolicyPeerBuilder()
                        .withNamespaceSelector(selector(Map.of(NAMESPACE_NAME_LABEL, network.ingressNamespace())))
                        .withPodSelector(selector(network.ingressPodLabels()))
                        .build())
                .withPorts(port("TCP", DATA_PLANE_PORT))
                .build()), null));
        policies.add(policy(spec, "data-plane-to-control-plane", dataPlane, null,
                List.of(controlPlaneEgress(network.controlPlane()))));
        policies.add(policy(spec, "data-plane-to-database", dataPlane, null, List.of(new NetworkPolicyEgressRuleBuilder()
                .withTo(new NetworkPolicyPeerBuilder().withPodSelector(database).build())
                .withPorts(port("TCP", POSTGRES_PORT))
                .build())));
        if (!network.modelBackends().isEmpty()) {
            policies.add(policy(spec, "data-plane-to-model-backends", dataPlane, null,
                    network.modelBackends().stream().map(TenantManifests::ipEgress).toList()));
        }
        if (network.platformModelsNamespace() != null) {
            // the platform's self-hosted models, in the region's shared serving namespace
            policies.add(policy(spec, "data-plane-to-platform-models", dataPlane, null, List.of(new NetworkPolicyEgressRuleBuilder()
                    .withTo(new NetworkPolicyPeerBuilder()
                            .withNamespaceSelector(selector(Map.of(NAMESPACE_NAME_LABEL, network.platformModelsNamespace())))
                            .withPodSelector(selector(Map.of(COMPONENT_LABEL, MODEL_SERVER)))
                            .build())
                    .withPorts(port("TCP", ModelServer.PORT))
                    .build())));
        }
        policies.add(policy(spec, "database-from-data-plane", database, List.of(new NetworkPolicyIngressRuleBuilder()
                .withFrom(new NetworkPolicyPeerBuilder().withPodSelector(dataPlane).build())
                .withPorts(port("TCP", POSTGRES_PORT))
                .build()), null));
        policies.add(policy(spec, "database-from-operator", database, List.of(new NetworkPolicyIngressRuleBuilder()
                .withFrom(new NetworkPolicyPeerBuilder()
                        .withNamespaceSelector(selector(Map.of(NAMESPACE_NAME_LABEL, network.databaseOperatorNamespace())))
                        .build())
                .withPorts(port("TCP", INSTANCE_MANAGER_PORT))
                .build()), null));
        policies.add(policy(spec, "database-replication", database,
                List.of(new NetworkPolicyIngressRuleBuilder()
                        .withFrom(new NetworkPolicyPeerBuilder().withPodSelector(database).build())
                        .withPorts(port("TCP", POSTGRES_PORT), port("TCP", INSTANCE_MANAGER_PORT))
                        .build()),
                List.of(new NetworkPolicyEgressRuleBuilder()
                        .withTo(new NetworkPolicyPeerBuilder().withPodSelector(database).build())
                        .withPorts(port("TCP", POSTGRES_PORT), port("TCP", INSTANCE_MANAGER_PORT))
                        .build())));
        policies.add(policy(spec, "database-to-api-server", database, null, List.of(ipEgress(network.apiServer()))));
        if (!spec.modelServers().isEmpty()) {
            LabelSelector modelServers = selector(Map.of(COMPONENT_LABEL, MODEL_SERVER));
            policies.add(modelServerPolicy(spec, "data-plane-to-model-servers", dataPlane, null, List.of(new NetworkPolicyEgressRuleBuilder()
                    .withTo(new NetworkPolicyPeerBuilder().withPodSelector(modelServers).build())
                    .withPorts(port("TCP", ModelServer.PORT))
                    .build())));
            policies.add(modelServerPolicy(spec, "model-servers-from-data-plane", modelServers, List.of(new NetworkPolicyIngressRuleBuilder()
                    .withFrom(new NetworkPolicyPeerBuilder().withPodSelector(dataPlane).build())
                    .withPorts(port("TCP", ModelServer.PORT))
                    .build()), null));
            // weights are downloaded from the artifact's store (Hugging Face, S3, ...) over https: public addresses only
            policies.add(modelServerPolicy(spec, "model-servers-to-artifact-stores", modelServers, null, List.of(new NetworkPolicyEgressRuleBuilder()
                    .withTo(new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr("0.0.0.0/0")
                            .withExcept(PRIVATE_RANGES).endIpBlock().build())
                    .withPorts(port("TCP", 443))
                    .build())));
        }
        return policies;
    }

    private static NetworkPolicyEgressRule controlPlaneEgress(TenantNamespaceSpec.ControlPlaneRoute route) {
        return switch (route) {
            case ByIpBlock byIp -> ipEgress(new IpEgress(byIp.cidrs(), byIp.port()));
            case ByNamespace byNamespace -> new NetworkPolicyEgressRuleBuilder()
                    .withTo(new NetworkPolicyPeerBuilder()
                            .withNamespaceSelector(selector(Map.of(NAMESPACE_NAME_LABEL, byNamespace.namespace())))
                            .withPodSelector(selector(byNamespace.podLabels()))
                            .build())
                    .withPorts(port("TCP", byNamespace.port()))
                    .build();
        };
    }

    private static NetworkPolicyEgressRule ipEgress(IpEgress egress) {
        List<NetworkPolicyPeer> peers = egress.cidrs().stream()
                .map(cidr -> new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr(cidr).endIpBlock().build())
                .toList();
        return new NetworkPolicyEgressRuleBuilder().withTo(peers).withPorts(port("TCP", egress.port())).build();
    }

    /** A policy of the model servers, labelled as theirs so that it goes with the last of them. */
    private static NetworkPolicy modelServerPolicy(TenantNamespaceSpec spec, String name, LabelSelector pods,
            List<NetworkPolicyIngressRule> ingress, List<NetworkPolicyEgressRule> egress) {
        NetworkPolicy policy = policy(spec, name, pods, ingress, egress);
        Map<String, String> labels = new TreeMap<>(policy.getMetadata().getLabels());
        labels.put(COMPONENT_LABEL, MODEL_SERVER);
        policy.getMetadata().setLabels(labels);
        return policy;
    }

    private static NetworkPolicy policy(TenantNamespaceSpec spec, String name, LabelSelector pods,
            List<NetworkPolicyIngressRule> ingress, List<NetworkPolicyEgressRule> egress) {
        return networkPolicy(meta(spec, name), pods, ingress, egress);
    }

    /** A policy; {@code ingress} or {@code egress} null leaves that direction to the other policies. */
    static NetworkPolicy networkPolicy(ObjectMeta metadata, LabelSelector pods, List<NetworkPolicyIngressRule> ingress,
            List<NetworkPolicyEgressRule> egress) {
        List<String> types = new ArrayList<>();
        if (ingress != null) {
            types.add("Ingress");
        }
        if (egress != null) {
            types.add("Egress");
        }
        return new NetworkPolicyBuilder()
                .withMetadata(metadata)
                .withNewSpec()
                .withPodSelector(pods)
                .withPolicyTypes(types)
                .withIngress(ingress == null ? List.of() : ingress)
                .withEgress(egress == null ? List.of() : egress)
                .endSpec()
                .build();
    }

    private static HasMetadata serviceAccount(TenantNamespaceSpec spec) {
        return new ServiceAccountBuilder()
                .withMetadata(meta(spec, DATA_PLANE, dataPlaneLabels(spec)))
                .withAutomountServiceAccountToken(false)
                .build();
    }

    private static HasMetadata serviceKeySecret(TenantNamespaceSpec spec) {
        return new SecretBuilder()
                .withMetadata(meta(spec, SERVICE_KEY_SECRET, dataPlaneLabels(spec)))
                .withType("Opaque")
                .withData(Map.of(SERVICE_KEY_ENTRY, spec.serviceKey().base64()))
                .build();
    }

    /** The login role the data plane uses, declared to CloudNativePG as a managed role (hence basic-auth and reload). */
    private static HasMetadata databaseAppRoleSecret(TenantNamespaceSpec spec) {
        Map<String, String> labels = tenantLabels(spec);
        labels.put("cnpg.io/reload", "true");
        Map<String, String> data = new TreeMap<>();
        data.put("username", Base64.getEncoder().encodeToString(DATABASE_APP_ROLE.getBytes(StandardCharsets.UTF_8)));
        data.put("password", spec.database().appRolePassword().base64());
        return new SecretBuilder()
                .withMetadata(meta(spec, DATABASE_APP_ROLE_SECRET, labels))
                .withType("kubernetes.io/basic-auth")
                .withData(data)
                .build();
    }

    private static HasMetadata databaseCluster(TenantNamespaceSpec spec) {
        TenantNamespaceSpec.Database database = spec.database();
        Map<String, Object> storage = new LinkedHashMap<>();
        storage.put("size", database.storageSize());
        if (database.storageClass() != null) {
            storage.put("storageClass", database.storageClass());
        }
        Map<String, Object> appRole = new LinkedHashMap<>();
        appRole.put("name", DATABASE_APP_ROLE);
        appRole.put("ensure", "present");
        appRole.put("login", true);
        appRole.put("inherit", true);
        appRole.put("passwordSecret", Map.of("name", DATABASE_APP_ROLE_SECRET));
        Map<String, Object> clusterSpec = new LinkedHashMap<>();
        clusterSpec.put("instances", database.instances());
        clusterSpec.put("enableSuperuserAccess", false);
        clusterSpec.put("bootstrap", Map.of("initdb", Map.of("database", DATABASE_NAME, "owner", DATABASE_OWNER)));
        clusterSpec.put("managed", Map.of("roles", List.of(appRole)));
        clusterSpec.put("storage", storage);
        if (!spec.cpuNodeSelector().isEmpty()) {
            clusterSpec.put("affinity", Map.of("nodeSelector", new TreeMap<>(spec.cpuNodeSelector())));
        }
        clusterSpec.put("resources", Map.of(
                "requests", Map.of("cpu", database.cpu(), "memory", database.memory()),
                "limits", Map.of("cpu", database.cpu(), "memory", database.memory())));
        GenericKubernetesResource cluster = new GenericKubernetesResourceBuilder()
                .withApiVersion(CNPG_API_VERSION)
                .withKind("Cluster")
                .withMetadata(meta(spec, DATABASE_CLUSTER))
                .build();
        cluster.setAdditionalProperty("spec", clusterSpec);
        return cluster;
    }

    /**
     * The data plane. Replicas are left out on purpose: the HorizontalPodAutoscaler owns them, and an applied value
     * would be reset by every apply ({@link KubernetesTenantProvisioner} only brings a count outside min..max back).
     */
    private static HasMetadata deployment(TenantNamespaceSpec spec) {
        Map<String, String> podLabels = new TreeMap<>();
        podLabels.put(NAME_LABEL, DATA_PLANE);
        podLabels.put(TENANT_LABEL, spec.tenantId());
        if (spec.hasGpuPool()) {
            podLabels.put("atrium.dev/gpu-type", spec.gpuPool().gpuType());
        }
        return new DeploymentBuilder()
                .withMetadata(meta(spec, DATA_PLANE, dataPlaneLabels(spec)))
                .withNewSpec()
                .withSelector(selector(Map.of(NAME_LABEL, DATA_PLANE)))
                .withRevisionHistoryLimit(5)
                .withNewStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withMaxSurge(new IntOrString(1))
                .withMaxUnavailable(new IntOrString(0))
                .endRollingUpdate()
                .endStrategy()
                .withNewTemplate()
                .withNewMetadata().withLabels(podLabels).endMetadata()
                .withNewSpec()
                .withServiceAccountName(DATA_PLANE)
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(RUN_AS_USER)
                .withRunAsGroup(RUN_AS_USER)
                .withFsGroup(RUN_AS_USER)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .withContainers(dataPlaneContainer(spec))
                .addNewVolume().withName("tmp").withNewEmptyDir().withSizeLimit(new Quantity("256Mi")).endEmptyDir()
                .endVolume()
                .addNewVolume().withName("data").withNewEmptyDir().endEmptyDir().endVolume()
                .withNodeSelector(new TreeMap<>(spec.hasGpuPool() ? spec.gpuPool().nodeSelector() : spec.cpuNodeSelector()))
                .withTolerations(tolerations(spec))
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static Container dataPlaneContainer(TenantNamespaceSpec spec) {
        TenantNamespaceSpec.DataPlane dataPlane = spec.dataPlane();
        Map<String, Quantity> requests = resources(dataPlane.cpuRequest(), dataPlane.memoryRequest());
        Map<String, Quantity> limits = resources(dataPlane.cpuLimit(), dataPlane.memoryLimit());
        if (spec.hasGpuPool()) {
            Quantity gpus = new Quantity(String.valueOf(spec.gpuPool().gpusPerPod()));
            requests.put(GPU_RESOURCE, gpus);
            limits.put(GPU_RESOURCE, gpus);
        }
        return new ContainerBuilder()
                .withName("data-plane")
                .withImage(dataPlane.image())
                .addNewPort().withName("http").withContainerPort(DATA_PLANE_PORT).withProtocol("TCP").endPort()
                .withEnv(environment(spec))
                .withNewResources().withRequests(requests).withLimits(limits).endResources()
                .withLivenessProbe(probe("/q/health/live", 20))
                .withReadinessProbe(probe("/q/health/ready", 10))
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .addNewVolumeMount().withName("data").withMountPath("/var/lib/atrium").endVolumeMount()
                .build();
    }

    /** The data plane's settings (see data-plane/src/main/resources/application.properties for their names). */
    private static List<EnvVar> environment(TenantNamespaceSpec spec) {
        String clusterSecret = DATABASE_CLUSTER + "-app";
        return List.of(
                env("ATRIUM_REGION", spec.region()),
                env("ATRIUM_DEDICATED_TENANT", spec.tenantId()),
                env("ATRIUM_CONTROL_PLANE_URL", spec.controlPlaneUrl()),
                secretEnv("ATRIUM_SERVICE_KEY", SERVICE_KEY_SECRET, SERVICE_KEY_ENTRY),
                env("ATRIUM_DATA_DIR", "/var/lib/atrium"),
                env("ATRIUM_DB_APP_ROLE", DATABASE_APP_ROLE),
                env("QUARKUS_HTTP_HOST", "0.0.0.0"),
                env("QUARKUS_HTTP_PORT", String.valueOf(DATA_PLANE_PORT)),
                // requests arrive through the region's ingress controller (the only peer the network policies admit):
                // the client's address is its X-Forwarded-For, or every client would share one failed-credential budget
                env("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "true"),
                env("QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED", "true"),
                env("QUARKUS_DATASOURCE_JDBC_URL",
                        "jdbc:postgresql://" + DATABASE_CLUSTER + "-rw:" + POSTGRES_PORT + "/" + DATABASE_NAME),
                env("QUARKUS_DATASOURCE_USERNAME", DATABASE_APP_ROLE),
                secretEnv("QUARKUS_DATASOURCE_PASSWORD", DATABASE_APP_ROLE_SECRET, "password"),
                secretEnv("QUARKUS_FLYWAY_USERNAME", clusterSecret, "username"),
                secretEnv("QUARKUS_FLYWAY_PASSWORD", clusterSecret, "password"));
    }

    private static List<Toleration> tolerations(TenantNamespaceSpec spec) {
        if (!spec.hasGpuPool()) {
            return List.of();
        }
        return spec.gpuPool().tolerations().stream()
                .map(t -> new TolerationBuilder().withKey(t.key()).withOperator(t.operator()).withValue(t.value())
                        .withEffect(t.effect()).build())
                .toList();
    }

    private static HasMetadata service(TenantNamespaceSpec spec) {
        return new ServiceBuilder()
                .withMetadata(meta(spec, DATA_PLANE, dataPlaneLabels(spec)))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(Map.of(NAME_LABEL, DATA_PLANE))
                .addNewPort().withName("http").withPort(SERVICE_PORT).withTargetPort(new IntOrString("http"))
                .withProtocol("TCP").endPort()
                .endSpec()
                .build();
    }

    /**
     * The tenant's host on the region's ingress controller, {@code /v1} only, to its data plane's Service. TLS terminates there: the
     * certificate is the Secret {@value #TLS_SECRET} (issued by cert-manager when the annotations ask for it; otherwise
     * the controller's default certificate answers).
     */
    private static HasMetadata ingress(TenantNamespaceSpec spec) {
        TenantNamespaceSpec.Ingress ingress = spec.ingress();
        ObjectMeta metadata = meta(spec, DATA_PLANE, dataPlaneLabels(spec));
        if (!ingress.annotations().isEmpty()) {
            metadata.setAnnotations(new TreeMap<>(ingress.annotations()));
        }
        return new IngressBuilder()
                .withMetadata(metadata)
                .withNewSpec()
                .withIngressClassName(ingress.className())
                .addNewTl().withHosts(ingress.host()).withSecretName(TLS_SECRET).endTl()
                .addNewRule()
                .withHost(ingress.host())
                .withNewHttp()
                .addNewPath()
                // the public API only: health, metrics and the internal endpoints stay inside the cluster
                .withPath("/v1")
                .withPathType("Prefix")
                .withNewBackend().withNewService().withName(DATA_PLANE).withNewPort().withName("http").endPort()
                .endService().endBackend()
                .endPath()
                .endHttp()
                .endRule()
                .endSpec()
                .build();
    }

    private static HasMetadata horizontalPodAutoscaler(TenantNamespaceSpec spec) {
        return new HorizontalPodAutoscalerBuilder()
                .withMetadata(meta(spec, DATA_PLANE, dataPlaneLabels(spec)))
                .withNewSpec()
                .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName(DATA_PLANE)
                .endScaleTargetRef()
                .withMinReplicas(spec.dataPlane().minReplicas())
                .withMaxReplicas(spec.dataPlane().maxReplicas())
                .addNewMetric()
                .withType("Resource")
                .withNewResource()
                .withName("cpu")
                .withNewTarget().withType("Utilization")
                .withAverageUtilization(spec.dataPlane().targetCpuUtilizationPercent()).endTarget()
                .endResource()
                .endMetric()
                .endSpec()
                .build();
    }

    private static HasMetadata podDisruptionBudget(TenantNamespaceSpec spec) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(meta(spec, DATA_PLANE, dataPlaneLabels(spec)))
                .withNewSpec()
                .withMinAvailable(new IntOrString(spec.dataPlane().pdbMinAvailable()))
                .withSelector(selector(Map.of(NAME_LABEL, DATA_PLANE)))
                .endSpec()
                .build();
    }

    /**
     * A self-hosted deployment's model server: Deployment, Service and, unless scaled to zero, an autoscaler (CPU, like
     * the data plane's) and a disruption budget. The vLLM server runs as uid 1000 (the namespace enforces Pod Security
     * "restricted") with its home, where it downloads weights and keeps caches, on an emptyDir, no capabilities and no
     * privilege escalation; an {@code hf://} artifact is passed to it as the Hugging Face model id, anything else as
     * the URI.
     */
    static List<HasMetadata> modelServer(String namespace, Map<String, String> baseLabels, String owner, ModelServer server) {
        Map<String, String> labels = new TreeMap<>(baseLabels);
        labels.put(NAME_LABEL, server.name());
        labels.put(COMPONENT_LABEL, MODEL_SERVER);
        Map<String, String> podLabels = new TreeMap<>(Map.of(NAME_LABEL, server.name(), COMPONENT_LABEL, MODEL_SERVER,
                TENANT_LABEL, owner, "atrium.dev/gpu-type", server.pool().gpuType()));
        Map<String, Quantity> requests = resources(server.cpu(), server.memory());
        Map<String, Quantity> limits = resources(server.cpu(), server.memory());
        Quantity gpus = new Quantity(String.valueOf(server.gpuUnits()));
        requests.put(GPU_RESOURCE, gpus);
        limits.put(GPU_RESOURCE, gpus);
        String model = server.artifactUri().startsWith("hf://") ? server.artifactUri().substring(5) : server.artifactUri();
        List<String> args = new ArrayList<>(List.of("--model", model, "--served-model-name", server.servedModelName(), "--port",
                String.valueOf(ModelServer.PORT)));
        if (server.embedding()) {
            args.addAll(List.of("--task", "embed"));
        }
        Container container = new ContainerBuilder()
                .withName(MODEL_SERVER)
                .withImage(server.image())
                .withArgs(args)
                .addNewPort().withName("http").withContainerPort(ModelServer.PORT).withProtocol("TCP").endPort()
                .withNewResources().withRequests(requests).withLimits(limits).endResources()
                .withStartupProbe(new ProbeBuilder().withNewHttpGet().withPath("/health").withPort(new IntOrString("http")).endHttpGet()
                        .withPeriodSeconds(10).withFailureThreshold(90).build())
                .withReadinessProbe(probe("/health", 0))
                .withLivenessProbe(probe("/health", 0))
                .withEnv(env("HOME", MODEL_SERVER_HOME), env("HF_HOME", MODEL_SERVER_HOME + "/huggingface"))
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                .addNewVolumeMount().withName("shm").withMountPath("/dev/shm").endVolumeMount()
                .addNewVolumeMount().withName("home").withMountPath(MODEL_SERVER_HOME).endVolumeMount()
                .build();
        ObjectMeta metadata = objectMeta(namespace, server.name(), labels);
        metadata.setAnnotations(new TreeMap<>(Map.of(DEPLOYMENT_ANNOTATION, server.deployment())));
        var deployment = new DeploymentBuilder()
                .withMetadata(metadata)
                .withNewSpec()
                .withSelector(selector(Map.of(NAME_LABEL, server.name())))
                .withRevisionHistoryLimit(3)
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxSurge(new IntOrString(1)).withMaxUnavailable(new IntOrString(0)).endRollingUpdate().endStrategy()
                .withNewTemplate()
                .withNewMetadata().withLabels(podLabels).endMetadata()
                .withNewSpec()
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                // the namespace enforces Pod Security "restricted": a non-root user, its caches on a volume of its own
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(MODEL_SERVER_USER).withRunAsGroup(MODEL_SERVER_USER)
                .withFsGroup(MODEL_SERVER_USER).withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
                .withContainers(container)
                .addNewVolume().withName("shm").withNewEmptyDir().withMedium("Memory").withSizeLimit(new Quantity("8Gi")).endEmptyDir()
                .endVolume()
                .addNewVolume().withName("home").withNewEmptyDir().withSizeLimit(new Quantity("200Gi")).endEmptyDir().endVolume()
                .withNodeSelector(new TreeMap<>(server.pool().nodeSelector()))
                .withTolerations(server.pool().tolerations().stream()
                        .map(t -> new TolerationBuilder().withKey(t.key()).withOperator(t.operator()).withValue(t.value())
                                .withEffect(t.effect()).build()).toList())
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        if (server.scaledToZero()) {
            // no autoscaler while at zero (one would scale it back to its minimum): the count is Atrium's
            deployment.getSpec().setReplicas(0);
        }
        List<HasMetadata> objects = new ArrayList<>();
        objects.add(deployment);
        objects.add(new ServiceBuilder()
                .withMetadata(objectMeta(namespace, server.name(), labels))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(Map.of(NAME_LABEL, server.name()))
                .addNewPort().withName("http").withPort(SERVICE_PORT).withTargetPort(new IntOrString("http")).withProtocol("TCP").endPort()
                .endSpec()
                .build());
        if (!server.scaledToZero()) {
            objects.add(new HorizontalPodAutoscalerBuilder()
                    .withMetadata(objectMeta(namespace, server.name(), labels))
                    .withNewSpec()
                    .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName(server.name()).endScaleTargetRef()
                    .withMinReplicas(server.minReplicas())
                    .withMaxReplicas(server.maxReplicas())
                    .addNewMetric().withType("Resource").withNewResource().withName("cpu")
                    .withNewTarget().withType("Utilization").withAverageUtilization(80).endTarget().endResource().endMetric()
                    .endSpec()
                    .build());
            objects.add(new PodDisruptionBudgetBuilder()
                    .withMetadata(objectMeta(namespace, server.name(), labels))
                    .withNewSpec()
                    .withMaxUnavailable(new IntOrString(1))
                    .withSelector(selector(Map.of(NAME_LABEL, server.name())))
                    .endSpec()
                    .build());
        }
        return objects;
    }

    private static Map<String, String> dataPlaneLabels(TenantNamespaceSpec spec) {
        Map<String, String> labels = tenantLabels(spec);
        labels.put(NAME_LABEL, DATA_PLANE);
        labels.put(COMPONENT_LABEL, "data-plane");
        return labels;
    }

    private static ObjectMeta meta(TenantNamespaceSpec spec, String name) {
        return meta(spec, name, tenantLabels(spec));
    }

    private static ObjectMeta meta(TenantNamespaceSpec spec, String name, Map<String, String> labels) {
        return objectMeta(spec.namespace(), name, labels);
    }

    static ObjectMeta objectMeta(String namespace, String name, Map<String, String> labels) {
        return new ObjectMetaBuilder().withName(name).withNamespace(namespace).withLabels(labels).build();
    }

    static LabelSelector selector(Map<String, String> labels) {
        return new LabelSelectorBuilder().withMatchLabels(new TreeMap<>(labels)).build();
    }

    static NetworkPolicyPort port(String protocol, int port) {
        return new NetworkPolicyPortBuilder().withProtocol(protocol).withPort(new IntOrString(port)).build();
    }

    private static Map<String, Quantity> resources(String cpu, String memory) {
        Map<String, Quantity> resources = new TreeMap<>();
        resources.put("cpu", new Quantity(cpu));
        resources.put("memory", new Quantity(memory));
        return resources;
    }

    private static Probe probe(String path, int initialDelaySeconds) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(path).withPort(new IntOrString("http")).endHttpGet()
                .withInitialDelaySeconds(initialDelaySeconds)
                .withPeriodSeconds(10)
                .withFailureThreshold(3)
                .build();
    }

    private static EnvVar env(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static EnvVar secretEnv(String name, String secret, String key) {
        return new EnvVarBuilder().withName(name)
                .withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key).endSecretKeyRef().endValueFrom()
                .build();
    }
}
