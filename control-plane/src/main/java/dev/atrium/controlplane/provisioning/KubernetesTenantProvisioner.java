package dev.atrium.controlplane.provisioning;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.jboss.logging.Logger;

import dev.atrium.controlplane.provisioning.ObjectChange.Action;

/**
 * The Kubernetes adapter: applies a tenant's objects to a region with server-side apply (field manager
 * {@value #FIELD_MANAGER}, forced, so Atrium takes back any field someone else changed), and removes them.
 *
 * <p>Before each apply the live object is read and compared with the desired one ({@link LiveComparison}): an object
 * that already matches is not sent at all. That makes the report exact (created, changed with the differing paths, or
 * unchanged) and keeps a resync that finds nothing to do from writing, which would otherwise wake the informers and
 * trigger another reconcile.
 */
public class KubernetesTenantProvisioner {

    public static final String FIELD_MANAGER = "atrium";
    private static final Logger LOG = Logger.getLogger(KubernetesTenantProvisioner.class);

    private final Duration deletionTimeout;
    private final Duration deletionPollInterval;
    private final Clock clock;

    /** @param deletionTimeout how long {@link #deprovision} waits for the namespace to be gone */
    public KubernetesTenantProvisioner(Duration deletionTimeout) {
        this(deletionTimeout, Duration.ofMillis(500), Clock.systemUTC());
    }

    KubernetesTenantProvisioner(Duration deletionTimeout, Duration deletionPollInterval, Clock clock) {
        this.deletionTimeout = deletionTimeout;
        this.deletionPollInterval = deletionPollInterval;
        this.clock = clock;
    }

    /** Applies the tenant's objects with a client of its own, closed afterwards. */
    public ApplyReport apply(KubernetesTarget target, TenantNamespaceSpec spec) {
        requireSameRegion(target, spec);
        try (KubernetesClient client = target.connect()) {
            return apply(client, spec);
        }
    }

    /**
     * Applies a region's shared serving namespace (the platform's model servers) and prunes the servers no longer
     * desired. A namespace of that name that Atrium did not label as the platform's is never taken over.
     */
    public ApplyReport applyPlatformServing(KubernetesTarget target, PlatformServingSpec spec) {
        if (!target.region().equals(spec.region()) || !spec.namespace().startsWith(target.namespacePrefix())) {
            throw new InvalidSpecException("the shared serving namespace " + spec.namespace() + " of region " + spec.region()
                    + " does not belong to target " + target.region());
        }
        try (KubernetesClient client = target.connect()) {
            return applyPlatformServing(client, spec);
        }
    }

    ApplyReport applyPlatformServing(KubernetesClient client, PlatformServingSpec spec) {
        List<ObjectChange> changes = new ArrayList<>();
        HasMetadata current = null;
        List<ModelServerStatus> statuses;
        try {
            List<HasMetadata> rendered = PlatformServingManifests.render(spec);
            for (HasMetadata desired : rendered) {
                current = desired;
                ManagedKind kind = ManagedKind.of(desired);
                Resource<GenericKubernetesResource> resource = resource(client, kind, spec.namespace(), desired);
                GenericKubernetesResource live = resource.get();
                if (kind == ManagedKind.NAMESPACE && live != null) {
                    Map<String, String> labels = live.getMetadata().getLabels() == null ? Map.of() : live.getMetadata().getLabels();
                    if (!PlatformServingManifests.ROLE.equals(labels.get(PlatformServingManifests.ROLE_LABEL))
                            || !TenantManifests.MANAGED_BY.equals(labels.get(TenantManifests.MANAGED_BY_LABEL))) {
                        throw new ProvisioningException("NamespaceOwnedElsewhere", "namespace " + spec.namespace()
                                + " exists but is not labelled as Atrium's shared serving namespace; Atrium does not take it over",
                                changes, null);
                    }
                }
                changes.add(converge(client, kind, desired, live));
                if (kind == ManagedKind.DEPLOYMENT) {
                    scaleIntoBounds(resource, desired.getMetadata().getName(), spec.modelServers()).ifPresent(changes::add);
                }
            }
            current = null;
            changes.addAll(pruneModelServers(client, spec.namespace(), PlatformServingSpec.OWNER, rendered));
            statuses = spec.modelServers().stream().map(server -> modelServerStatus(client, spec.namespace(), server)).toList();
        } catch (KubernetesClientException e) {
            String what = current == null ? "" : current.getKind() + "/" + current.getMetadata().getName() + ": ";
            throw new ProvisioningException(Failures.reason(e, current), what + Failures.describe(e), changes, e);
        }
        ApplyReport report = new ApplyReport(PlatformServingSpec.OWNER, spec.region(), spec.namespace(), changes, List.of(), statuses);
        if (report.changedAnything()) {
            LOG.infof("shared serving namespace %s in region %s: %s", spec.namespace(), spec.region(), report.changes());
        }
        return report;
    }

