package dev.atrium.controlplane.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.provisioning.ObjectChange.Action;

/**
 * A region's shared serving namespace (the platform's self-hosted model servers) applied through the real Fabric8
 * client to {@link KubernetesApiSimulation}, a SIMULATION of the Kubernetes API server (no real cluster runs here).
 */
class PlatformServingProvisionerTest {

    private KubernetesApiSimulation simulation;
    private final KubernetesTenantProvisioner provisioner = new KubernetesTenantProvisioner(Duration.ofSeconds(2));

    @BeforeEach
    void start() {
        simulation = new KubernetesApiSimulation();
    }

    @AfterEach
    void stop() {
        simulation.close();
    }

    @Test
    void theSharedServingNamespaceIsRenderedAsItsGoldenFile() throws IOException {
        GoldenManifestsTest.assertMatchesGolden("platform-serving.yaml",
                ManifestYaml.render(PlatformServingManifests.render(Fixtures.platformServing(false))));
    }

    @Test
    void thePlatformsModelServerLandsAsTheGoldenFileAndOnlyDataPlanesMayCallIt() throws IOException {
        ApplyReport report = provisioner.applyPlatformServing(simulation.target(), Fixtures.platformServing(false));

        GoldenManifestsTest.assertMatchesStored("platform-serving.yaml",
                LiveObjects.renderStored(simulation, PlatformServingManifests.render(Fixtures.platformServing(false))));
        String name = TenantNamespaceSpec.ModelServer.objectName("llama-small");
        var pod = simulation.client().apps().deployments().inNamespace("atrium-platform").withName(name).get().getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers().getFirst().getResources().getLimits().get("nvidia.com/gpu").getAmount())
                .as("two shares of a GPU the pool shares").isEqualTo("2");
        assertThat(pod.getNodeSelector()).isEqualTo(Map.of("atrium.dev/gpu-pool", "a10g-shared"));
        assertThat(report.modelServers()).singleElement().satisfies(s -> {
            assertThat(s.deployment()).isEqualTo("llama-small");
            assertThat(s.state()).isEqualTo(ModelServerStatus.READY);
        });
        NetworkPolicy ingress = simulation.client().network().v1().networkPolicies().inNamespace("atrium-platform")
                .withName("model-servers-from-data-planes").get();
        var peers = ingress.getSpec().getIngress().getFirst().getFrom();
        assertThat(peers).hasSize(2);
        assertThat(peers.get(0).getNamespaceSelector().getMatchLabels()).isEqualTo(Map.of("kubernetes.io/metadata.name", "atrium-shared"));
        // the dedicated tenants' namespaces by name: a label anyone creating a namespace could copy is not trusted
        assertThat(peers.get(1).getNamespaceSelector().getMatchLabels()).isNullOrEmpty();
        assertThat(peers.get(1).getNamespaceSelector().getMatchExpressions()).singleElement().satisfies(e -> {
            assertThat(e.getKey()).isEqualTo("kubernetes.io/metadata.name");
            assertThat(e.getOperator()).isEqualTo("In");
            assertThat(e.getValues()).containsExactly("atrium-acme", "atrium-globex");
        });
        assertThat(peers.get(1).getPodSelector().getMatchLabels()).isEqualTo(Map.of("app.kubernetes.io/name", "atrium-data-plane"));
        assertThat(simulation.client().network().v1().networkPolicies().inNamespace("atrium-platform").withName("default-deny").get())
                .isNotNull();
        assertThat(simulation.client().namespaces().withName("atrium-platform").get().getMetadata().getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce", "restricted");

        ApplyReport again = provisioner.applyPlatformServing(simulation.target(), Fixtures.platformServing(false));
        assertThat(again.changedAnything()).as("a second apply finds nothing to do").isFalse();
    }

