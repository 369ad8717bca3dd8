package dev.atrium.controlplane.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.provisioning.ObjectChange.Action;

/**
 * {@link KubernetesTenantProvisioner} through the real Fabric8 client against {@link KubernetesApiSimulation}, a
 * SIMULATION of the Kubernetes API server (Fabric8's mock server in CRUD mode; no real cluster runs here).
 */
class KubernetesTenantProvisionerTest {

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
    void standardPlanLandsAsTheGoldenManifests() throws IOException {
        ApplyReport report = provisioner.apply(simulation.target(), Fixtures.standard());

        assertThat(report.objects()).hasSize(TenantManifests.render(Fixtures.standard()).size() + 1);
        assertThat(report.objects()).filteredOn(o -> o.action() != Action.SCALED)
                .allMatch(o -> o.action() == Action.CREATED);
        assertThat(report.changes()).contains(new ObjectChange("Deployment", "atrium-data-plane", Action.SCALED,
                List.of("spec.replicas")));
        GoldenManifestsTest.assertMatchesStored("standard.yaml", LiveObjects.renderStored(simulation, Fixtures.standard()));
        assertThat(replicas("atrium-acme")).isEqualTo(2);
    }

    @Test
    void enterprisePlanWithGpuPoolLandsAsTheGoldenManifests() throws IOException {
        provisioner.apply(simulation.target(), Fixtures.enterprise());

        GoldenManifestsTest.assertMatchesStored("enterprise-gpu.yaml",
                LiveObjects.renderStored(simulation, Fixtures.enterprise()));
    }

    @Test
    void selfHostedModelServersLandOnTheirGpuPoolsAsTheGoldenManifests() throws IOException {
        TenantNamespaceSpec spec = Fixtures.withModelServers(false);
        ApplyReport report = provisioner.apply(simulation.target(), spec);

        GoldenManifestsTest.assertMatchesStored("enterprise-model-servers.yaml", LiveObjects.renderStored(simulation, spec));
        String name = TenantNamespaceSpec.ModelServer.objectName("support-llm.v2");
        assertThat(name).as("a deployment name that is no DNS label gets a cleaned name with a digest").matches("model-support-llm-v2-[0-9a-f]{8}");
        var pod = simulation.client().apps().deployments().inNamespace("atrium-globex").withName(name).get().getSpec().getTemplate().getSpec();
        assertThat(pod.getNodeSelector()).isEqualTo(Map.of("atrium.dev/gpu-pool", "l4"));
        assertThat(pod.getTolerations()).singleElement().satisfies(t -> assertThat(t.getKey()).isEqualTo("nvidia.com/gpu"));
        assertThat(pod.getContainers().getFirst().getResources().getLimits().get("nvidia.com/gpu").getAmount()).isEqualTo("1");
        assertThat(pod.getContainers().getFirst().getArgs()).containsSequence("--model", "meta-llama/Llama-3.1-8B-Instruct")
                .containsSequence("--served-model-name", "support-llm.v2");
        assertThat(replicas("atrium-globex", name)).as("brought into its autoscaler's bounds").isEqualTo(1);
        assertThat(report.modelServers()).extracting(ModelServerStatus::deployment).containsExactly("support-llm.v2", "chat");
        assertThat(report.modelServers()).extracting(ModelServerStatus::state).containsOnly(ModelServerStatus.READY);
        // the data plane's health is not the model servers' business: the namespace is judged without them
        assertThat(KubernetesTenantProvisioner.health(simulation.client(), spec))
                .isEqualTo(KubernetesTenantProvisioner.health(simulation.client(), Fixtures.enterprise()));
    }