    /**
     * Starts removing a region's shared serving namespace once no platform model server is left in it, without waiting
     * for it to be gone (the caller asks again on its next pass; the namespaces of tenants wait behind no removal). A
     * namespace of that name Atrium did not label as the platform's is not touched.
     */
    public DeprovisionReport removePlatformServing(KubernetesTarget target, String namespace) {
        try (KubernetesClient client = target.connect()) {
            GenericKubernetesResource live = client.genericKubernetesResources(ManagedKind.NAMESPACE.context()).withName(namespace).get();
            Map<String, String> labels = live == null || live.getMetadata().getLabels() == null ? Map.of() : live.getMetadata().getLabels();
            if (live != null && !PlatformServingManifests.ROLE.equals(labels.get(PlatformServingManifests.ROLE_LABEL))) {
                throw new ProvisioningException("NamespaceOwnedElsewhere", "namespace " + namespace
                        + " is not labelled as Atrium's shared serving namespace; Atrium does not delete it", List.of(), null);
            }
            return deprovision(client, target.region(), PlatformServingSpec.OWNER, namespace, false);
        } catch (KubernetesClientException e) {
            throw new ProvisioningException(Failures.reason(e, null), "namespace " + namespace + ": " + Failures.describe(e), List.of(), e);
        }
    }

    /** Removes the tenant's namespace and everything in it, and waits (bounded) until the namespace is gone. */
    public DeprovisionReport deprovision(KubernetesTarget target, String tenantId, String namespace) {
        try (KubernetesClient client = target.connect()) {
            return deprovision(client, target.region(), tenantId, namespace);
        }
    }

    static void requireSameRegion(KubernetesTarget target, TenantNamespaceSpec spec) {
        if (!target.region().equals(spec.region())) {
            throw new InvalidSpecException("the spec is for region " + spec.region() + ", the target is region "
                    + target.region());
        }
        if (!spec.namespace().startsWith(target.namespacePrefix())) {
            throw new InvalidSpecException("namespace " + spec.namespace() + " does not start with the region's prefix "
                    + target.namespacePrefix());
        }
    }

    ApplyReport apply(KubernetesClient client, TenantNamespaceSpec spec) {
        List<ObjectChange> changes = new ArrayList<>();
        HasMetadata current = null;
        try {
            List<HasMetadata> rendered = TenantManifests.render(spec);
            for (HasMetadata desired : rendered) {
                current = desired;
                ManagedKind kind = ManagedKind.of(desired);
                Resource<GenericKubernetesResource> resource = resource(client, kind, spec.namespace(), desired);
                GenericKubernetesResource live = resource.get();
                if (kind == ManagedKind.NAMESPACE) {
                    requireOwnNamespace(spec, live);
                }
                ObjectChange change = converge(client, kind, desired, live);
                changes.add(change);
                if (kind == ManagedKind.DEPLOYMENT) {
                    scaleIntoBounds(resource, desired.getMetadata().getName(), spec).ifPresent(changes::add);
                }
            }
            current = null;
            changes.addAll(pruneModelServers(client, spec, rendered));
        } catch (KubernetesClientException e) {
            String what = current == null ? "" : current.getKind() + "/" + current.getMetadata().getName() + ": ";
            throw new ProvisioningException(Failures.reason(e, current), spec.serviceKey().scrub(
                    spec.database().appRolePassword().scrub(what + Failures.describe(e))), changes, e);
        }
        List<Unhealthy> unhealthy;
        List<ModelServerStatus> modelServers;
        try {
            unhealthy = health(client, spec);
            modelServers = spec.modelServers().stream().map(server -> modelServerStatus(client, spec.namespace(), server)).toList();
        } catch (KubernetesClientException e) {
            throw new ProvisioningException(Failures.reason(e, null), "reading the workloads' status: "
                    + Failures.describe(e), changes, e);
        }
        ApplyReport report = new ApplyReport(spec.tenantId(), spec.region(), spec.namespace(), changes, unhealthy, modelServers);
        if (report.changedAnything()) {
            LOG.infof("tenant %s in region %s: %s", spec.tenantId(), spec.region(), report.changes());
        }
        return report;
    }

