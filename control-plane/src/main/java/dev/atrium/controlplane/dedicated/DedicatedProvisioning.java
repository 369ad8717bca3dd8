package dev.atrium.controlplane.dedicated;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import org.jboss.logging.Logger;

import dev.atrium.controlplane.identity.ActorType;
import dev.atrium.controlplane.identity.TenantScope;
import dev.atrium.controlplane.provisioning.DeprovisionReport;
import dev.atrium.controlplane.provisioning.KubernetesTenantProvisioner;
import dev.atrium.controlplane.provisioning.ObjectChange;
import dev.atrium.controlplane.provisioning.ProvisioningException;
import dev.atrium.controlplane.provisioning.ProvisioningListener;
import dev.atrium.controlplane.provisioning.ReconcileReport;
import dev.atrium.controlplane.provisioning.ReconcilerSettings;
import dev.atrium.controlplane.provisioning.TenantCondition;
import dev.atrium.controlplane.provisioning.TenantNamespaceSpec;
import dev.atrium.controlplane.provisioning.TenantReconciler;
import dev.atrium.controlplane.region.IsolationTier;
import dev.atrium.controlplane.region.PlacementChanged;
import dev.atrium.controlplane.region.PlacementRepository;
import dev.atrium.controlplane.region.Region;
import dev.atrium.controlplane.region.RegionKind;
import dev.atrium.controlplane.region.RegionRepository;
import dev.atrium.controlplane.region.TenantNamespaceRepository.TenantNamespace;
import dev.atrium.controlplane.region.TenantNamespaceRepository;
import dev.atrium.controlplane.tenant.Tenant;
import dev.atrium.controlplane.tenant.TenantStatus;
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditTrail;

/**
 * Wires the Kubernetes engine ({@code provisioning}) into the product. The desired state is computed from PostgreSQL:
 * every tenant that is provisioning, active or suspended should have a namespace in each of its placed regions (primary
 * and standbys) where it is dedicated ({@link IsolationTier}: a {@code kubernetes} region and a paid plan). Each sync (at startup, after every committed
 * {@link PlacementChanged}, and every {@code resync-interval}) records that in {@code tenant_namespace} and hands the
 * spec, with the region's credentials from the platform secret store, to the one {@link TenantReconciler}; every other
 * row (a region the tenant left, a deleted tenant, a tenant that became pooled) is removed from its region. The
 * reconciler reports back here ({@link ProvisioningListener}): conditions go to {@code tenant_namespace}, provisions
 * and removals to the tenant's audit chain, never with a credential.
 */
@ApplicationScoped
public class DedicatedProvisioning implements ProvisioningListener {

    private static final Logger LOG = Logger.getLogger(DedicatedProvisioning.class);

    @Inject
    ProvisioningConfig config;

    @Inject
    DedicatedSpecs specs;

    @Inject
    RegionRepository regions;

    @Inject
    PlacementRepository placements;

    @Inject
    TenantNamespaceRepository namespaces;

    @Inject
    AuditTrail auditTrail;

    @Inject
    PlatformModelServers platformModelServers;

    private TenantReconciler reconciler;
    private KubernetesTenantProvisioner provisioner;
    private ScheduledExecutorService syncs;
    private final AtomicBoolean syncQueued = new AtomicBoolean();
    /** What each tenant was last handed to the reconciler for: its regions, the primary (or first) one first. */
    private final Map<UUID, List<TenantReconciler.Desired>> handed = new ConcurrentHashMap<>();
    /** (tenant, region) pairs the reconciler knows and so removes itself when they are no longer desired. */
    private final Set<Key> handedOver = ConcurrentHashMap.newKeySet();
    /** What to scrub from messages about each region (its credentials' words). */
    private final Map<String, DedicatedSpecs.Redactor> redactors = new ConcurrentHashMap<>();