    @Test
    void aModelServerScalesToZeroAndBackAndGoesWithItsDeployment() {
        String chat = TenantNamespaceSpec.ModelServer.objectName("chat");
        provisioner.apply(simulation.target(), Fixtures.withModelServers(false));
        assertThat(simulation.client().autoscaling().v2().horizontalPodAutoscalers().inNamespace("atrium-globex").withName(chat).get())
                .isNotNull();

        ApplyReport idle = provisioner.apply(simulation.target(), Fixtures.withModelServers(true));

        assertThat(replicas("atrium-globex", chat)).isZero();
        assertThat(idle.changes()).contains(new ObjectChange("HorizontalPodAutoscaler", chat, Action.DELETED, List.of()),
                new ObjectChange("PodDisruptionBudget", chat, Action.DELETED, List.of()));
        assertThat(simulation.client().autoscaling().v2().horizontalPodAutoscalers().inNamespace("atrium-globex").withName(chat).get())
                .as("no autoscaler while at zero: it would scale the server back up").isNull();
        assertThat(idle.modelServers()).filteredOn(s -> s.deployment().equals("chat")).singleElement()
                .satisfies(s -> assertThat(s.state()).isEqualTo(ModelServerStatus.SCALED_TO_ZERO));
        assertThat(replicas("atrium-globex", TenantNamespaceSpec.ModelServer.objectName("support-llm.v2"))).isEqualTo(1);

        ApplyReport woken = provisioner.apply(simulation.target(), Fixtures.withModelServers(false));

        assertThat(replicas("atrium-globex", chat)).isEqualTo(1);
        assertThat(woken.changes()).contains(new ObjectChange("Deployment", chat, Action.SCALED, List.of("spec.replicas")));
        assertThat(simulation.client().autoscaling().v2().horizontalPodAutoscalers().inNamespace("atrium-globex").withName(chat).get())
                .isNotNull();

        ApplyReport removed = provisioner.apply(simulation.target(), Fixtures.enterprise());

        assertThat(removed.changes()).filteredOn(c -> c.action() == Action.DELETED).extracting(c -> c.kind() + "/" + c.name())
                .contains("Deployment/" + chat, "Service/" + chat, "HorizontalPodAutoscaler/" + chat,
                        "NetworkPolicy/data-plane-to-model-servers", "NetworkPolicy/model-servers-to-artifact-stores");
        assertThat(LiveObjects.labelledWith(simulation, Fixtures.ENTERPRISE_TENANT))
                .as("exactly the tenant's objects without model servers remain").hasSize(TenantManifests.render(Fixtures.enterprise()).size());
        assertThat(removed.modelServers()).isEmpty();
    }

    @Test
    void everyWriteIsAForcedServerSideApplyAsAtrium() {
        provisioner.apply(simulation.target(), Fixtures.standard());

        assertThat(simulation.applies()).hasSize(TenantManifests.render(Fixtures.standard()).size());
        assertThat(simulation.applies()).allMatch(path -> path.contains("fieldManager=atrium") && path.contains("force=true"));
        assertThat(simulation.applies().getFirst()).startsWith("/api/v1/namespaces/atrium-acme?");
        assertThat(simulation.requests()).filteredOn(r -> r.startsWith("PUT ") || r.startsWith("POST "))
                .as("no write other than apply and the replica bounds check").isEmpty();
    }

    @Test
    void aSecondApplyFindsNothingToDoAndWritesNothing() {
        provisioner.apply(simulation.target(), Fixtures.standard());
        int requestsBefore = simulation.requests().size();

        ApplyReport again = provisioner.apply(simulation.target(), Fixtures.standard());

        assertThat(again.changedAnything()).isFalse();
        assertThat(again.objects()).allMatch(o -> o.action() == Action.UNCHANGED);
        assertThat(simulation.requests().subList(requestsBefore, simulation.requests().size()))
                .allMatch(r -> r.startsWith("GET "));
    }

