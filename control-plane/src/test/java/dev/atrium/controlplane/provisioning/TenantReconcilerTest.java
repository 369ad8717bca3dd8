package dev.atrium.controlplane.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.provisioning.ObjectChange.Action;
import dev.atrium.controlplane.provisioning.ReconcileReport.Operation;
import dev.atrium.controlplane.provisioning.ReconcileReport.Trigger;
import dev.atrium.controlplane.provisioning.TenantCondition.Type;

/**
 * {@link TenantReconciler} with the real Fabric8 client and informers against {@link KubernetesApiSimulation}, a
 * SIMULATION of the Kubernetes API server (Fabric8's mock server in CRUD mode, watches included; no real cluster runs
 * here). Intervals are shortened; the behaviour is the one the defaults (30 s resync) give in production.
 */
class TenantReconcilerTest {

    private static final String NAMESPACE = "atrium-acme";
    private final List<AutoCloseable> closeLater = new ArrayList<>();
    private final RecordingListener listener = new RecordingListener();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : closeLater.reversed()) {
            closeable.close();
        }
    }

    @Test
    void aDesiredTenantIsAppliedOnceAndUnchangedResyncsReportNothing() {
        KubernetesApiSimulation simulation = simulation();
        TenantReconciler reconciler = reconciler(Duration.ofMillis(300));

        reconciler.desire(simulation.target(), Fixtures.standard());

        awaitCondition(reconciler, Type.READY);
        assertThat(listener.conditions).extracting(TenantCondition::type).startsWith(Type.PROGRESSING)
                .endsWith(Type.READY);
        await().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(5))
                .until(() -> listener.reports.size() == 1);
        ReconcileReport report = listener.reports.getFirst();
        assertThat(report.trigger()).isEqualTo(Trigger.DESIRED);
        assertThat(report.isRepair()).isFalse();
        assertThat(report.placements()).singleElement().satisfies(placement -> {
            assertThat(placement.operation()).isEqualTo(Operation.APPLY);
            assertThat(placement.complete()).isTrue();
            assertThat(placement.changes()).extracting(ObjectChange::action).containsOnly(Action.CREATED, Action.SCALED);
            assertThat(placement.changes()).hasSize(TenantManifests.render(Fixtures.standard()).size() + 1);
        });
        assertThat(LiveObjects.labelledWith(simulation, Fixtures.STANDARD_TENANT))
                .hasSize(TenantManifests.render(Fixtures.standard()).size());

        reconciler.desire(simulation.target(), Fixtures.standard());
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(3)).until(() -> listener.reports.size() == 1);
    }

    @Test
    void watchedDriftIsRepairedWithoutWaitingForTheResync() {
        KubernetesApiSimulation simulation = simulation();
        TenantReconciler reconciler = reconciler(Duration.ofHours(1));
        reconciler.desire(simulation.target(), Fixtures.standard());
        awaitCondition(reconciler, Type.READY);
        await().atMost(Duration.ofSeconds(10)).until(() -> reconciler.watching(simulation.target()));
        await().atMost(Duration.ofSeconds(5)).until(() -> listener.reports.size() == 1);

        simulation.client().network().v1().networkPolicies().inNamespace(NAMESPACE).withName("default-deny").delete();
        ReconcileReport policy = awaitReport(1);
        assertThat(policy.trigger()).isEqualTo(Trigger.DRIFT);
        assertThat(policy.isRepair()).isTrue();
        assertThat(changes(policy)).containsExactly(
                new ObjectChange("NetworkPolicy", "default-deny", Action.CREATED, List.of()));
        assertThat(simulation.client().network().v1().networkPolicies().inNamespace(NAMESPACE).withName("default-deny")
                .get()).isNotNull();

        simulation.client().resourceQuotas().inNamespace(NAMESPACE).withName("atrium-quota").edit(q -> {
            q.getSpec().getHard().put("requests.cpu", new Quantity("128"));
            q.getSpec().getHard().put("pods", new Quantity("500"));
            return q;
        });
        ReconcileReport quota = awaitReport(2);
        assertThat(changes(quota)).containsExactly(new ObjectChange("ResourceQuota", "atrium-quota", Action.CHANGED,
                List.of("spec.hard.pods", "spec.hard.requests.cpu")));
        assertThat(simulation.client().resourceQuotas().inNamespace(NAMESPACE).withName("atrium-quota").get()
                .getSpec().getHard()).containsEntry("requests.cpu", new Quantity("8"))
                .containsEntry("pods", new Quantity("20"));

        simulation.client().apps().deployments().inNamespace(NAMESPACE).withName("atrium-data-plane").edit(d -> {
            d.getSpec().setReplicas(0);
            return d;
        });
        ReconcileReport scale = awaitReport(3);
        assertThat(changes(scale)).containsExactly(new ObjectChange("Deployment", "atrium-data-plane", Action.SCALED,
                List.of("spec.replicas")));
        assertThat(simulation.client().apps().deployments().inNamespace(NAMESPACE).withName("atrium-data-plane").get()
                .getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void anUnwatchedSecretIsRepairedByTheNextResync() {
        KubernetesApiSimulation simulation = simulation();
        Duration interval = Duration.ofSeconds(1);
        TenantReconciler reconciler = reconciler(interval);
        reconciler.desire(simulation.target(), Fixtures.standard());
        awaitCondition(reconciler, Type.READY);
        await().atMost(Duration.ofSeconds(10)).until(() -> reconciler.watching(simulation.target()));
        await().atMost(Duration.ofSeconds(5)).until(() -> listener.reports.size() == 1);

        Instant edited = Instant.now();
        simulation.client().secrets().inNamespace(NAMESPACE).withName(TenantManifests.SERVICE_KEY_SECRET).edit(s -> {
            s.getData().put(TenantManifests.SERVICE_KEY_ENTRY, Base64.getEncoder().encodeToString("stolen".getBytes()));
            return s;
        });
        ReconcileReport repair = awaitReport(1);

        assertThat(Duration.between(edited, Instant.now())).isLessThan(interval.plusMillis(1500));
        assertThat(repair.trigger()).isEqualTo(Trigger.RESYNC);
        assertThat(changes(repair)).containsExactly(new ObjectChange("Secret", TenantManifests.SERVICE_KEY_SECRET,
                Action.CHANGED, List.of("data.service-key")));
        assertThat(simulation.client().secrets().inNamespace(NAMESPACE).withName(TenantManifests.SERVICE_KEY_SECRET)
                .get().getData().get(TenantManifests.SERVICE_KEY_ENTRY))
                .isEqualTo(Base64.getEncoder().encodeToString(Fixtures.SERVICE_KEY.getBytes()));
    }

    @Test
    void anApiServerOutageDegradesWithBoundedBackoffAndRecoveryRepairs() throws Exception {
        KubernetesApiSimulation simulation = simulation();
        ApiServerOutage outage = new ApiServerOutage(simulation.port());
        closeLater.add(outage);
        KubernetesTarget target = KubernetesApiSimulation.target(outage.url());
        Duration initial = Duration.ofMillis(100);
        Duration max = Duration.ofMillis(400);
        TenantReconciler reconciler = reconciler(new ReconcilerSettings(Duration.ofMillis(200), initial, max, 2));
        reconciler.desire(target, Fixtures.standard());
        awaitCondition(reconciler, Type.READY);

        outage.down();
        simulation.client().network().v1().networkPolicies().inNamespace(NAMESPACE).withName("allow-dns").delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> listener.degraded().size() >= 6);

        List<TenantCondition> degraded = listener.degraded();
        assertThat(degraded).allSatisfy(condition -> {
            assertThat(condition.reason()).isEqualTo("ApiServerUnreachable");
            assertThat(condition.message()).isNotBlank();
        });
        assertThat(degraded.subList(0, 5)).extracting(TenantCondition::failedAttempts).containsExactly(1, 2, 3, 4, 5);
        assertThat(degraded.subList(0, 5)).extracting(TenantCondition::retryIn).containsExactly(
                Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(400),
                Duration.ofMillis(400));
        assertThat(reconciler.condition(Fixtures.STANDARD_TENANT, Fixtures.REGION)).get()
                .extracting(TenantCondition::type).isEqualTo(Type.DEGRADED);

        int reportsBefore = listener.reports.size();
        outage.up();
        await().atMost(max.plusSeconds(5)).until(() -> reconciler.condition(Fixtures.STANDARD_TENANT, Fixtures.REGION)
                .map(c -> c.type() == Type.READY).orElse(false));
        await().atMost(Duration.ofSeconds(2)).until(() -> listener.reports.size() > reportsBefore);
        assertThat(listener.reportsAfter(reportsBefore).stream().flatMap(r -> changes(r).stream()))
                .contains(new ObjectChange("NetworkPolicy", "allow-dns", Action.CREATED, List.of()));
        assertThat(reconciler.condition(Fixtures.STANDARD_TENANT, Fixtures.REGION).orElseThrow().failedAttempts())
                .isZero();
    }

    @Test
    void aForgottenTenantIsDeprovisionedUntilNothingOfItIsLeft() {
        KubernetesApiSimulation simulation = simulation();
        TenantReconciler reconciler = reconciler(Duration.ofMillis(500));
        reconciler.desire(simulation.target(), Fixtures.standard());
        awaitCondition(reconciler, Type.READY);
        int reportsBefore = listener.reports.size();

        reconciler.forget(Fixtures.STANDARD_TENANT);

        await().atMost(Duration.ofSeconds(10)).until(() -> listener.removed.contains(
                Fixtures.STANDARD_TENANT + "@" + Fixtures.REGION));
        assertThat(simulation.client().namespaces().withName(NAMESPACE).get()).isNull();
        assertThat(LiveObjects.labelledWith(simulation, Fixtures.STANDARD_TENANT)).isEmpty();
        assertThat(reconciler.conditions()).isEmpty();
        ReconcileReport deprovision = listener.reportsAfter(reportsBefore).getFirst();
        assertThat(deprovision.trigger()).isEqualTo(Trigger.DESIRED);
        assertThat(deprovision.placements()).singleElement().satisfies(p -> {
            assertThat(p.operation()).isEqualTo(Operation.DEPROVISION);
            assertThat(p.complete()).isTrue();
            assertThat(p.changes()).extracting(ObjectChange::kind).contains("Namespace", "Deployment", "Cluster");
        });
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> simulation.client().namespaces().withName(NAMESPACE).get() == null);
    }

    @Test
    void aTenantMovedToAnotherRegionIsAppliedThereAndRemovedFromTheOld() {
        KubernetesApiSimulation regionA = simulation();
        KubernetesApiSimulation regionB = simulation();
        KubernetesTarget targetB = KubernetesTarget.withToken("eu-test-2", regionB.url(),
                SecretValue.of("simulation-token"), null, TenantNamespaceSpec.DEFAULT_NAMESPACE_PREFIX);
        TenantReconciler reconciler = reconciler(Duration.ofMillis(500));
        reconciler.desire(regionA.target(), Fixtures.standard());
        awaitCondition(reconciler, Type.READY);

        reconciler.desire(targetB, Fixtures.standardBuilder().region("eu-test-2", "https://control.atrium.example")
                .build());

        await().atMost(Duration.ofSeconds(10)).until(() -> listener.removed.contains(
                Fixtures.STANDARD_TENANT + "@" + Fixtures.REGION));
        await().atMost(Duration.ofSeconds(10)).until(() -> reconciler.condition(Fixtures.STANDARD_TENANT, "eu-test-2")
                .map(c -> c.type() == Type.READY).orElse(false));
        assertThat(LiveObjects.labelledWith(regionA, Fixtures.STANDARD_TENANT)).isEmpty();
        assertThat(LiveObjects.labelledWith(regionB, Fixtures.STANDARD_TENANT))
                .hasSize(TenantManifests.render(Fixtures.standard()).size());
        assertThat(regionB.client().apps().deployments().inNamespace(NAMESPACE).withName("atrium-data-plane").get()
                .getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv())
                .anySatisfy(env -> assertThat(Map.of(env.getName(), String.valueOf(env.getValue())))
                        .isEqualTo(Map.of("ATRIUM_REGION", "eu-test-2")));
        assertThat(reconciler.conditions()).extracting(TenantCondition::region).containsExactly("eu-test-2");
    }

    @Test
    void aTenantMovedToARegionThatFailsKeepsItsOldNamespaceUntilTheNewOneIsApplied() throws Exception {
        KubernetesApiSimulation regionA = simulation();
        KubernetesApiSimulation regionB = simulation();
        ApiServerOutage outageB = new ApiServerOutage(regionB.port());
        closeLater.add(outageB);
        KubernetesTarget targetB = KubernetesTarget.withToken("eu-test-2", outageB.url(),
                SecretValue.of("simulation-token"), null, TenantNamespaceSpec.DEFAULT_NAMESPACE_PREFIX);
        TenantReconciler reconciler = reconciler(new ReconcilerSettings(Duration.ofMillis(200), Duration.ofMillis(100),
                Duration.ofMillis(400), 2));
        reconciler.desire(regionA.target(), Fixtures.standard());
        awaitCondition(reconciler, Type.READY);
        int objects = LiveObjects.labelledWith(regionA, Fixtures.STANDARD_TENANT).size();

        outageB.down();
        reconciler.desire(targetB, Fixtures.standardBuilder().region("eu-test-2", "https://control.atrium.example").build());
        await().atMost(Duration.ofSeconds(10)).until(() -> reconciler.condition(Fixtures.STANDARD_TENANT, "eu-test-2")
                .map(c -> c.type() == Type.DEGRADED && c.failedAttempts() >= 3).orElse(false));
        assertThat(LiveObjects.labelledWith(regionA, Fixtures.STANDARD_TENANT)).as("the old region while the new one fails")
                .hasSize(objects);
        assertThat(listener.removed).doesNotContain(Fixtures.STANDARD_TENANT + "@" + Fixtures.REGION);

        outageB.up();
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.removed.contains(
                Fixtures.STANDARD_TENANT + "@" + Fixtures.REGION));
        assertThat(LiveObjects.labelledWith(regionA, Fixtures.STANDARD_TENANT)).isEmpty();
        assertThat(LiveObjects.labelledWith(regionB, Fixtures.STANDARD_TENANT)).hasSize(objects);
    }

    @Test
    void aTenantIsReadyOnlyOnceItsDataPlaneAndDatabaseReportHealthy() {
        KubernetesApiSimulation simulation = simulation();
        simulation.workloads(KubernetesApiSimulation.Workloads.STOPPED);
        TenantReconciler reconciler = reconciler(Duration.ofHours(1));

        reconciler.desire(simulation.target(), Fixtures.standard());

        await().atMost(Duration.ofSeconds(10)).until(() -> LiveObjects.labelledWith(simulation,
                Fixtures.STANDARD_TENANT).size() == TenantManifests.render(Fixtures.standard()).size());
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).until(() -> reconciler.condition(
                Fixtures.STANDARD_TENANT, Fixtures.REGION).map(c -> c.type() == Type.PROGRESSING).orElse(false));
        TenantCondition waiting = reconciler.condition(Fixtures.STANDARD_TENANT, Fixtures.REGION).orElseThrow();
        assertThat(waiting.reason()).isEqualTo("DataPlaneRollingOut");
        assertThat(waiting.message()).contains("Deployment/atrium-data-plane", "Cluster/tenant-db: 0 of 2 instances ready");
        assertThat(waiting.failedAttempts()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> reconciler.watching(simulation.target()));

        // the controllers report: the status change alone is a watch event, so no resync (1 h here) is needed
        simulation.workloads(KubernetesApiSimulation.Workloads.HEALTHY);
        awaitCondition(reconciler, Type.READY);
        assertThat(reconciler.condition(Fixtures.STANDARD_TENANT, Fixtures.REGION).orElseThrow().message())
                .contains("healthy");
    }

    @Test
    void aServingTenantWhoseDataPlaneStopsIsDegradedAndRecoversWhenItIsBack() {
        KubernetesApiSimulation simulation = simulation();
        TenantReconciler reconciler = reconciler(Duration.ofHours(1));
        reconciler.desire(simulation.target(), Fixtures.standard());
        awaitCondition(reconciler, Type.READY);
        await().atMost(Duration.ofSeconds(10)).until(() -> reconciler.watching(simulation.target()));

        simulation.workloads(KubernetesApiSimulation.Workloads.UNAVAILABLE);

        awaitCondition(reconciler, Type.DEGRADED);
        TenantCondition degraded = reconciler.condition(Fixtures.STANDARD_TENANT, Fixtures.REGION).orElseThrow();
        assertThat(degraded.reason()).isEqualTo("DataPlaneUnavailable");
        assertThat(degraded.message()).contains("0 pods available");
        simulation.workloads(KubernetesApiSimulation.Workloads.HEALTHY);
        awaitCondition(reconciler, Type.READY);
    }

    @Test
    void aChangedSpecWhoseNewPodsCrashIsNotReadyWhileOldPodsStillServe() {
        KubernetesApiSimulation simulation = simulation();
        TenantReconciler reconciler = reconciler(Duration.ofHours(1));
        reconciler.desire(simulation.target(), Fixtures.standard());
        awaitCondition(reconciler, Type.READY);
        await().atMost(Duration.ofSeconds(10)).until(() -> reconciler.watching(simulation.target()));
        simulation.workloads(KubernetesApiSimulation.Workloads.NEW_PODS_CRASHING);

        reconciler.desire(simulation.target(), Fixtures.standardBuilder().dataPlane(new TenantNamespaceSpec.DataPlane(
                "registry.example/atrium/data-plane:1.5.0", 2, 4, 70, 1, "500m", "1Gi", "2", "2Gi")).build());

        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5)).until(() -> reconciler.condition(
                Fixtures.STANDARD_TENANT, Fixtures.REGION).map(c -> c.type() == Type.PROGRESSING).orElse(false));
        TenantCondition rolling = reconciler.condition(Fixtures.STANDARD_TENANT, Fixtures.REGION).orElseThrow();
        assertThat(rolling.reason()).isEqualTo("DataPlaneRollingOut");
        assertThat(rolling.message()).contains("1 of 2 pods updated", "2 old pods left");
        simulation.workloads(KubernetesApiSimulation.Workloads.HEALTHY);
        awaitCondition(reconciler, Type.READY);
    }

    @Test
    void aRolloutPastItsDeadlineIsDegradedAndRetried() {
        KubernetesApiSimulation simulation = simulation();
        simulation.workloads(KubernetesApiSimulation.Workloads.STALLED);
        TenantReconciler reconciler = reconciler(new ReconcilerSettings(Duration.ofHours(1), Duration.ofMillis(100),
                Duration.ofMillis(400), 2));

        reconciler.desire(simulation.target(), Fixtures.standard());

        await().atMost(Duration.ofSeconds(10)).until(() -> reconciler.condition(Fixtures.STANDARD_TENANT,
                Fixtures.REGION).map(c -> c.type() == Type.DEGRADED && c.failedAttempts() >= 2).orElse(false));
        TenantCondition stuck = reconciler.condition(Fixtures.STANDARD_TENANT, Fixtures.REGION).orElseThrow();
        assertThat(stuck.reason()).isEqualTo("DataPlaneRolloutStuck");
        assertThat(stuck.message()).contains("timed out progressing");
        simulation.workloads(KubernetesApiSimulation.Workloads.HEALTHY);
        awaitCondition(reconciler, Type.READY);
    }

    @Test
    void aMovedTenantKeepsItsOldNamespaceUntilTheNewDataPlaneAndDatabaseAreHealthy() {
        KubernetesApiSimulation regionA = simulation();
        KubernetesApiSimulation regionB = simulation();
        KubernetesTarget targetB = KubernetesTarget.withToken("eu-test-2", regionB.url(),
                SecretValue.of("simulation-token"), null, TenantNamespaceSpec.DEFAULT_NAMESPACE_PREFIX);
        TenantReconciler reconciler = reconciler(Duration.ofMillis(300));
        reconciler.desire(regionA.target(), Fixtures.standard());
        awaitCondition(reconciler, Type.READY);
        int objects = LiveObjects.labelledWith(regionA, Fixtures.STANDARD_TENANT).size();
        regionB.workloads(KubernetesApiSimulation.Workloads.STOPPED);

        reconciler.desire(targetB, Fixtures.standardBuilder().region("eu-test-2", "https://control.atrium.example")
                .build());

        await().atMost(Duration.ofSeconds(10)).until(() -> LiveObjects.labelledWith(regionB,
                Fixtures.STANDARD_TENANT).size() == objects);
        // several resyncs pass: the new region is applied but not serving, so the old one stays
        await().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(4)).until(() -> LiveObjects.labelledWith(
                regionA, Fixtures.STANDARD_TENANT).size() == objects);
        assertThat(reconciler.condition(Fixtures.STANDARD_TENANT, "eu-test-2")).hasValueSatisfying(c ->
                assertThat(c.type()).isEqualTo(Type.PROGRESSING));
        assertThat(listener.removed).doesNotContain(Fixtures.STANDARD_TENANT + "@" + Fixtures.REGION);

        regionB.workloads(KubernetesApiSimulation.Workloads.HEALTHY);
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.removed.contains(
                Fixtures.STANDARD_TENANT + "@" + Fixtures.REGION));
        assertThat(LiveObjects.labelledWith(regionA, Fixtures.STANDARD_TENANT)).isEmpty();
        assertThat(reconciler.condition(Fixtures.STANDARD_TENANT, "eu-test-2")).hasValueSatisfying(c ->
                assertThat(c.type()).isEqualTo(Type.READY));
    }

    @Test
    void aTenantIsKeptInItsStandbyRegionsTooAndAFailingStandbyDoesNotHoldUpItsPrimary() throws Exception {
        KubernetesApiSimulation primary = simulation();
        KubernetesApiSimulation standby = simulation();
        ApiServerOutage standbyOutage = new ApiServerOutage(standby.port());
        closeLater.add(standbyOutage);
        KubernetesTarget standbyTarget = KubernetesTarget.withToken("eu-test-2", standbyOutage.url(),
                SecretValue.of("simulation-token"), null, TenantNamespaceSpec.DEFAULT_NAMESPACE_PREFIX);
        TenantNamespaceSpec standbySpec = Fixtures.standardBuilder().region("eu-test-2", "https://control.atrium.example")
                .build();
        // backoff far longer than the waits below: a primary held up by its standby's backoff would fail this test
        TenantReconciler reconciler = reconciler(new ReconcilerSettings(Duration.ofMillis(300), Duration.ofSeconds(20),
                Duration.ofMinutes(5), 2));
        List<TenantReconciler.Desired> both = List.of(new TenantReconciler.Desired(primary.target(), Fixtures.standard()),
                new TenantReconciler.Desired(standbyTarget, standbySpec));

        reconciler.desire(Fixtures.STANDARD_TENANT, both);

        awaitCondition(reconciler, Type.READY);
        await().atMost(Duration.ofSeconds(10)).until(() -> reconciler.condition(Fixtures.STANDARD_TENANT, "eu-test-2")
                .map(c -> c.type() == Type.READY).orElse(false));
        int objects = TenantManifests.render(Fixtures.standard()).size();
        assertThat(LiveObjects.labelledWith(primary, Fixtures.STANDARD_TENANT)).hasSize(objects);
        assertThat(LiveObjects.labelledWith(standby, Fixtures.STANDARD_TENANT)).hasSize(objects);

        // the standby's API server goes away: the standby is Degraded, the primary stays Ready and keeps being repaired
        await().atMost(Duration.ofSeconds(10)).until(() -> reconciler.watching(primary.target()));
        standbyOutage.down();
        await().atMost(Duration.ofSeconds(10)).until(() -> reconciler.condition(Fixtures.STANDARD_TENANT, "eu-test-2")
                .map(c -> c.type() == Type.DEGRADED).orElse(false));
        primary.client().network().v1().networkPolicies().inNamespace(NAMESPACE).withName("default-deny").delete();
        await().atMost(Duration.ofSeconds(5)).until(() -> primary.client().network().v1().networkPolicies()
                .inNamespace(NAMESPACE).withName("default-deny").get() != null);
        assertThat(reconciler.condition(Fixtures.STANDARD_TENANT, Fixtures.REGION)).hasValueSatisfying(c ->
                assertThat(c.type()).isEqualTo(Type.READY));

        // the standby is dropped: once its API server answers again, it is removed there, and only there
        standbyOutage.up();
        reconciler.desire(Fixtures.STANDARD_TENANT, both.subList(0, 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.removed.contains(
                Fixtures.STANDARD_TENANT + "@eu-test-2"));
        assertThat(LiveObjects.labelledWith(standby, Fixtures.STANDARD_TENANT)).isEmpty();
        assertThat(LiveObjects.labelledWith(primary, Fixtures.STANDARD_TENANT)).hasSize(objects);
        assertThat(reconciler.conditions()).extracting(TenantCondition::region).containsExactly(Fixtures.REGION);
    }

    @Test
    void aSetOfRegionsThatNamesOneTwiceOrAnotherTenantsSpecIsRefused() {
        KubernetesApiSimulation simulation = simulation();
        TenantReconciler reconciler = reconciler(Duration.ofHours(1));
        TenantReconciler.Desired one = new TenantReconciler.Desired(simulation.target(), Fixtures.standard());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> reconciler.desire(Fixtures.STANDARD_TENANT, List.of(one, one)))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("named twice");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> reconciler.desire(Fixtures.ENTERPRISE_TENANT, List.of(one)))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("among tenant");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> reconciler.desire(Fixtures.STANDARD_TENANT, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(reconciler.conditions()).isEmpty();
        assertThat(LiveObjects.labelledWith(simulation, Fixtures.STANDARD_TENANT)).isEmpty();
    }

    private KubernetesApiSimulation simulation() {
        KubernetesApiSimulation simulation = new KubernetesApiSimulation();
        closeLater.add(simulation);
        return simulation;
    }

    private TenantReconciler reconciler(Duration resync) {
        return reconciler(new ReconcilerSettings(resync, Duration.ofMillis(200), Duration.ofSeconds(2), 2));
    }

    private TenantReconciler reconciler(ReconcilerSettings settings) {
        TenantReconciler reconciler = new TenantReconciler(new KubernetesTenantProvisioner(Duration.ofSeconds(5)),
                listener, settings);
        closeLater.add(reconciler);
        return reconciler;
    }

    private void awaitCondition(TenantReconciler reconciler, Type type) {
        await().atMost(Duration.ofSeconds(10)).until(() -> reconciler.condition(Fixtures.STANDARD_TENANT,
                Fixtures.REGION).map(c -> c.type() == type).orElse(false));
    }

    private ReconcileReport awaitReport(int index) {
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.reports.size() > index);
        return listener.reports.get(index);
    }

    private static List<ObjectChange> changes(ReconcileReport report) {
        return report.placements().stream().flatMap(p -> p.changes().stream()).toList();
    }
}