    private static ObjectChange converge(KubernetesClient client, ManagedKind kind, HasMetadata desired,
            GenericKubernetesResource live) {
        String name = desired.getMetadata().getName();
        if (live == null) {
            serverSideApply(client, kind, desired);
            return new ObjectChange(kind.kind(), name, Action.CREATED, List.of());
        }
        List<String> differences = LiveComparison.differences(ManifestYaml.tree(desired), ManifestYaml.tree(live));
        if (differences.isEmpty()) {
            return new ObjectChange(kind.kind(), name, Action.UNCHANGED, List.of());
        }
        serverSideApply(client, kind, desired);
        return new ObjectChange(kind.kind(), name, Action.CHANGED, differences);
    }

    /** Sends the object as a forced server-side apply; Fabric8 needs it as the resource's item, not as a string. */
    private static void serverSideApply(KubernetesClient client, ManagedKind kind, HasMetadata desired) {
        PatchContext apply = new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager(FIELD_MANAGER)
                .withForce(true)
                .build();
        GenericKubernetesResource item = ManifestYaml.generic(desired);
        var resources = client.genericKubernetesResources(kind.context());
        Resource<GenericKubernetesResource> resource = kind.namespaced()
                ? resources.inNamespace(desired.getMetadata().getNamespace()).resource(item)
                : resources.resource(item);
        resource.patch(apply);
    }

    /**
     * The autoscaler owns the replica count, so it is not in the applied Deployment; but a count outside min..max (a
     * manual scale to 0 disables the autoscaler altogether) is brought back to the nearest bound. A model server scaled
     * to zero has no autoscaler: its count of 0 is part of the applied Deployment.
     */
    private Optional<ObjectChange> scaleIntoBounds(Resource<GenericKubernetesResource> deployment, String name,
            TenantNamespaceSpec spec) {
        if (TenantManifests.DATA_PLANE.equals(name)) {
            return scaleIntoBounds(deployment, name, spec.dataPlane().minReplicas(), spec.dataPlane().maxReplicas());
        }
        return scaleIntoBounds(deployment, name, spec.modelServers());
    }

    private static Optional<ObjectChange> scaleIntoBounds(Resource<GenericKubernetesResource> deployment, String name,
            List<TenantNamespaceSpec.ModelServer> servers) {
        Optional<TenantNamespaceSpec.ModelServer> server = servers.stream().filter(s -> s.name().equals(name)).findFirst();
        if (server.isEmpty() || server.get().scaledToZero()) {
            return Optional.empty();
        }
        return scaleIntoBounds(deployment, name, server.get().minReplicas(), server.get().maxReplicas());
    }

    private static Optional<ObjectChange> scaleIntoBounds(Resource<GenericKubernetesResource> deployment, String name, int min, int max) {
        GenericKubernetesResource live = deployment.get();
        if (live == null) {
            return Optional.empty();
        }
        Object replicas = live.get("spec", "replicas");
        // the API server defaults a missing count to 1; the simulation does not default, so do it here
        int current = replicas instanceof Number number ? number.intValue() : 1;
        int bounded = Math.max(min, Math.min(max, current));
        if (bounded == current && replicas != null) {
            return Optional.empty();
        }
        PatchContext mergePatch = new PatchContext.Builder()
                .withPatchType(PatchType.JSON_MERGE)
                .withFieldManager(FIELD_MANAGER)
                .build();
        deployment.patch(mergePatch, "{\"spec\":{\"replicas\":" + bounded + "}}");
        return Optional.of(new ObjectChange("Deployment", name, Action.SCALED, List.of("spec.replicas")));
    }

    /** The kinds a model server is made of, which are pruned when the server is no longer desired. */
    private static final List<ManagedKind> MODEL_SERVER_KINDS = ManagedKind.ALL.stream()
            .filter(kind -> List.of("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy")
                    .contains(kind.kind()))
            .toList();

    /**
     * Deletes the tenant's model-server objects that are no longer desired: a deployment removed, the autoscaler and
     * disruption budget of a server scaled to zero, the model servers' network policies once none is left.
     */
    private static List<ObjectChange> pruneModelServers(KubernetesClient client, TenantNamespaceSpec spec, List<HasMetadata> rendered) {
        return pruneModelServers(client, spec.namespace(), spec.tenantId(), rendered);
    }

