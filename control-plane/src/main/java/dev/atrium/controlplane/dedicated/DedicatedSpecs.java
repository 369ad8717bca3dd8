package dev.atrium.controlplane.dedicated;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.atrium.controlplane.apikey.ApiKeyService;
import dev.atrium.controlplane.deployment.Deployment;
import dev.atrium.controlplane.deployment.DeploymentService;
import dev.atrium.controlplane.provisioning.InvalidSpecException;
import dev.atrium.controlplane.provisioning.KubernetesTarget;
import dev.atrium.controlplane.provisioning.SecretValue;
import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.ByIpBlock;
import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.DataPlane;
import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.Database;
import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.GpuPool;
import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.Ingress;
import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.IpEgress;
import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.ModelServer;
import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.Network;
import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.Quotas;
import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.Tier;
import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.Toleration;
import dev.atrium.controlplane.provisioning.TenantNamespaceSpec;
import dev.atrium.controlplane.region.KubernetesSettings;
import dev.atrium.controlplane.region.Region;
import dev.atrium.controlplane.secret.SecretService;
import dev.atrium.controlplane.tenant.Plan;

/**
 * Computes a dedicated tenant's {@link TenantNamespaceSpec} from the tenant, its primary region's settings and the
 * plan's sizing, and the region's {@link KubernetesTarget} from the platform secret its {@code credentialsSecret}
 * names. Nothing here is cached: every call reads the current settings and secrets.
 */
@ApplicationScoped
public class DedicatedSpecs {

    static final String ACTOR = "system:provisioning";

    @Inject
    ProvisioningConfig config;

    @Inject
    SecretService secrets;

    @Inject
    ApiKeyService apiKeys;

    @Inject
    DeploymentService deployments;

    /** The tenant fields a spec needs. */
    public record TenantFacts(UUID id, String slug, String zone, String plan) {
    }

    /** Why a spec or target could not be built: a Degraded condition's reason and message (no credential in it). */
    public static final class Unavailable extends Exception {
        private final String reason;

