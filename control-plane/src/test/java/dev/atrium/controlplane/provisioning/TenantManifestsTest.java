package dev.atrium.controlplane.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Properties every rendering must keep, whatever the golden files say: they guard the rules a reviewer of a
 * regenerated golden file could miss. Pure rendering; no API server.
 */
class TenantManifestsTest {

    @ParameterizedTest
    @ValueSource(strings = {"standard", "enterprise"})
    void everyObjectCarriesAtriumsLabelsAndLivesInTheTenantsNamespace(String plan) {
        TenantNamespaceSpec spec = spec(plan);
        for (HasMetadata object : TenantManifests.render(spec)) {
            assertThat(object.getMetadata().getLabels()).containsAllEntriesOf(TenantManifests.tenantLabels(spec));
            if (!"Namespace".equals(object.getKind())) {
                assertThat(object.getMetadata().getNamespace()).isEqualTo(spec.namespace());
            }
        }
        assertThat(TenantManifests.render(spec).getFirst().getMetadata().getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    }

    @ParameterizedTest
    @ValueSource(strings = {"standard", "enterprise"})
    void theDataPlanePodSatisfiesPodSecurityRestricted(String plan) {
        PodSpec pod = deployment(spec(plan)).getSpec().getTemplate().getSpec();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
        for (Container container : pod.getContainers()) {
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(container.getSecurityContext().getCapabilities().getAdd()).isEmpty();
            assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
            assertThat(container.getEnv()).noneSatisfy(env ->
                    assertThat(String.valueOf(env.getValue())).contains("LEAKCANARY"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"standard", "enterprise"})
    void gpuSchedulingOnlyWithAGpuPoolAndTheCpuPoolOtherwise(String plan) {
        TenantNamespaceSpec spec = spec(plan);
        PodSpec pod = deployment(spec).getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().getFirst();
        if (spec.hasGpuPool()) {
            assertThat(pod.getNodeSelector()).isEqualTo(spec.gpuPool().nodeSelector());
            assertThat(pod.getTolerations()).isNotEmpty();
            assertThat(container.getResources().getLimits()).containsKey("nvidia.com/gpu");
        } else {
            assertThat(pod.getNodeSelector()).isEqualTo(Map.of("atrium.dev/pool", "cpu"));
            assertThat(pod.getTolerations()).isEmpty();
            assertThat(container.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
        }
    }

    @Test
    void theDatabaseRunsOnTheCpuPoolAndTheTenantsHostRoutesToItsDataPlane() {
        TenantNamespaceSpec spec = Fixtures.standard();
        GenericKubernetesResource cluster = TenantManifests.render(spec).stream()
                .filter(o -> "Cluster".equals(o.getKind())).map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
        assertThat((Object) cluster.get("spec", "affinity", "nodeSelector")).isEqualTo(Map.of("atrium.dev/pool", "cpu"));
        assertThat((Object) TenantManifests.render(Fixtures.enterprise()).stream().filter(o -> "Cluster".equals(o.getKind()))
                .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow().get("spec", "affinity")).isNull();

        Ingress ingress = TenantManifests.render(spec).stream().filter(Ingress.class::isInstance).map(Ingress.class::cast)
                .findFirst().orElseThrow();
        assertThat(ingress.getSpec().getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getHost()).isEqualTo("acme.eu-test-1.atrium.example");
            assertThat(rule.getHttp().getPaths()).singleElement().satisfies(path -> {
                assertThat(path.getPath()).isEqualTo("/v1");
                assertThat(path.getBackend().getService().getName()).isEqualTo("atrium-data-plane");
                assertThat(path.getBackend().getService().getPort().getName()).isEqualTo("http");
            });
        });
        assertThat(ingress.getSpec().getTls()).singleElement().satisfies(tls ->
                assertThat(tls.getHosts()).containsExactly("acme.eu-test-1.atrium.example"));
        // the dedicated data plane knows whose it is: it serves that tenant only
        assertThat(deployment(spec).getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv())
                .anySatisfy(env -> {
                    assertThat(env.getName()).isEqualTo("ATRIUM_DEDICATED_TENANT");
                    assertThat(env.getValue()).isEqualTo(Fixtures.STANDARD_TENANT);
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"standard", "enterprise"})
    void aDefaultDenyPolicyCoversEveryPodInBothDirections(String plan) {
        NetworkPolicy deny = TenantManifests.render(spec(plan)).stream()
                .filter(o -> o instanceof NetworkPolicy && "default-deny".equals(o.getMetadata().getName()))
                .map(NetworkPolicy.class::cast).findFirst().orElseThrow();
        assertThat(deny.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
        assertThat(deny.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(deny.getSpec().getIngress()).isEmpty();
        assertThat(deny.getSpec().getEgress()).isEmpty();
    }

    private static Deployment deployment(TenantNamespaceSpec spec) {
        return TenantManifests.render(spec).stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .findFirst().orElseThrow();
    }

    private static TenantNamespaceSpec spec(String plan) {
        return List.of("standard").contains(plan) ? Fixtures.standard() : Fixtures.enterprise();
    }
}
