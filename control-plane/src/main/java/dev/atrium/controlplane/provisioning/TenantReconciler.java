package dev.atrium.controlplane.provisioning;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import dev.atrium.controlplane.provisioning.ReconcileReport.Operation;
import dev.atrium.controlplane.provisioning.ReconcileReport.Trigger;
import dev.atrium.controlplane.provisioning.TenantCondition.Type;

/**
 * Keeps every dedicated tenant's objects in its Kubernetes region equal to its desired spec.
 *
 * <p>The desired specs are handed in ({@link #desire}, {@link #forget}); {@code dedicated.DedicatedProvisioning}
 * loads them from PostgreSQL. A tenant may be desired in several regions at once: its primary and its standbys, primary
 * first.
 * A tenant is reconciled when its specs change, when an informer sees one of its objects added, changed or deleted
 * (a watch event), and on a periodic resync (default every 30 s: Secrets are not watched, and a missed event is
 * caught). A region the tenant no longer wants (a move, a dropped standby) is deprovisioned once the primary region's
 * apply succeeded and its workloads are healthy; a forgotten tenant is deprovisioned everywhere until its namespaces
 * are gone.
 *
 * <p>One reconcile per tenant runs at a time; requests that arrive meanwhile are folded into one more run. A failure
 * sets the placement's condition to Degraded with the reason and schedules a retry with exponential backoff (bounded
 * by {@link ReconcilerSettings#maxBackoff()}); resyncs and watch events do not retry a tenant before its backoff has
 * passed. Every reconcile that changed something is reported once to the {@link ProvisioningListener}.
 */