        Unavailable(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    /** The spec without its credentials: what the fingerprint covers. */
    public record Shape(String namespace, String fingerprint, Quotas quotas, DataPlane dataPlane, GpuPool gpuPool,
                        Map<String, String> cpuNodeSelector, Ingress ingress, Network network, DatabaseSize database,
                        List<ModelServer> modelServers) {
    }

    public record DatabaseSize(int instances, String storageSize, String cpu, String memory) {
    }

    /** The namespace of a tenant in a region: {@code <namespacePrefix>-<slug>}. */
    public static String namespace(KubernetesSettings settings, String slug) {
        return TenantNamespaceSpec.namespaceFor(prefix(settings), slug);
    }

    static String prefix(KubernetesSettings settings) {
        String prefix = settings.namespacePrefix();
        return prefix.endsWith("-") ? prefix : prefix + "-";
    }

    /** Everything but the credentials; the fingerprint is the SHA-256 of its canonical text. */
    public Shape shape(TenantFacts tenant, Region region) throws Unavailable {
        KubernetesSettings settings = region.kubernetes();
        if (settings.tenantDomain() == null) {
            throw new Unavailable("TenantDomainMissing", "region " + region.name()
                    + " has no kubernetes.tenantDomain: a dedicated data plane would have no address (PATCH the region)");
        }
        if (config.controlPlaneUrl().isEmpty() || config.controlPlaneCidrs().isEmpty()) {
            throw new Unavailable("ProvisioningNotConfigured",
                    "atrium.provisioning.control-plane-url and atrium.provisioning.control-plane-cidrs must be set");
        }
        try {
            String namespace = namespace(settings, tenant.slug());
            boolean enterprise = Plan.ENTERPRISE.value().equals(tenant.plan());
            GpuPool gpuPool = enterprise ? gpuPool(settings).orElse(null) : null;
            Quotas quotas = enterprise
                    ? new Quotas("64", "256Gi", gpuPool == null ? 0 : 4, 60, 10, 8)
                    : new Quotas("8", "16Gi", 0, 20, 5, 4);
            DataPlane dataPlane = enterprise
                    ? new DataPlane(settings.dataPlaneImage(), 2, 4, 60, 1, "4", "16Gi", "8", "32Gi")
                    : new DataPlane(settings.dataPlaneImage(), 2, 4, 70, 1, "500m", "1Gi", "2", "2Gi");
            DatabaseSize database = enterprise ? new DatabaseSize(3, "100Gi", "4", "16Gi") : new DatabaseSize(2, "20Gi", "1", "2Gi");
            List<ModelServer> modelServers = modelServers(tenant, region);
            // the quota makes room for every model server at its most replicas plus the one a rolling update adds,
            // on top of the plan's own
            int modelServerGpus = modelServers.stream().mapToInt(server -> server.gpuUnits() * (server.maxReplicas() + 1)).sum();
            if (modelServerGpus > 0) {
                java.math.BigDecimal cpu = cores(quotas.cpu());
                java.math.BigDecimal memory = mebibytes(quotas.memory());
                for (ModelServer server : modelServers) {
                    cpu = cpu.add(cores(server.cpu()).multiply(java.math.BigDecimal.valueOf(server.maxReplicas() + 1L)));
                    memory = memory.add(mebibytes(server.memory()).multiply(java.math.BigDecimal.valueOf(server.maxReplicas() + 1L)));
                }
                quotas = new Quotas(cpu.stripTrailingZeros().toPlainString(), memory.toBigInteger() + "Mi", quotas.gpus() + modelServerGpus,
                        quotas.pods() + modelServers.stream().mapToInt(server -> server.maxReplicas() + 1).sum(), quotas.services()
                        + modelServers.size(), quotas.persistentVolumeClaims());
            }
            String[] label = config.ingressPodLabel().split("=", 2);
            Network network = new Network(config.ingressNamespace(), Map.of(label[0], label.length > 1 ? label[1] : ""),
                    new ByIpBlock(config.controlPlaneCidrs().orElseThrow(), config.controlPlanePort()),
                    new IpEgress(config.apiServerCidrs(), config.apiServerPort()), config.databaseOperatorNamespace(), List.of(),
                    settings.platformServingNamespace().orElse(null));
            Map<String, String> cpuNodeSelector = settings.cpuPool() == null || settings.cpuPool().nodeSelector() == null
                    ? Map.of() : new TreeMap<>(settings.cpuPool().nodeSelector());
            Ingress ingress = new Ingress(settings.tenantHost(tenant.slug()).orElseThrow(), settings.ingressClassName(),
                    config.tlsClusterIssuer().map(issuer -> Map.of("cert-manager.io/cluster-issuer", issuer)).orElse(Map.of()));
            String canonical = String.join("\n", tenant.id().toString(), tenant.slug(), tenant.zone(), tenant.plan(), namespace,
                    region.name(), config.controlPlaneUrl().orElseThrow(), quotas.toString(), dataPlane.toString(),
                    String.valueOf(gpuPool), cpuNodeSelector.toString(), ingress.host(), String.valueOf(ingress.className()),
                    new TreeMap<>(ingress.annotations()).toString(), network.toString(), database.toString(), modelServers.toString());
            return new Shape(namespace, sha256(canonical), quotas, dataPlane, gpuPool, cpuNodeSelector, ingress, network, database,
                    modelServers);
        } catch (IllegalArgumentException e) {
            throw new Unavailable("InvalidSpec", e.getMessage());
        }
    }

    /**
     * The tenant's namespace in {@code region} is gone: the data plane's service key issued for it is revoked and the
     * secrets kept for it (service key, database password) are destroyed, so nothing of it can act or be read again.
     */
    void forgetCredentials(UUID tenantId, String region) {
        apiKeys.revokeInfrastructureServiceKeys(tenantId, region, serviceKeyName(region), ACTOR);
        secrets.destroyInfrastructureSecrets(tenantId, region, ACTOR);
    }

    private static String serviceKeyName(String region) {
        return "dedicated data plane " + region;
    }

    public TenantNamespaceSpec spec(TenantFacts tenant, Region region, Shape shape) throws Unavailable {
        try {
            String serviceKey = secrets.tenantInfrastructureSecret(tenant.id(), SecretService.INFRASTRUCTURE_PREFIX + region.name() + ".service-key",
                    () -> apiKeys.issueInfrastructureServiceKey(tenant.id(), region.name(), serviceKeyName(region.name()), ACTOR));
            String databasePassword = secrets.tenantInfrastructureSecret(tenant.id(),
                    SecretService.INFRASTRUCTURE_PREFIX + region.name() + ".database-password", DedicatedSpecs::randomPassword);
            DatabaseSize size = shape.database();
            return TenantNamespaceSpec.builder()
                    .tenant(tenant.id().toString(), tenant.slug())
                    .zone(tenant.zone())
                    .plan(tenant.plan(), Tier.DEDICATED)
                    .namespacePrefix(prefix(region.kubernetes()))
                    .region(region.name(), config.controlPlaneUrl().orElseThrow())
                    .quotas(shape.quotas())
                    .dataPlane(shape.dataPlane())
                    .gpuPool(shape.gpuPool())
                    .cpuNodeSelector(shape.cpuNodeSelector())
                    .ingress(shape.ingress())
                    .network(shape.network())
                    .database(new Database(size.instances(), size.storageSize(), null, size.cpu(), size.memory(),
                            SecretValue.of(databasePassword)))
                    .serviceKey(SecretValue.of(serviceKey))
                    .modelServers(shape.modelServers())
                    .build();
        } catch (InvalidSpecException e) {
            throw new Unavailable("InvalidSpec", e.getMessage());
        } catch (RuntimeException e) {
            throw new Unavailable("SecretStoreUnavailable", "the tenant's data-plane credentials could not be read or created ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * The region's API server and credentials: the platform secret named by {@code credentialsSecret} holds either a
     * kubeconfig (inline data only; its current context's server is used) or a bearer token for {@code apiServer}.
     */
    public Target target(Region region) throws Unavailable {
        KubernetesSettings settings = region.kubernetes();
        Optional<String> credentials;
        try {
            credentials = secrets.findOperatorSecret(settings.credentialsSecret());
        } catch (RuntimeException e) {
            throw new Unavailable("SecretStoreUnavailable", "platform secret '" + settings.credentialsSecret()
                    + "' could not be read (" + e.getClass().getSimpleName() + ")");
        }
        if (credentials.isEmpty()) {
            throw new Unavailable("CredentialsSecretMissing", "platform secret '" + settings.credentialsSecret()
                    + "' named by region " + region.name() + "'s credentialsSecret does not exist (or is one the platform generated "
                    + "for itself, which is never used as credentials)");
        }
        String value = credentials.get().strip();
        Redactor redactor = Redactor.of(value);
        try {
            KubernetesTarget target = looksLikeKubeconfig(value)
                    ? KubernetesTarget.fromKubeconfig(region.name(), SecretValue.of(value), prefix(settings))
                    : KubernetesTarget.withToken(region.name(), settings.apiServer(), SecretValue.of(value), null, prefix(settings));
            return new Target(target, redactor);
        } catch (InvalidSpecException e) {
            throw new Unavailable("InvalidCredentials", redactor.scrub("platform secret '" + settings.credentialsSecret()
                    + "' is not usable: " + e.getMessage()));
        }
    }

    /** A target and what must be scrubbed from any message about it. */
    public record Target(KubernetesTarget target, Redactor redactor) {
    }

    /** Replaces every long word of a credential (a token, a key, a certificate) in a message that leaves. */
    public record Redactor(List<String> words) {

        static Redactor of(String credentials) {
            List<String> words = new ArrayList<>();
            words.add(credentials);
            for (String word : credentials.split("[\\s\"':,]+")) {
                // tokens, keys and certificate data; not YAML keys like certificate-authority-data, not URLs
                if (word.length() >= 16 && !word.startsWith("http") && !word.matches("[A-Za-z-]+")) {
                    words.add(word);
                }
            }
            words.sort((a, b) -> b.length() - a.length());
            return new Redactor(List.copyOf(words));
        }

        public String scrub(String message) {
            String text = message == null ? "" : message;
            for (String word : words) {
                text = text.replace(word, "[redacted]");
            }
            return text;
        }
    }

    private static boolean looksLikeKubeconfig(String value) {
        return value.contains("clusters:") || value.contains("current-context");
    }

    /**
     * The tenant's self-hosted deployments as model servers of this region: on the pool of the deployment's name, the
     * region's model server image, GPUs in the pool's units (shares where it shares GPUs). A deployment whose pool
     * the region lacks (changed since it was saved) gets no server here.
     */
    private List<ModelServer> modelServers(TenantFacts tenant, Region region) {
        List<DeploymentService.ServerPlan> plans = dev.atrium.controlplane.identity.TenantScope.asPlatform(() ->
                io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> deployments.serverPlans(tenant.id())));
        return modelServers(plans, region.kubernetes());
    }

    /** Self-hosted deployments' plans as model servers of a region (the tenant's, or the platform's). */
    static List<ModelServer> modelServers(List<DeploymentService.ServerPlan> plans, KubernetesSettings settings) {
        List<ModelServer> servers = new ArrayList<>();
        for (DeploymentService.ServerPlan plan : plans) {
            Deployment deployment = plan.deployment();
            Deployment.SelfHosted wanted = deployment.selfHosted();
            Optional<KubernetesSettings.GpuPool> pool = settings.gpuPool(wanted.gpuPool());
            if (pool.isEmpty() || pool.get().nodeSelector() == null || pool.get().nodeSelector().isEmpty()) {
                continue;
            }
            int units = wanted.gpus().multiply(java.math.BigDecimal.valueOf(pool.get().sharesPerGpu()))
                    .setScale(0, java.math.RoundingMode.CEILING).intValueExact();
            GpuPool gpus = new GpuPool(pool.get().gpuType(), pool.get().nodeSelector(), pool.get().tolerations().stream()
                    .map(t -> new Toleration(t.key(), t.operator() == null ? "Equal" : t.operator(), t.value(),
                            t.effect() == null ? "NoSchedule" : t.effect())).toList(), Math.max(1, units));
            servers.add(new ModelServer(deployment.name(), plan.objectName(), settings.modelServerImageOrDefault(),
                    plan.artifactUri(), deployment.name(), gpus, Math.max(1, units), Math.max(1, wanted.minReplicas()),
                    Math.max(1, wanted.maxReplicas()), plan.scaledToZero(), wanted.cpu(), wanted.memory(), plan.embedding(),
                    plan.version()));
        }
        return servers;
    }

    /** A CPU quantity ({@code 4}, {@code 0.5}, {@code 500m}) in cores. */
    static java.math.BigDecimal cores(String quantity) {
        return quantity.endsWith("m") ? new java.math.BigDecimal(quantity.substring(0, quantity.length() - 1)).movePointLeft(3)
                : new java.math.BigDecimal(quantity);
    }

    /** A memory quantity ({@code 16Gi}, {@code 512Mi}) in MiB. */
    static java.math.BigDecimal mebibytes(String quantity) {
        if (quantity.endsWith("Gi")) {
            return new java.math.BigDecimal(quantity.substring(0, quantity.length() - 2)).multiply(java.math.BigDecimal.valueOf(1024));
        }
        if (quantity.endsWith("Mi")) {
            return new java.math.BigDecimal(quantity.substring(0, quantity.length() - 2));
        }
        throw new IllegalArgumentException("memory quantity " + quantity + " is not in Mi or Gi");
    }

    private static Optional<GpuPool> gpuPool(KubernetesSettings settings) {
        return settings.gpuPools().stream().filter(pool -> pool.capacity() > 0 && pool.nodeSelector() != null
                        && !pool.nodeSelector().isEmpty()).findFirst()
                .map(pool -> new GpuPool(pool.gpuType(), pool.nodeSelector(), pool.tolerations().stream()
                        .map(t -> new Toleration(t.key(), t.operator() == null ? "Equal" : t.operator(), t.value(),
                                t.effect() == null ? "NoSchedule" : t.effect())).toList(), 1));
    }

    private static String randomPassword() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