    @Test
    void thePlatformsModelServerScalesToZeroAndBackAndGoesWithItsDeployment() {
        String name = TenantNamespaceSpec.ModelServer.objectName("llama-small");
        provisioner.applyPlatformServing(simulation.target(), Fixtures.platformServing(false));

        ApplyReport idle = provisioner.applyPlatformServing(simulation.target(), Fixtures.platformServing(true));

        assertThat(replicas(name)).isZero();
        assertThat(idle.changes()).contains(new ObjectChange("HorizontalPodAutoscaler", name, Action.DELETED, List.of()));
        assertThat(idle.modelServers()).singleElement().satisfies(s -> assertThat(s.state()).isEqualTo(ModelServerStatus.SCALED_TO_ZERO));

        provisioner.applyPlatformServing(simulation.target(), Fixtures.platformServing(false));
        assertThat(replicas(name)).isEqualTo(1);

        PlatformServingSpec none = new PlatformServingSpec(Fixtures.REGION, "atrium-platform", "atrium-shared", List.of(), List.of());
        ApplyReport removed = provisioner.applyPlatformServing(simulation.target(), none);

        assertThat(removed.changes()).filteredOn(c -> c.action() == Action.DELETED).extracting(c -> c.kind() + "/" + c.name())
                .contains("Deployment/" + name, "Service/" + name, "HorizontalPodAutoscaler/" + name, "PodDisruptionBudget/" + name);
        assertThat(simulation.client().apps().deployments().inNamespace("atrium-platform").withName(name).get()).isNull();

        DeprovisionReport gone = provisioner.removePlatformServing(simulation.target(), "atrium-platform");
        assertThat(gone.gone()).isTrue();
        assertThat(simulation.client().namespaces().withName("atrium-platform").get()).isNull();
    }

    @Test
    void aNamespaceOfThatNameAtriumDidNotMakeIsNeitherTakenOverNorRemoved() {
        simulation.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("atrium-platform")
                .withLabels(Map.of("team", "ml")).endMetadata().build()).create();

        assertThatThrownBy(() -> provisioner.applyPlatformServing(simulation.target(), Fixtures.platformServing(false)))
                .isInstanceOfSatisfying(ProvisioningException.class, e -> assertThat(e.reason()).isEqualTo("NamespaceOwnedElsewhere"));
        assertThatThrownBy(() -> provisioner.removePlatformServing(simulation.target(), "atrium-platform"))
                .isInstanceOfSatisfying(ProvisioningException.class, e -> assertThat(e.reason()).isEqualTo("NamespaceOwnedElsewhere"));
        assertThat(simulation.client().namespaces().withName("atrium-platform").get().getMetadata().getLabels())
                .isEqualTo(Map.of("team", "ml"));
        assertThat(simulation.applies()).isEmpty();
    }

    @Test
    void aSharedServingNamespaceOutsideTheRegionsPrefixIsRefusedBeforeAnyCall() {
        PlatformServingSpec elsewhere = new PlatformServingSpec(Fixtures.REGION, "kube-system", "atrium-shared", List.of(), List.of());

        assertThatThrownBy(() -> provisioner.applyPlatformServing(simulation.target(), elsewhere))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("kube-system");
        assertThat(simulation.requests()).isEmpty();
    }

    @Test
    void aTenantsDataPlaneMayCallThePlatformsModelServersOnlyWhereTheRegionRunsThem() {
        TenantNamespaceSpec.Network base = Fixtures.enterprise().network();
        TenantNamespaceSpec withPlatformModels = Fixtures.enterpriseBuilder().network(new TenantNamespaceSpec.Network(
                base.ingressNamespace(), base.ingressPodLabels(), base.controlPlane(), base.apiServer(),
                base.databaseOperatorNamespace(), base.modelBackends(), "atrium-platform")).build();

        NetworkPolicy egress = TenantManifests.render(withPlatformModels).stream().filter(NetworkPolicy.class::isInstance)
                .map(NetworkPolicy.class::cast).filter(p -> p.getMetadata().getName().equals("data-plane-to-platform-models"))
                .findFirst().orElseThrow();
        var to = egress.getSpec().getEgress().getFirst();
        assertThat(to.getTo().getFirst().getNamespaceSelector().getMatchLabels())
                .isEqualTo(Map.of("kubernetes.io/metadata.name", "atrium-platform"));
        assertThat(to.getTo().getFirst().getPodSelector().getMatchLabels()).isEqualTo(Map.of("app.kubernetes.io/component", "model-server"));
        assertThat(to.getPorts().getFirst().getPort().getIntVal()).isEqualTo(8000);
        assertThat(TenantManifests.render(Fixtures.enterprise())).noneMatch(o -> o.getMetadata().getName().equals("data-plane-to-platform-models"));
    }

    private int replicas(String deployment) {
        Integer replicas = simulation.client().apps().deployments().inNamespace("atrium-platform").withName(deployment).get()
                .getSpec().getReplicas();
        return replicas == null ? -1 : replicas;
    }
}