public final class TenantReconciler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TenantReconciler.class);
    private static final java.util.Set<String> HEALTH_REASONS = java.util.Set.of("DataPlaneRollingOut",
            "DataPlaneUnavailable", "DatabaseNotReady");

    private final KubernetesTenantProvisioner provisioner;
    private final ProvisioningListener listener;
    private final ReconcilerSettings settings;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor executor;
    private final Map<String, TenantWork> tenants = new ConcurrentHashMap<>();
    private final Map<KubernetesTarget, RegionConnection> regions = new HashMap<>();
    private final Map<PlacementKey, TenantCondition> conditions = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public TenantReconciler(KubernetesTenantProvisioner provisioner, ProvisioningListener listener,
            ReconcilerSettings settings) {
        this(provisioner, listener, settings, Clock.systemUTC());
    }

    TenantReconciler(KubernetesTenantProvisioner provisioner, ProvisioningListener listener,
            ReconcilerSettings settings, Clock clock) {
        this.provisioner = provisioner;
        this.listener = listener;
        this.settings = settings;
        this.clock = clock;
        this.executor = new ScheduledThreadPoolExecutor(settings.threads(), daemonThreads());
        this.executor.setRemoveOnCancelPolicy(true);
        long resync = settings.resyncInterval().toMillis();
        executor.scheduleWithFixedDelay(this::resync, resync, resync, TimeUnit.MILLISECONDS);
    }

    /** The tenant should exist in this one region only, as the spec says (see {@link #desire(String, List)}). */
    public void desire(KubernetesTarget target, TenantNamespaceSpec spec) {
        desire(spec.tenantId(), List.of(new Desired(target, spec)));
    }

    /**
     * The tenant should exist in exactly these regions, as their specs say: the primary first, then its standbys.
     * Idempotent: the same specs again change nothing; a changed spec is applied; a region no longer named (a move, a
     * dropped standby) is removed once the primary is applied and healthy.
     */
    public void desire(String tenantId, List<Desired> placements) {
        requireOpen();
        if (placements.isEmpty()) {
            throw new IllegalArgumentException("a tenant is desired in at least one region; forget it otherwise");
        }
        Map<String, Placement> next = new LinkedHashMap<>();
        for (Desired desired : placements) {
            KubernetesTenantProvisioner.requireSameRegion(desired.target(), desired.spec());
            if (!desired.spec().tenantId().equals(tenantId)) {
                throw new InvalidSpecException("a spec of tenant " + desired.spec().tenantId() + " among tenant "
                        + tenantId + "'s");
            }
            if (next.put(desired.target().region(), new Placement(desired.target(), desired.spec())) != null) {
                throw new InvalidSpecException("region " + desired.target().region() + " is named twice");
            }
        }
        TenantWork work;
        List<String> changedRegions = new ArrayList<>();
        boolean changed = false;
        while (true) {
            work = tenants.computeIfAbsent(tenantId, TenantWork::new);
            synchronized (work) {
                if (tenants.get(tenantId) != work) {
                    continue; // dropped as gone in the meantime: take the new one
                }
                // in order: the same regions with another primary is a change too
                changed = !List.copyOf(next.entrySet()).equals(List.copyOf(work.desired.entrySet()));
                if (changed) {
                    String previousPrimary = work.desired.isEmpty() ? null : work.desired.keySet().iterator().next();
                    for (Map.Entry<String, Placement> current : work.desired.entrySet()) {
                        if (!next.containsKey(current.getKey())) {
                            work.leaving.put(current.getKey(), current.getValue());
                            work.backoff.remove(current.getKey()); // a new intent: try the removal at once
                            if (current.getKey().equals(previousPrimary)) {
                                work.leavingPrimary.add(current.getKey());
                            }
                        }
                    }
                    for (Map.Entry<String, Placement> wanted : next.entrySet()) {
                        if (!wanted.getValue().equals(work.desired.get(wanted.getKey()))) {
                            changedRegions.add(wanted.getKey());
                            work.backoff.remove(wanted.getKey());
                        }
                        work.leaving.remove(wanted.getKey());
                        work.leavingPrimary.remove(wanted.getKey());
                    }
                    work.desired = next;
                }
                break;
            }
        }
        if (changed) {
            changedRegions.forEach(region -> setCondition(tenantId, region,
                    Type.PROGRESSING, "Applying", "applying the desired state", 0, Duration.ZERO));
            request(work, Trigger.DESIRED);
        }
    }

    /** A tenant's desired namespace in one region. */
    public record Desired(KubernetesTarget target, TenantNamespaceSpec spec) {
    }

    /** The tenant should no longer exist in any region: it is deprovisioned, and retried until its namespaces are gone. */
    public void forget(String tenantId) {
        requireOpen();
        TenantWork work = tenants.get(tenantId);
        if (work == null) {
            return;
        }
        List<String> regions;
        synchronized (work) {
            if (work.desired.isEmpty()) {
                return;
            }
            regions = List.copyOf(work.desired.keySet());
            work.leaving.putAll(work.desired);
            work.desired = new LinkedHashMap<>();
            work.leavingPrimary.clear(); // nothing is left to wait for
            work.backoff.clear();
        }
        regions.forEach(region -> setCondition(tenantId, region, Type.PROGRESSING, "Deprovisioning",
                "removing the tenant from the region", 0, Duration.ZERO));
        request(work, Trigger.DESIRED);
    }

    /** Every tenant's condition per region, ordered by tenant and region. */
    public List<TenantCondition> conditions() {
        return conditions.values().stream()
                .sorted(Comparator.comparing(TenantCondition::tenantId).thenComparing(TenantCondition::region))
                .toList();
    }

    public Optional<TenantCondition> condition(String tenantId, String region) {
        return Optional.ofNullable(conditions.get(new PlacementKey(tenantId, region)));
    }

    /** Stops the resync, the retries and the informers; a reconcile that is running may finish (up to 30 s). */
    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("a reconcile did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (regions) {
            regions.values().forEach(RegionConnection::close);
            regions.clear();
        }
    }

    /** True once the region's informers have listed what they watch (for tests and health checks). */
    public boolean watching(KubernetesTarget target) {
        synchronized (regions) {
            RegionConnection connection = regions.get(target);
            return connection != null && connection.watching();
        }
    }

    /**
     * A region's credentials or API server changed (a rotated secret, say): every placement there, wanted or being
     * left, uses the new target from now on and is tried again at once.
     */
    public void retarget(KubernetesTarget target) {
        requireOpen();
        for (TenantWork work : tenants.values()) {
            boolean changed = false;
            synchronized (work) {
                for (Map<String, Placement> placements : List.of(work.desired, work.leaving)) {
                    Placement current = placements.get(target.region());
                    if (current != null && !current.target.equals(target)) {
                        placements.put(target.region(), new Placement(target, current.spec));
                        work.backoff.remove(target.region());
                        changed = true;
                    }
                }
            }
            if (changed) {
                request(work, Trigger.DESIRED);
            }
        }
    }

    /** Every tenant is looked at; a region still in its backoff after a failure is skipped by the reconcile itself. */
    private void resync() {
        for (TenantWork work : tenants.values()) {
            request(work, Trigger.RESYNC);
        }
    }

    private void onDrift(String tenantId) {
        TenantWork work = tenants.get(tenantId);
        if (work == null || closed) {
            return;
        }
        request(work, Trigger.DRIFT);
    }

    private void request(TenantWork work, Trigger trigger) {
        synchronized (work) {
            if (work.running) {
                work.rerun = stronger(work.rerun, trigger);
                return;
            }
            if (work.queued != null) {
                work.queued = stronger(work.queued, trigger);
                return;
            }
            work.queued = trigger;
        }
        submit(() -> run(work), 0);
    }

    private void run(TenantWork work) {
        Trigger trigger;
        synchronized (work) {
            trigger = work.queued;
            work.queued = null;
            work.running = true;
        }
        try {
            reconcile(work, trigger);
        } catch (RuntimeException e) {
            LOG.errorf(e, "reconcile of tenant %s failed unexpectedly", work.tenantId);
        } finally {
            Trigger again;
            synchronized (work) {
                work.running = false;
                again = work.rerun;
                work.rerun = null;
            }
            if (again != null) {
                request(work, again);
            }
            forgetIfGone(work);
        }
    }

    /**
     * Applies every wanted region and removes every region being left, each with its own backoff: a region that failed
     * is skipped until its backoff has passed, so a failing standby delays neither its primary's repairs nor anything
     * else. The tenant's former primary is removed only once its (new) primary is applied and healthy; a dropped
     * standby goes at once.
     */
    private void reconcile(TenantWork work, Trigger trigger) {
        List<Placement> desired;
        List<Placement> leaving;
        java.util.Set<String> gated;
        synchronized (work) {
            desired = new ArrayList<>(work.desired.values());
            leaving = new ArrayList<>(work.leaving.values());
            gated = java.util.Set.copyOf(work.leavingPrimary);
        }
        Instant now = clock.instant();
        List<ReconcileReport.Placement> changed = new ArrayList<>();
        Map<String, Outcome> failures = new LinkedHashMap<>();
        List<String> pending = new ArrayList<>();
        boolean primaryServing = true;
        for (int i = 0; i < desired.size(); i++) {
            Placement placement = desired.get(i);
            String region = placement.target.region();
            if (work.inBackoff(region, now)) {
                primaryServing &= i != 0;
                continue;
            }
            Outcome outcome = apply(placement);
            outcome.report().ifPresent(changed::add);
            if (outcome.failed()) {
                failures.put(region, outcome);
            } else {
                work.clearBackoff(region);
            }
            if (i == 0 && (outcome.failed() || outcome.waiting())) {
                primaryServing = false;
            }
        }
        // the former primary is removed only once the new one is applied and healthy: a failed apply or a data plane
        // that never comes up there must not leave the tenant with no namespace (and no database) anywhere; a wait
        // ends with the workloads' next status change or the resync
        for (Placement old : leaving) {
            String region = old.target.region();
            if ((gated.contains(region) && !primaryServing) || work.inBackoff(region, now)) {
                continue;
            }
            Outcome outcome = deprovision(work, old);
            outcome.report().ifPresent(changed::add);
            if (outcome.failed()) {
                failures.put(region, outcome);
            } else if (outcome.pending()) {
                pending.add(region);
            } else {
                work.clearBackoff(region);
            }
        }
        if (!changed.isEmpty()) {
            ReconcileReport report = new ReconcileReport(work.tenantId, trigger, changed);
            notify(() -> listener.reconciled(report));
        }
        for (String region : pending) {
            work.failed(region, now, settings);
        }
        failures.forEach((region, outcome) -> {
            Backoff backoff = work.failed(region, now, settings);
            setCondition(work.tenantId, region, Type.DEGRADED, outcome.reason(), outcome.message(), backoff.failures,
                    backoff.delay);
        });
        work.nextRetry(now).ifPresent(delay -> submit(() -> request(work, Trigger.RETRY), delay.toMillis()));
    }

    private Outcome apply(Placement placement) {
        TenantNamespaceSpec spec = placement.spec;
        String region = placement.target.region();
        try {
            ApplyReport report = provisioner.apply(connection(placement.target).client(), spec);
            listener.modelServers(spec.tenantId(), region, report.modelServers());
            Optional<ReconcileReport.Placement> changed = report.changedAnything()
                    ? Optional.of(new ReconcileReport.Placement(region, spec.namespace(), Operation.APPLY,
                            report.changes(), true, null))
                    : Optional.empty();
            if (report.healthy()) {
                setCondition(spec.tenantId(), region, Type.READY, "UpToDate",
                        "every object matches the desired state; the data plane and the database are healthy", 0,
                        Duration.ZERO);
                return Outcome.done(changed);
            }
            String message = String.join("; ", report.unhealthy().stream().map(Unhealthy::message).toList());
            Optional<Unhealthy> failed = report.unhealthy().stream().filter(Unhealthy::failed).findFirst();
            if (failed.isPresent()) {
                return Outcome.failed(changed, failed.get().reason(), scrub(spec, message));
            }
            // waiting for controllers: a tenant that was serving and stops is Degraded, one being rolled out is
            // Progressing; either way the next status change of the Deployment or the Cluster looks again
            Unhealthy first = report.unhealthy().getFirst();
            TenantCondition previous = conditions.get(new PlacementKey(spec.tenantId(), region));
            boolean wasServing = previous != null && (previous.type() == Type.READY
                    || (previous.type() == Type.DEGRADED && HEALTH_REASONS.contains(previous.reason())));
            setCondition(spec.tenantId(), region, wasServing ? Type.DEGRADED : Type.PROGRESSING, first.reason(),
                    scrub(spec, message), 0, Duration.ZERO);
            return Outcome.waiting(changed);
        } catch (ProvisioningException e) {
            List<ObjectChange> partial = e.partial().stream().filter(ObjectChange::changed).toList();
            return Outcome.failed(partial.isEmpty() ? Optional.empty() : Optional.of(new ReconcileReport.Placement(
                    region, spec.namespace(), Operation.APPLY, partial, false, e.reason())),
                    e.reason(), scrub(spec, e.getMessage()));
        } catch (RuntimeException e) {
            return Outcome.failed(Optional.empty(), "ReconcileFailed",
                    scrub(spec, e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    private Outcome deprovision(TenantWork work, Placement placement) {
        TenantNamespaceSpec spec = placement.spec;
        String region = placement.target.region();
        try {
            DeprovisionReport report = provisioner.deprovision(connection(placement.target).client(), region,
                    spec.tenantId(), spec.namespace());
            Optional<ReconcileReport.Placement> changed = report.changedAnything()
                    ? Optional.of(new ReconcileReport.Placement(region, spec.namespace(), Operation.DEPROVISION,
                            report.deleted(), report.gone(), report.gone() ? null : "NamespaceTerminating"))
                    : Optional.empty();
            if (report.gone()) {
                synchronized (work) {
                    work.leaving.remove(region, placement);
                    work.leavingPrimary.remove(region);
                }
                conditions.remove(new PlacementKey(spec.tenantId(), region));
                notify(() -> listener.removed(spec.tenantId(), region));
                return Outcome.done(changed);
            }
            setCondition(spec.tenantId(), region, Type.PROGRESSING, "NamespaceTerminating",
                    "namespace " + spec.namespace() + " is still terminating", 0, Duration.ZERO);
            return new Outcome(changed, false, true, false, null, null);
        } catch (ProvisioningException e) {
            return Outcome.failed(e.partial().isEmpty() ? Optional.empty() : Optional.of(new ReconcileReport.Placement(
                    region, spec.namespace(), Operation.DEPROVISION, e.partial(), false, e.reason())),
                    e.reason(), scrub(spec, e.getMessage()));
        } catch (RuntimeException e) {
            return Outcome.failed(Optional.empty(), "ReconcileFailed",
                    scrub(spec, e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    private void setCondition(String tenantId, String region, Type type, String reason, String message,
            int failedAttempts, Duration retryIn) {
        PlacementKey key = new PlacementKey(tenantId, region);
        TenantCondition previous = conditions.get(key);
        Instant since = previous != null && previous.type() == type ? previous.since() : clock.instant();
        TenantCondition next = new TenantCondition(tenantId, region, type, reason, message, since, failedAttempts,
                retryIn);
        if (next.sameStateAs(previous)) {
            return;
        }
        conditions.put(key, next);
        if (type == Type.DEGRADED) {
            LOG.warnf("tenant %s in region %s: %s (%s), attempt %d, next in %s", tenantId, region, reason, message,
                    failedAttempts, retryIn);
        }
        notify(() -> listener.conditionChanged(next));
    }

    private RegionConnection connection(KubernetesTarget target) {
        synchronized (regions) {
            requireOpen();
            RegionConnection connection = regions.get(target);
            if (connection == null) {
                connection = new RegionConnection(target, this::onDrift);
                regions.put(target, connection);
            }
            return connection;
        }
    }

    /** Drops a tenant that is neither desired nor leaving anywhere, and closes regions nobody is placed in. */
    private void forgetIfGone(TenantWork work) {
        synchronized (work) {
            if (work.desired.isEmpty() && work.leaving.isEmpty() && !work.running && work.queued == null) {
                tenants.remove(work.tenantId, work);
            }
        }
        synchronized (regions) {
            regions.entrySet().removeIf(entry -> {
                boolean used = tenants.values().stream().anyMatch(w -> w.uses(entry.getKey()));
                if (!used) {
                    entry.getValue().close();
                }
                return !used;
            });
        }
    }

    private static String scrub(TenantNamespaceSpec spec, String message) {
        String text = message == null ? "" : message;
        return spec.database().appRolePassword().scrub(spec.serviceKey().scrub(text));
    }

    private void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.errorf(e, "the provisioning listener failed");
        }
    }

    private void submit(Runnable task, long delayMillis) {
        if (closed) {
            return;
        }
        try {
            executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the reconciler is closed");
        }
    }

    private static Trigger stronger(Trigger current, Trigger next) {
        return current == null || next.ordinal() < current.ordinal() ? next : current;
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "atrium-provisioning-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private record PlacementKey(String tenantId, String region) {
    }

    private record Placement(KubernetesTarget target, TenantNamespaceSpec spec) {
    }

    private record Outcome(Optional<ReconcileReport.Placement> report, boolean failed, boolean pending,
            boolean waiting, String reason, String message) {

        static Outcome done(Optional<ReconcileReport.Placement> report) {
            return new Outcome(report, false, false, false, null, null);
        }

        static Outcome waiting(Optional<ReconcileReport.Placement> report) {
            return new Outcome(report, false, false, true, null, null);
        }

        static Outcome failed(Optional<ReconcileReport.Placement> report, String reason, String message) {
            return new Outcome(report, true, false, false, reason, message);
        }
    }

    /** A region's consecutive failures and when it may be tried again. */
    private static final class Backoff {
        int failures;
        Duration delay = Duration.ZERO;
        Instant notBefore = Instant.MIN;
    }

    /**
     * A tenant's desired placements (primary first), the placements it is leaving (and which of them was its primary),
     * its per-region backoff and its reconcile bookkeeping (guarded by itself).
     */
    private static final class TenantWork {
        final String tenantId;
        Map<String, Placement> desired = new LinkedHashMap<>();
        final Map<String, Placement> leaving = new LinkedHashMap<>();
        final java.util.Set<String> leavingPrimary = new java.util.HashSet<>();
        final Map<String, Backoff> backoff = new HashMap<>();
        Trigger queued;
        Trigger rerun;
        boolean running;

        TenantWork(String tenantId) {
            this.tenantId = tenantId;
        }

        synchronized boolean inBackoff(String region, Instant now) {
            Backoff current = backoff.get(region);
            return current != null && now.isBefore(current.notBefore);
        }

        synchronized void clearBackoff(String region) {
            backoff.remove(region);
        }

        synchronized Backoff failed(String region, Instant now, ReconcilerSettings settings) {
            Backoff current = backoff.computeIfAbsent(region, r -> new Backoff());
            current.failures++;
            current.delay = settings.backoff(current.failures);
            current.notBefore = now.plus(current.delay);
            return current;
        }

        /** How long until the earliest region in backoff may be tried again; empty when none is. */
        synchronized Optional<Duration> nextRetry(Instant now) {
            return backoff.values().stream().map(b -> b.notBefore).filter(now::isBefore).min(Comparator.naturalOrder())
                    .map(at -> Duration.between(now, at));
        }

        synchronized boolean uses(KubernetesTarget target) {
            return desired.values().stream().anyMatch(p -> p.target.equals(target))
                    || leaving.values().stream().anyMatch(p -> p.target.equals(target));
        }
    }
}