    private static List<ObjectChange> pruneModelServers(KubernetesClient client, String namespace, String owner, List<HasMetadata> rendered) {
        java.util.Set<String> desired = new java.util.HashSet<>();
        for (HasMetadata object : rendered) {
            desired.add(object.getKind() + "/" + object.getMetadata().getName());
        }
        List<ObjectChange> deleted = new ArrayList<>();
        for (ManagedKind kind : MODEL_SERVER_KINDS) {
            for (GenericKubernetesResource live : client.genericKubernetesResources(kind.context()).inNamespace(namespace)
                    .withLabel(TenantManifests.MANAGED_BY_LABEL, TenantManifests.MANAGED_BY)
                    .withLabel(TenantManifests.TENANT_LABEL, owner)
                    .withLabel(TenantManifests.COMPONENT_LABEL, TenantManifests.MODEL_SERVER).list().getItems()) {
                String name = live.getMetadata().getName();
                if (!desired.contains(kind.kind() + "/" + name)) {
                    client.genericKubernetesResources(kind.context()).inNamespace(namespace).withName(name).delete();
                    deleted.add(new ObjectChange(kind.kind(), name, Action.DELETED, List.of()));
                }
            }
        }
        return deleted;
    }

    /** How a model server stands; never part of the namespace's health. */
    static ModelServerStatus modelServerStatus(KubernetesClient client, String namespace, TenantNamespaceSpec.ModelServer server) {
        if (server.scaledToZero()) {
            return new ModelServerStatus(server.deployment(), server.name(), ModelServerStatus.SCALED_TO_ZERO, 0, 0,
                    "scaled to zero while idle; the next request starts it", server.version());
        }
        GenericKubernetesResource deployment = client.genericKubernetesResources(ManagedKind.DEPLOYMENT.context())
                .inNamespace(namespace).withName(server.name()).get();
        if (deployment == null) {
            return new ModelServerStatus(server.deployment(), server.name(), ModelServerStatus.STARTING, server.minReplicas(), 0,
                    "Deployment/" + server.name() + " does not exist yet", server.version());
        }
        int wanted = number(deployment.get("spec", "replicas"), 1);
        int available = number(deployment.get("status", "availableReplicas"), 0);
        Map<String, Object> progressing = condition(deployment, "Progressing");
        if (progressing != null && "False".equals(progressing.get("status"))
                && "ProgressDeadlineExceeded".equals(progressing.get("reason"))) {
            return new ModelServerStatus(server.deployment(), server.name(), ModelServerStatus.FAILED, wanted, available,
                    String.valueOf(progressing.get("message")), server.version());
        }
        // Ready only once every pod runs the current template (the version just applied): during a rolling update the
        // old pods keep the Deployment Available while they still serve the previous version
        Long generation = deployment.getMetadata().getGeneration();
        Object observed = deployment.get("status", "observedGeneration");
        boolean current = generation == null || observed instanceof Number number && number.longValue() >= generation;
        int updated = number(deployment.get("status", "updatedReplicas"), 0);
        int total = number(deployment.get("status", "replicas"), 0);
        Map<String, Object> availableCondition = condition(deployment, "Available");
        if (current && available > 0 && updated >= wanted && total <= updated && available >= updated
                && availableCondition != null && "True".equals(availableCondition.get("status"))) {
            return new ModelServerStatus(server.deployment(), server.name(), ModelServerStatus.READY, wanted, available,
                    available + " of " + wanted + " pods available", server.version());
        }
        return new ModelServerStatus(server.deployment(), server.name(), ModelServerStatus.STARTING, wanted, available,
                available + " of " + wanted + " pods available, " + updated + " running the current version (scheduling on the "
                        + "GPU pool and loading the model take minutes)", server.version());
    }

    /**
     * What is not healthy yet once the objects match: the data plane's Deployment must be Available (its controller has
     * seen the current generation and at least its minimum of pods is ready) and every instance of the tenant's
     * CloudNativePG cluster ready. Empty when both are.
     */
    static List<Unhealthy> health(KubernetesClient client, TenantNamespaceSpec spec) {
        List<Unhealthy> unhealthy = new ArrayList<>();
        GenericKubernetesResource deployment = client.genericKubernetesResources(ManagedKind.DEPLOYMENT.context())
                .inNamespace(spec.namespace()).withName(TenantManifests.DATA_PLANE).get();
        deploymentHealth(deployment).ifPresent(unhealthy::add);
        GenericKubernetesResource cluster = client.genericKubernetesResources(ManagedKind.DATABASE_CLUSTER.context())
                .inNamespace(spec.namespace()).withName(TenantManifests.DATABASE_CLUSTER).get();
        databaseHealth(cluster, spec.database().instances()).ifPresent(unhealthy::add);
        return unhealthy;
    }