    @Test
    void driftIsReportedWithItsPathsAndRepaired() throws IOException {
        TenantNamespaceSpec spec = Fixtures.standard();
        provisioner.apply(simulation.target(), spec);
        simulation.client().network().v1().networkPolicies().inNamespace("atrium-acme").withName("allow-dns").delete();
        simulation.client().resourceQuotas().inNamespace("atrium-acme").withName("atrium-quota")
                .edit(q -> {
                    q.getSpec().getHard().put("limits.cpu", new Quantity("64"));
                    return q;
                });
        simulation.client().apps().deployments().inNamespace("atrium-acme").withName("atrium-data-plane")
                .edit(d -> {
                    d.getSpec().setReplicas(0);
                    return d;
                });

        ApplyReport repair = provisioner.apply(simulation.target(), spec);

        assertThat(repair.changes()).containsExactlyInAnyOrder(
                new ObjectChange("ResourceQuota", "atrium-quota", Action.CHANGED, List.of("spec.hard.limits.cpu")),
                new ObjectChange("NetworkPolicy", "allow-dns", Action.CREATED, List.of()),
                new ObjectChange("Deployment", "atrium-data-plane", Action.SCALED, List.of("spec.replicas")));
        GoldenManifestsTest.assertMatchesStored("standard.yaml", LiveObjects.renderStored(simulation, spec));
        assertThat(replicas("atrium-acme")).isEqualTo(2);
    }

    @Test
    void aFieldAtriumStopsSettingIsDroppedWhenTheSpecChanges() {
        TenantNamespaceSpec withGpu = Fixtures.enterprise();
        provisioner.apply(simulation.target(), withGpu);
        TenantNamespaceSpec withoutGpu = TenantNamespaceSpec.builder()
                .tenant(withGpu.tenantId(), withGpu.slug())
                .zone(withGpu.zone())
                .plan(withGpu.plan(), withGpu.tier())
                .region(withGpu.region(), withGpu.controlPlaneUrl())
                .quotas(withGpu.quotas())
                .dataPlane(withGpu.dataPlane())
                .ingress(withGpu.ingress())
                .network(withGpu.network())
                .database(withGpu.database())
                .serviceKey(withGpu.serviceKey())
                .build();

        ApplyReport report = provisioner.apply(simulation.target(), withoutGpu);

        assertThat(report.changes()).singleElement().satisfies(change -> {
            assertThat(change.kind()).isEqualTo("Deployment");
            assertThat(change.fields()).containsExactly("metadata.annotations.atrium.dev/desired-hash");
        });
        var pod = simulation.client().apps().deployments().inNamespace("atrium-globex").withName("atrium-data-plane")
                .get().getSpec().getTemplate().getSpec();
        assertThat(pod.getNodeSelector()).isNullOrEmpty();
        assertThat(pod.getTolerations()).isNullOrEmpty();
        assertThat(pod.getContainers().getFirst().getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
    }

    @Test
    void aReplicaCountWithinTheAutoscalersBoundsIsLeftAlone() {
        provisioner.apply(simulation.target(), Fixtures.standard());
        simulation.client().apps().deployments().inNamespace("atrium-acme").withName("atrium-data-plane")
                .edit(d -> {
                    d.getSpec().setReplicas(3);
                    return d;
                });

        ApplyReport again = provisioner.apply(simulation.target(), Fixtures.standard());

        assertThat(again.changedAnything()).isFalse();
        assertThat(replicas("atrium-acme")).isEqualTo(3);
    }

    @Test
    void aNamespaceThatIsNotTheTenantsIsNotTakenOver() {
        simulation.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("atrium-acme")
                .withLabels(Map.of("team", "payments")).endMetadata().build()).create();

        assertThatThrownBy(() -> provisioner.apply(simulation.target(), Fixtures.standard()))
                .isInstanceOfSatisfying(ProvisioningException.class,
                        e -> assertThat(e.reason()).isEqualTo("NamespaceOwnedElsewhere"));
        assertThat(simulation.applies()).isEmpty();
        assertThat(simulation.client().namespaces().withName("atrium-acme").get().getMetadata().getLabels())
                .isEqualTo(Map.of("team", "payments"));
    }

