package dev.atrium.controlplane.provisioning;

import java.util.List;
import java.util.Map;

import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.ByIpBlock;
import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.ByNamespace;
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

/** The two plan cases of the golden manifests, with fixed values so the rendering is reproducible. */
final class Fixtures {

    static final String REGION = "eu-test-1";
    static final String STANDARD_TENANT = "6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a6b";
    static final String ENTERPRISE_TENANT = "0a9b8c7d-6e5f-4a3b-9c1d-2e3f4a5b6c7d";
    /** Looks like a real key so that a leak would be found by searching for it. */
    static final String SERVICE_KEY = "atr_svc_LEAKCANARY_7Qx9Zr2Lm4Np6Ks8";
    static final String DB_PASSWORD = "db-LEAKCANARY-Vh3Jw5Ty7Ub9";

    private Fixtures() {
    }

    static TenantNamespaceSpec standard() {
        return standardBuilder().build();
    }

    static TenantNamespaceSpec.Builder standardBuilder() {
        return TenantNamespaceSpec.builder()
                .tenant(STANDARD_TENANT, "acme")
                .zone("eu")
                .plan("standard", Tier.DEDICATED)
                .region(REGION, "https://control.atrium.example")
                .quotas(new Quotas("8", "16Gi", 0, 20, 5, 4))
                .dataPlane(new DataPlane("registry.example/atrium/data-plane:1.4.0", 2, 4, 70, 1,
                        "500m", "1Gi", "2", "2Gi"))
                .cpuNodeSelector(Map.of("atrium.dev/pool", "cpu"))
                .ingress(new Ingress("acme.eu-test-1.atrium.example", null, Map.of()))
                .network(new Network("ingress-nginx", Map.of("app.kubernetes.io/name", "ingress-nginx"),
                        new ByIpBlock(List.of("203.0.113.10/32"), 443),
                        new IpEgress(List.of("10.96.0.1/32"), 6443),
                        "cnpg-system",
                        List.of()))
                .database(new Database(2, "20Gi", null, "1", "2Gi", SecretValue.of(DB_PASSWORD)))
                .serviceKey(SecretValue.of(SERVICE_KEY));
    }

    static TenantNamespaceSpec enterprise() {
        return enterpriseBuilder().build();
    }

    /**
     * The enterprise tenant with two self-hosted deployments: "support-llm.v2" (a name that is no DNS label) on the L4
     * pool with one GPU per replica, 1 to 3 replicas; and "chat" with a quarter of a shared A10G GPU (1 unit of 4),
     * scaled to zero when {@code chatIdle}.
     */
    static TenantNamespaceSpec withModelServers(boolean chatIdle) {
        GpuPool l4 = new GpuPool("nvidia-l4", Map.of("atrium.dev/gpu-pool", "l4"),
                List.of(new Toleration("nvidia.com/gpu", "Exists", null, "NoSchedule")), 1);
        GpuPool shared = new GpuPool("nvidia-a10g", Map.of("atrium.dev/gpu-pool", "a10g-shared"), List.of(), 1);
        return enterpriseBuilder().modelServers(List.of(
                new ModelServer("support-llm.v2", ModelServer.objectName("support-llm.v2"), "vllm/vllm-openai:v0.8.5",
                        "hf://meta-llama/Llama-3.1-8B-Instruct", "support-llm.v2", l4, 1, 1, 3, false, "4", "32Gi"),
                new ModelServer("chat", ModelServer.objectName("chat"), "vllm/vllm-openai:v0.8.5",
                        "s3://models/chat/2", "chat", shared, 1, 1, 2, chatIdle, "2", "16Gi"))).build();
    }

    /** The region's shared serving namespace with one platform model server on a shared (fractional) GPU pool. */
    static PlatformServingSpec platformServing(boolean idle) {
        GpuPool shared = new GpuPool("nvidia-a10g", Map.of("atrium.dev/gpu-pool", "a10g-shared"),
                List.of(new Toleration("nvidia.com/gpu", "Exists", null, "NoSchedule")), 1);
        return new PlatformServingSpec(REGION, "atrium-platform", "atrium-shared", List.of("atrium-globex", "atrium-acme"), List.of(
                new ModelServer("llama-small", ModelServer.objectName("llama-small"), "vllm/vllm-openai:v0.8.5",
                        "hf://meta-llama/Llama-3.2-1B-Instruct", "llama-small", shared, 2, 1, 4, idle, "4", "16Gi")));
    }

    static TenantNamespaceSpec.Builder enterpriseBuilder() {
        return TenantNamespaceSpec.builder()
                .tenant(ENTERPRISE_TENANT, "globex")
                .zone("us")
                .plan("enterprise", Tier.DEDICATED)
                .region(REGION, "https://control.atrium.example")
                .quotas(new Quotas("64", "256Gi", 4, 60, 10, 8))
                .dataPlane(new DataPlane("registry.example/atrium/data-plane:1.4.0", 2, 4, 60, 1,
                        "4", "16Gi", "8", "32Gi"))
                .gpuPool(new GpuPool("nvidia-l4", Map.of("atrium.dev/gpu-pool", "l4"),
                        List.of(new Toleration("nvidia.com/gpu", "Exists", null, "NoSchedule")), 1))
                .ingress(new Ingress("globex.eu-test-1.atrium.example", "nginx",
                        Map.of("cert-manager.io/cluster-issuer", "letsencrypt")))
                .network(new Network("ingress-nginx", Map.of("app.kubernetes.io/name", "ingress-nginx"),
                        new ByNamespace("atrium-system", Map.of("app.kubernetes.io/name", "atrium-control-plane"), 8080),
                        new IpEgress(List.of("10.96.0.1/32"), 6443),
                        "cnpg-system",
                        List.of(new IpEgress(List.of("198.51.100.0/24"), 443))))
                .database(new Database(3, "100Gi", "fast-ssd", "4", "16Gi", SecretValue.of(DB_PASSWORD)))
                .serviceKey(SecretValue.of(SERVICE_KEY));
    }
}