    private static Optional<Unhealthy> deploymentHealth(GenericKubernetesResource deployment) {
        String what = "Deployment/" + TenantManifests.DATA_PLANE;
        if (deployment == null) {
            return Optional.of(new Unhealthy("DataPlaneUnavailable", what + " does not exist", false));
        }
        Long generation = deployment.getMetadata().getGeneration();
        Object observed = deployment.get("status", "observedGeneration");
        if (generation != null && !(observed instanceof Number number && number.longValue() >= generation)) {
            return Optional.of(new Unhealthy("DataPlaneRollingOut", what + ": generation " + generation
                    + " not yet observed by its controller", false));
        }
        Map<String, Object> progressing = condition(deployment, "Progressing");
        if (progressing != null && "False".equals(progressing.get("status"))
                && "ProgressDeadlineExceeded".equals(progressing.get("reason"))) {
            return Optional.of(new Unhealthy("DataPlaneRolloutStuck", what + ": " + progressing.get("message"), true));
        }
        Map<String, Object> available = condition(deployment, "Available");
        if (available == null || !"True".equals(available.get("status"))) {
            Object ready = deployment.get("status", "availableReplicas");
            return Optional.of(new Unhealthy("DataPlaneUnavailable", what + ": " + (ready == null ? 0 : ready)
                    + " pods available, below its minimum", false));
        }
        // as `kubectl rollout status` judges a rollout: every pod runs the current template and is available (old
        // pods still serving keep a Deployment Available while its new pods crash)
        int wanted = number(deployment.get("spec", "replicas"), 1);
        int updated = number(deployment.get("status", "updatedReplicas"), 0);
        int total = number(deployment.get("status", "replicas"), 0);
        int availableReplicas = number(deployment.get("status", "availableReplicas"), 0);
        if (updated < wanted || total > updated || availableReplicas < updated) {
            return Optional.of(new Unhealthy("DataPlaneRollingOut", what + ": " + updated + " of " + wanted
                    + " pods updated, " + availableReplicas + " available, " + Math.max(0, total - updated)
                    + " old pods left", false));
        }
        return Optional.empty();
    }

    private static Optional<Unhealthy> databaseHealth(GenericKubernetesResource cluster, int instances) {
        String what = "Cluster/" + TenantManifests.DATABASE_CLUSTER;
        if (cluster == null) {
            return Optional.of(new Unhealthy("DatabaseNotReady", what + " does not exist", false));
        }
        Object ready = cluster.get("status", "readyInstances");
        int readyInstances = ready instanceof Number number ? number.intValue() : 0;
        if (readyInstances < instances) {
            Object phase = cluster.get("status", "phase");
            return Optional.of(new Unhealthy("DatabaseNotReady", what + ": " + readyInstances + " of " + instances
                    + " instances ready" + (phase == null ? "" : " (" + phase + ")"), false));
        }
        return Optional.empty();
    }