    @Test
    void deprovisionLeavesNoObjectOfTheTenantAndKeepsTheOthers() {
        provisioner.apply(simulation.target(), Fixtures.standard());
        provisioner.apply(simulation.target(), Fixtures.enterprise());
        int enterpriseObjects = LiveObjects.labelledWith(simulation, Fixtures.ENTERPRISE_TENANT).size();

        DeprovisionReport report = provisioner.deprovision(simulation.target(), Fixtures.STANDARD_TENANT, "atrium-acme");

        assertThat(report.gone()).isTrue();
        assertThat(report.deleted()).extracting(ObjectChange::kind)
                .contains("Namespace", "Deployment", "Secret", "Cluster", "NetworkPolicy", "ResourceQuota");
        assertThat(simulation.client().namespaces().withName("atrium-acme").get()).isNull();
        assertThat(LiveObjects.labelledWith(simulation, Fixtures.STANDARD_TENANT)).isEmpty();
        assertThat(simulation.storedObjects()).noneMatch(o -> "atrium-acme".equals(o.getMetadata().getNamespace()));
        assertThat(LiveObjects.labelledWith(simulation, Fixtures.ENTERPRISE_TENANT)).hasSize(enterpriseObjects)
                .hasSize(TenantManifests.render(Fixtures.enterprise()).size());
    }

    @Test
    void deprovisionWaitsUntilTheNamespaceIsGoneAndSaysWhenItIsNot() {
        provisioner.apply(simulation.target(), Fixtures.standard());
        simulation.client().namespaces().withName("atrium-acme").edit(ns -> {
            ns.getMetadata().setFinalizers(List.of("test.atrium.dev/hold"));
            return ns;
        });
        KubernetesTenantProvisioner impatient = new KubernetesTenantProvisioner(Duration.ofMillis(600));

        long started = System.nanoTime();
        DeprovisionReport first = impatient.deprovision(simulation.target(), Fixtures.STANDARD_TENANT, "atrium-acme");
        Duration waited = Duration.ofNanos(System.nanoTime() - started);

        assertThat(first.gone()).isFalse();
        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(600)).isLessThan(Duration.ofSeconds(5));
        GenericKubernetesResource terminating = simulation.client().genericKubernetesResources("v1", "Namespace")
                .withName("atrium-acme").get();
        assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();

        simulation.client().namespaces().withName("atrium-acme").edit(ns -> {
            ns.getMetadata().setFinalizers(List.of());
            return ns;
        });
        DeprovisionReport second = impatient.deprovision(simulation.target(), Fixtures.STANDARD_TENANT, "atrium-acme");

        assertThat(second.gone()).isTrue();
        assertThat(LiveObjects.labelledWith(simulation, Fixtures.STANDARD_TENANT)).isEmpty();
    }

    @Test
    void deprovisionRefusesANamespaceAtriumDoesNotOwn() {
        simulation.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("atrium-acme")
                .endMetadata().build()).create();

        assertThatThrownBy(() -> provisioner.deprovision(simulation.target(), Fixtures.STANDARD_TENANT, "atrium-acme"))
                .isInstanceOfSatisfying(ProvisioningException.class,
                        e -> assertThat(e.reason()).isEqualTo("NamespaceOwnedElsewhere"));
        assertThat(simulation.client().namespaces().withName("atrium-acme").get()).isNotNull();
    }

    @Test
    void aSpecForAnotherRegionIsRefusedBeforeAnyCall() {
        KubernetesTarget otherRegion = KubernetesTarget.withToken("us-test-2", simulation.url(),
                SecretValue.of("simulation-token"), null, "atrium-");

        assertThatThrownBy(() -> provisioner.apply(otherRegion, Fixtures.standard()))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("region");
        assertThat(simulation.requests()).isEmpty();
    }

    private int replicas(String namespace) {
        return replicas(namespace, "atrium-data-plane");
    }

    private int replicas(String namespace, String deployment) {
        Integer replicas = simulation.client().apps().deployments().inNamespace(namespace).withName(deployment).get()
                .getSpec().getReplicas();
        return replicas == null ? -1 : replicas;
    }
}