    private record Key(UUID tenantId, String region) {
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("provisioning of dedicated tenants is disabled (atrium.provisioning.enabled=false)");
            return;
        }
        provisioner = new KubernetesTenantProvisioner(config.deletionTimeout());
        reconciler = new TenantReconciler(provisioner, this, new ReconcilerSettings(config.resyncInterval(),
                config.initialBackoff(), config.maxBackoff(), config.threads()));
        syncs = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "atrium-dedicated-sync");
            thread.setDaemon(true);
            return thread;
        });
        long interval = config.resyncInterval().toMillis();
        syncs.scheduleWithFixedDelay(this::syncQuietly, 0, interval, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (syncs != null) {
            syncs.shutdownNow();
        }
        if (reconciler != null) {
            reconciler.close();
        }
    }

    /** A placement was created or moved, or a deletion waits for the namespace: sync once the transaction is over. */
    void onPlacementChanged(@Observes(during = TransactionPhase.AFTER_COMPLETION) PlacementChanged changed) {
        requestSync();
    }

    /** A tenant's self-hosted deployments changed, or one was asked for at zero: sync once the transaction is over. */
    void onSelfHostedChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) dev.atrium.controlplane.deployment.SelfHostedChanged changed) {
        requestSync();
    }

    @Override
    public void modelServers(String tenantId, String region, List<dev.atrium.controlplane.provisioning.ModelServerStatus> statuses) {
        try {
            String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(statuses);
            platform(() -> namespaces.modelServers(UUID.fromString(tenantId), region, json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            LOG.warnf("the model servers of tenant %s in region %s could not be recorded: %s", tenantId, region, e.getMessage());
        }
    }

    /** Asks for a sync soon (several requests meanwhile make one). */
    public void requestSync() {
        if (syncs != null && syncQueued.compareAndSet(false, true)) {
            try {
                syncs.execute(() -> {
                    syncQueued.set(false);
                    syncQuietly();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                syncQueued.set(false);
            }
        }
    }

    private void syncQuietly() {
        try {
            sync();
        } catch (RuntimeException e) {
            LOG.errorf(e, "syncing dedicated tenants failed; the next sync retries");
        }
    }

    /** One pass over the desired state; runs on the single sync thread only. */
    void sync() {
        Map<String, Region> kubernetesRegions = new LinkedHashMap<>();
        // (tenant, region) pairs, each tenant's regions in placement order: primary, then standbys
        Map<Key, DedicatedSpecs.TenantFacts> desired = new LinkedHashMap<>();
        TenantScope.asPlatform(() -> QuarkusTransaction.requiringNew().call(() -> {
            List<Region> all = regions.all();
            all.stream().filter(region -> region.kind() == RegionKind.KUBERNETES)
                    .forEach(region -> kubernetesRegions.put(region.name(), region));
            Set<UUID> seen = new java.util.HashSet<>();
            for (Region region : kubernetesRegions.values()) {
                for (PlacementRepository.StoredPlacement placement : placements.inRegion(region.name())) {
                    if (!seen.add(placement.tenantId())) {
                        continue;
                    }
                    Tenant tenant = Tenant.findById(placement.tenantId());
                    if (tenant == null || !(tenant.status == TenantStatus.PROVISIONING || tenant.status == TenantStatus.ACTIVE
                            || tenant.status == TenantStatus.SUSPENDED)) {
                        continue;
                    }
                    List<String> placed = new ArrayList<>();
                    placed.add(placement.primary());
                    placed.addAll(placement.standbys());
                    for (String name : placed) {
                        Region where = kubernetesRegions.get(name);
                        if (where != null && IsolationTier.of(tenant.plan, where.kind()) == IsolationTier.DEDICATED) {
                            desired.put(new Key(tenant.id, name),
                                    new DedicatedSpecs.TenantFacts(tenant.id, tenant.slug, tenant.residency, tenant.plan));
                        }
                    }
                }
            }
            return null;
        }));
        Map<String, DedicatedSpecs.Target> targets = new HashMap<>();
        Map<String, DedicatedSpecs.Unavailable> unusable = new HashMap<>();
        for (Region region : kubernetesRegions.values()) {
            try {
                DedicatedSpecs.Target target = specs.target(region);
                targets.put(region.name(), target);
                redactors.put(region.name(), target.redactor());
            } catch (DedicatedSpecs.Unavailable e) {
                unusable.put(region.name(), e);
            }
        }
        // rotated credentials reach the regions being left too, which the specs below no longer name
        targets.values().forEach(target -> reconciler.retarget(target.target()));
        Map<UUID, List<Key>> byTenant = new LinkedHashMap<>();
        desired.keySet().forEach(key -> byTenant.computeIfAbsent(key.tenantId(), id -> new ArrayList<>()).add(key));
        byTenant.forEach((tenantId, keys) -> desire(tenantId, keys.stream().map(key -> new Wanted(desired.get(key),
                kubernetesRegions.get(key.region()), targets.get(key.region()), unusable.get(key.region()))).toList()));
        List<TenantNamespace> rows = platform(() -> namespaces.all());
        for (TenantNamespace row : rows) {
            Key key = new Key(row.tenantId(), row.region());
            if (!desired.containsKey(key)) {
                List<Key> wanted = byTenant.get(row.tenantId());
                boolean tenantGone = wanted == null;
                boolean replacementReady = !tenantGone && replacementReady(row.tenantId(), wanted.getFirst().region(), rows);
                remove(row, kubernetesRegions.get(row.region()), targets.get(row.region()), unusable.get(row.region()),
                        tenantGone, replacementReady);
            }
        }
        try {
            platformModelServers.sync(provisioner, kubernetesRegions.values(), targets, unusable);
        } catch (RuntimeException e) {
            LOG.errorf(e, "syncing the platform's model servers failed; the next sync retries");
        }
    }

    /**
     * Whether a namespace the tenant no longer wants may go although the reconciler never heard of it (after a restart):
     * from the stored conditions, so that it holds across restarts, the tenant's first wanted region (its primary, or
     * its first dedicated standby) must be Ready; a Ready standby is no replacement for a primary.
     */
    static boolean replacementReady(UUID tenantId, String firstWantedRegion, List<TenantNamespace> rows) {
        return rows.stream().anyMatch(row -> row.tenantId().equals(tenantId) && row.region().equals(firstWantedRegion)
                && TenantNamespaceRepository.READY.equals(row.condition()));
    }

    /** One region a tenant should have a namespace in, with what is known of the region's credentials. */
    private record Wanted(DedicatedSpecs.TenantFacts tenant, Region region, DedicatedSpecs.Target target,
                          DedicatedSpecs.Unavailable unusable) {
    }

    /**
     * Hands a tenant's regions (primary first) to the reconciler. A region whose spec cannot be built now (its
     * credentials are missing, say) keeps what it was last handed, if anything; if the first region cannot be built,
     * the reconciler keeps the tenant's previous regions, so a move to a region that cannot be applied yet never
     * removes the namespace the tenant has.
     */
    private void desire(UUID tenantId, List<Wanted> wanted) {
        List<TenantReconciler.Desired> previous = handed.getOrDefault(tenantId, List.of());
        List<TenantReconciler.Desired> next = new ArrayList<>();
        for (int i = 0; i < wanted.size(); i++) {
            Wanted one = wanted.get(i);
            java.util.Optional<TenantReconciler.Desired> built = build(one);
            if (built.isEmpty()) {
                if (i == 0) {
                    return;
                }
                previous.stream().filter(p -> p.target().region().equals(one.region().name())).findFirst().ifPresent(next::add);
                continue;
            }
            next.add(built.get());
        }
        next.forEach(d -> handedOver.add(new Key(tenantId, d.target().region())));
        handed.put(tenantId, List.copyOf(next));
        reconciler.desire(tenantId.toString(), next);
        next.forEach(d -> reconciler.condition(tenantId.toString(), d.target().region()).ifPresent(this::conditionChanged));
    }

    private java.util.Optional<TenantReconciler.Desired> build(Wanted wanted) {
        DedicatedSpecs.TenantFacts tenant = wanted.tenant();
        Region region = wanted.region();
        DedicatedSpecs.Shape shape;
        try {
            shape = specs.shape(tenant, region);
        } catch (DedicatedSpecs.Unavailable e) {
            String namespace = namespaceOrNull(region, tenant.slug());
            if (namespace != null) {
                platform(() -> namespaces.desire(tenant.id(), region.name(), namespace, "unavailable"));
            }
            degraded(tenant.id(), region.name(), "tenant.provision", e.reason(), e.getMessage());
            return java.util.Optional.empty();
        }
        platform(() -> namespaces.desire(tenant.id(), region.name(), shape.namespace(), shape.fingerprint()));
        if (wanted.target() == null) {
            degraded(tenant.id(), region.name(), "tenant.provision", wanted.unusable().reason(), wanted.unusable().getMessage());
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(new TenantReconciler.Desired(wanted.target().target(), specs.spec(tenant, region, shape)));
        } catch (DedicatedSpecs.Unavailable e) {
            degraded(tenant.id(), region.name(), "tenant.provision", e.reason(), wanted.target().redactor().scrub(e.getMessage()));
            return java.util.Optional.empty();
        }
    }

    /** A row that is no longer desired: the reconciler removes what it knows; anything else is removed here. */
    private void remove(TenantNamespace row, Region region, DedicatedSpecs.Target target, DedicatedSpecs.Unavailable unusable,
                        boolean tenantGone, boolean replacementReady) {
        Key key = new Key(row.tenantId(), row.region());
        if (!tenantGone && handedOver.contains(key) && isHanded(row.tenantId(), row.region())) {
            // moved to a region the reconciler could not be given yet (e.g. its credentials are missing): the
            // namespace here stays, and keeps being reconciled, until the new region can be applied
            return;
        }
        if (!TenantNamespaceRepository.REMOVING.equals(row.condition()) && !TenantNamespaceRepository.DEGRADED.equals(row.condition())) {
            platform(() -> namespaces.condition(row.tenantId(), row.region(), TenantNamespaceRepository.REMOVING,
                    "Deprovisioning", "removing the tenant from the region"));
        }
        if (handedOver.contains(key)) {
            if (tenantGone && handed.remove(row.tenantId()) != null) {
                reconciler.forget(row.tenantId().toString());
            }
            return; // a move or a dropped standby: the reconciler removes the old region itself
        }
        if (region == null) {
            platform(() -> {
                namespaces.delete(row.tenantId(), row.region());
                auditTrail.record(AuditEntry.failure("tenant.deprovision", "region " + row.region()
                                + " is no longer registered; namespace " + row.namespace() + " was not removed")
                        .tenant(row.tenantId()).resource("region", row.region()).actor(DedicatedSpecs.ACTOR, ActorType.SYSTEM));
                return null;
            });
            return;
        }
        if (target == null) {
            degraded(row.tenantId(), row.region(), "tenant.deprovision", unusable.reason(), unusable.getMessage());
            return;
        }
        if (!tenantGone && !replacementReady) {
            // not known to this process's reconciler (e.g. since a restart) and the tenant's new namespace is not
            // Ready yet: this one, with its database, stays until it is
            return;
        }
        // not known to this process's reconciler: removed directly, retried by the next sync
        try {
            DeprovisionReport report = provisioner.deprovision(target.target(), row.tenantId().toString(), row.namespace());
            if (report.gone()) {
                removed(row.tenantId().toString(), row.region());
            } else {
                platform(() -> namespaces.condition(row.tenantId(), row.region(), TenantNamespaceRepository.REMOVING,
                        "NamespaceTerminating", "namespace " + row.namespace() + " is still terminating"));
            }
        } catch (ProvisioningException e) {
            degraded(row.tenantId(), row.region(), "tenant.deprovision", e.reason(), target.redactor().scrub(e.getMessage()));
        } catch (RuntimeException e) {
            degraded(row.tenantId(), row.region(), "tenant.deprovision", "ReconcileFailed",
                    target.redactor().scrub(e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    // ProvisioningListener: called on the reconciler's threads

    @Override
    public void reconciled(ReconcileReport report) {
        UUID tenantId = UUID.fromString(report.tenantId());
        for (ReconcileReport.Placement placement : report.placements()) {
            if (placement.operation() != ReconcileReport.Operation.APPLY || !placement.complete()) {
                continue; // failures are audited when the condition becomes Degraded; removals when the namespace is gone
            }
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("region", placement.region());
            after.put("namespace", placement.namespace());
            after.put("trigger", report.trigger().name().toLowerCase(java.util.Locale.ROOT));
            after.put("changes", placement.changes().stream().filter(ObjectChange::changed).map(ObjectChange::toString).toList());
            platform(() -> {
                auditTrail.record(AuditEntry.success("tenant.provision").tenant(tenantId).resource("namespace", placement.namespace())
                        .actor(DedicatedSpecs.ACTOR, ActorType.SYSTEM).after(after));
                return null;
            });
        }
    }

    @Override
    public void conditionChanged(TenantCondition condition) {
        UUID tenantId = UUID.fromString(condition.tenantId());
        String message = scrub(condition.region(), condition.message());
        switch (condition.type()) {
            case READY -> platform(() -> namespaces.condition(tenantId, condition.region(), TenantNamespaceRepository.READY,
                    condition.reason(), message));
            case PROGRESSING -> platform(() -> namespaces.condition(tenantId, condition.region(),
                    "Deprovisioning".equals(condition.reason()) || "NamespaceTerminating".equals(condition.reason())
                            ? TenantNamespaceRepository.REMOVING : TenantNamespaceRepository.PENDING,
                    condition.reason(), message));
            case DEGRADED -> degraded(tenantId, condition.region(),
                    isHanded(tenantId, condition.region()) ? "tenant.provision" : "tenant.deprovision",
                    condition.reason(), message);
        }
    }

    @Override
    public void removed(String tenantId, String region) {
        UUID id = UUID.fromString(tenantId);
        handedOver.remove(new Key(id, region));
        platform(() -> {
            namespaces.find(id, region).ifPresent(row -> {
                namespaces.delete(id, region);
                auditTrail.record(AuditEntry.success("tenant.deprovision").tenant(id).resource("namespace", row.namespace())
                        .actor(DedicatedSpecs.ACTOR, ActorType.SYSTEM)
                        .after(Map.of("region", region, "namespace", row.namespace())));
            });
            return null;
        });
        try {
            specs.forgetCredentials(id, region);
        } catch (RuntimeException e) {
            // the tenant's deletion shreds them in any case; a move away leaves them until then
            LOG.warnf("credentials of tenant %s's removed namespace in %s could not be revoked: %s", tenantId, region,
                    e.getClass().getSimpleName());
        }
    }

    private boolean isHanded(UUID tenantId, String region) {
        return handed.getOrDefault(tenantId, List.of()).stream().anyMatch(d -> d.target().region().equals(region));
    }

    /** Sets Degraded; the first failure of a streak (or a new reason) is audited as a failure of {@code action}. */
    private void degraded(UUID tenantId, String region, String action, String reason, String message) {
        String scrubbed = scrub(region, message);
        platform(() -> {
            var before = namespaces.find(tenantId, region);
            boolean newStreak = before.isPresent() && !(TenantNamespaceRepository.DEGRADED.equals(before.get().condition())
                    && reason.equals(before.get().reason()));
            namespaces.condition(tenantId, region, TenantNamespaceRepository.DEGRADED, reason, scrubbed);
            if (newStreak) {
                auditTrail.record(AuditEntry.failure(action, reason + ": " + scrubbed).tenant(tenantId)
                        .resource("namespace", before.get().namespace()).actor(DedicatedSpecs.ACTOR, ActorType.SYSTEM)
                        .after(Map.of("region", region, "reason", reason)));
            }
            return null;
        });
    }

    private String scrub(String region, String message) {
        DedicatedSpecs.Redactor redactor = redactors.get(region);
        return redactor == null ? (message == null ? "" : message) : redactor.scrub(message);
    }

    private static String namespaceOrNull(Region region, String slug) {
        try {
            return DedicatedSpecs.namespace(region.kubernetes(), slug);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static <T> T platform(java.util.function.Supplier<T> work) {
        return TenantScope.asPlatform(() -> QuarkusTransaction.requiringNew().call(work::get));
    }

    /** For tests: the reconciler's view (empty when disabled). */
    List<TenantCondition> conditions() {
        return reconciler == null ? List.of() : new ArrayList<>(reconciler.conditions());
    }
}