    private static int number(Object value, int otherwise) {
        return value instanceof Number number ? number.intValue() : otherwise;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> condition(GenericKubernetesResource object, String type) {
        Object conditions = object.get("status", "conditions");
        if (!(conditions instanceof List<?> list)) {
            return null;
        }
        return list.stream().filter(Map.class::isInstance).map(c -> (Map<String, Object>) c)
                .filter(c -> type.equals(c.get("type"))).findFirst().orElse(null);
    }

    /** Refuses to take over a namespace that exists but is not this tenant's (another team's, another tenant's). */
    private static void requireOwnNamespace(TenantNamespaceSpec spec, GenericKubernetesResource live) {
        if (live == null) {
            return;
        }
        Map<String, String> labels = live.getMetadata().getLabels() == null ? Map.of() : live.getMetadata().getLabels();
        if (!TenantManifests.MANAGED_BY.equals(labels.get(TenantManifests.MANAGED_BY_LABEL))
                || !spec.tenantId().equals(labels.get(TenantManifests.TENANT_LABEL))) {
            throw new ProvisioningException("NamespaceOwnedElsewhere", "namespace " + spec.namespace()
                    + " exists but is not labelled as tenant " + spec.tenantId() + "'s; Atrium does not take it over",
                    List.of(), null);
        }
        if (live.getMetadata().getDeletionTimestamp() != null) {
            throw new ProvisioningException("NamespaceTerminating", "namespace " + spec.namespace()
                    + " is still being deleted; it will be recreated once it is gone", List.of(), null);
        }
    }

    DeprovisionReport deprovision(KubernetesClient client, String region, String tenantId, String namespace) {
        return deprovision(client, region, tenantId, namespace, true);
    }

    /** @param wait whether to wait (bounded) for the namespace to be gone, or only to start its deletion */
    private DeprovisionReport deprovision(KubernetesClient client, String region, String tenantId, String namespace, boolean wait) {
        KubernetesNames.labelValue("tenantId", tenantId);
        KubernetesNames.dnsLabel("namespace", namespace);
        Instant start = clock.instant();
        Resource<GenericKubernetesResource> namespaceResource = client
                .genericKubernetesResources(ManagedKind.NAMESPACE.context()).withName(namespace);
        List<ObjectChange> deleted = new ArrayList<>();
        try {
            GenericKubernetesResource live = namespaceResource.get();
            if (live == null) {
                return new DeprovisionReport(tenantId, region, namespace, deleted, true, Duration.ZERO);
            }
            Map<String, String> labels = live.getMetadata().getLabels() == null ? Map.of() : live.getMetadata().getLabels();
            if (!TenantManifests.MANAGED_BY.equals(labels.get(TenantManifests.MANAGED_BY_LABEL))
                    || !tenantId.equals(labels.get(TenantManifests.TENANT_LABEL))) {
                throw new ProvisioningException("NamespaceOwnedElsewhere", "namespace " + namespace
                        + " is not labelled as tenant " + tenantId + "'s; Atrium does not delete it", List.of(), null);
            }
            if (live.getMetadata().getDeletionTimestamp() == null) {
                // the namespace's deletion removes its content too; deleting Atrium's objects first, newest kind
                // first, makes the end state the same whether or not the cluster runs a namespace controller
                List<ManagedKind> kinds = new ArrayList<>(ManagedKind.ALL.subList(1, ManagedKind.ALL.size()));
                Collections.reverse(kinds);
                for (ManagedKind kind : kinds) {
                    NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
                            Resource<GenericKubernetesResource>> inNamespace = client
                            .genericKubernetesResources(kind.context()).inNamespace(namespace);
                    List<StatusDetails> gone = inNamespace
                            .withLabel(TenantManifests.MANAGED_BY_LABEL, TenantManifests.MANAGED_BY)
                            .withLabel(TenantManifests.TENANT_LABEL, tenantId)
                            .delete();
                    gone.forEach(details -> deleted.add(
                            new ObjectChange(kind.kind(), details.getName(), Action.DELETED, List.of())));
                }
                namespaceResource.delete();
                deleted.add(new ObjectChange("Namespace", namespace, Action.DELETED, List.of()));
            }
            boolean gone = wait ? waitUntilGone(namespaceResource) : namespaceResource.get() == null;
            DeprovisionReport report = new DeprovisionReport(tenantId, region, namespace, deleted, gone,
                    Duration.between(start, clock.instant()));
            LOG.infof("tenant %s removed from region %s: %s%s", tenantId, region, deleted,
                    gone ? "" : " (namespace still terminating)");
            return report;
        } catch (KubernetesClientException e) {
            throw new ProvisioningException(Failures.reason(e, null), "namespace " + namespace + ": "
                    + Failures.describe(e), deleted, e);
        }
    }

    private boolean waitUntilGone(Resource<GenericKubernetesResource> namespace) {
        Instant deadline = clock.instant().plus(deletionTimeout);
        while (true) {
            if (namespace.get() == null) {
                return true;
            }
            if (!clock.instant().isBefore(deadline)) {
                return false;
            }
            try {
                Thread.sleep(deletionPollInterval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private static Resource<GenericKubernetesResource> resource(KubernetesClient client, ManagedKind kind,
            String namespace, HasMetadata desired) {
        var resources = client.genericKubernetesResources(kind.context());
        return kind.namespaced()
                ? resources.inNamespace(namespace).withName(desired.getMetadata().getName())
                : resources.withName(desired.getMetadata().getName());
    }
}
