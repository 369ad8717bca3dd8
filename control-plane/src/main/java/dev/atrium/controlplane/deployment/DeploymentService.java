package dev.atrium.controlplane.deployment;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.atrium.contract.ServedDeployment;
import dev.atrium.contract.ServedRollout;
import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.ETags;
import dev.atrium.controlplane.common.FieldError;
import dev.atrium.controlplane.common.ProblemType;
import dev.atrium.controlplane.identity.CallerContext;
import dev.atrium.controlplane.model.ModelRegistry;
import dev.atrium.controlplane.model.ModelType;
import dev.atrium.controlplane.model.ModelViews;
import dev.atrium.controlplane.provisioning.TenantNamespaceSpec;
import dev.atrium.controlplane.secret.SecretService;
import dev.atrium.controlplane.secret.SecretView;
import dev.atrium.controlplane.tenant.Tenant;
import dev.atrium.controlplane.tenant.TenantDeleting;
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditTrail;
import dev.atrium.tenancy.EgressAddresses;

/**
 * A tenant's model deployments. Only an APPROVED registry version (the tenant's model or a platform one it can see)
 * of an {@code llm} model can be deployed; the backend's URL must not point into the platform's
 * own network (unless the operator allows private upstreams) and its key must be a secret the tenant holds. Every
 * change is audited in the tenant's chain; the key's value never passes through here.
 */
@ApplicationScoped
public class DeploymentService {

    static final int DEFAULT_TIMEOUT_SECONDS = 60;
    /** Deployments per tenant: each one is a backend the data planes may call on the tenant's behalf. */
    static final int MAX_DEPLOYMENTS = 50;

    @Inject
    DeploymentRepository deployments;

    @Inject
    ModelRegistry registry;

    @Inject
    SecretService secrets;

    @Inject
    AuditTrail auditTrail;

    @Inject
    CallerContext callerContext;

    @Inject
    DeploymentConfig config;

    @Inject
    RolloutRepository rollouts;

    @Inject
    dev.atrium.controlplane.region.PlacementService placements;

    @Inject
    dev.atrium.controlplane.region.RegionService regions;

    @Inject
    dev.atrium.controlplane.region.TenantNamespaceRepository namespaces;

    @Inject
    jakarta.enterprise.event.Event<SelfHostedChanged> selfHostedChanged;

    @Inject
    dev.atrium.controlplane.region.PlatformServingRepository platformServing;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper json;

    /** How often a data plane's request for a self-hosted deployment is written down (its "keep warm" beat). */
    static final java.time.Duration DEMAND_EVERY = java.time.Duration.ofSeconds(30);

    public List<Deployment> list(UUID tenantId) {
        requireOwner(tenantId);
        List<Deployment> all = deployments.list(ModelRegistry.owner(tenantId));
        if (all.stream().noneMatch(Deployment::hasOwnServer)) {
            return all;
        }
        Map<String, List<Deployment.ServerStatus>> servers = servers(tenantId);
        return all.stream().map(d -> d.hasOwnServer() ? d.withServers(servers.getOrDefault(d.name(), List.of())) : d).toList();
    }

    public Deployment get(UUID tenantId, String name) {
        requireOwner(tenantId);
        Deployment found = deployments.find(ModelRegistry.owner(tenantId), name).orElseThrow(() -> ApiException.notFound("deployment", name));
        return found.hasOwnServer() ? found.withServers(servers(tenantId).getOrDefault(name, List.of())) : found;
    }

    /**
     * By deployment, how its model server stands in each region, as the reconciler last reported: the tenant's
     * namespaces, or for the platform (null) the regions' shared serving namespaces.
     */
    private Map<String, List<Deployment.ServerStatus>> servers(UUID tenantId) {
        Map<String, List<Deployment.ServerStatus>> byDeployment = new HashMap<>();
        Map<String, String> byRegion = new java.util.TreeMap<>();
        if (tenantId == null) {
            platformServing.all().stream().filter(row -> row.modelServers() != null)
                    .forEach(row -> byRegion.put(row.region(), row.modelServers()));
        } else {
            byRegion.putAll(namespaces.modelServersOf(tenantId));
        }
        Map<String, String> slots = deployments.serverSlots(ModelRegistry.owner(tenantId));
        byRegion.forEach((region, text) -> {
            try {
                for (com.fasterxml.jackson.databind.JsonNode server : json.readTree(text)) {
                    String deployment = server.path("deployment").asText();
                    String name = server.path("name").asText();
                    String role = name.equals(TenantNamespaceSpec.ModelServer.objectName(deployment, slots.get(deployment)))
                            ? Deployment.ServerStatus.STABLE : Deployment.ServerStatus.CANDIDATE;
                    byDeployment.computeIfAbsent(deployment, d -> new java.util.ArrayList<>())
                            .add(new Deployment.ServerStatus(region, name, role, server.path("version").asText(null),
                                    server.path("state").asText(),
                                    server.path("desiredReplicas").asInt(), server.path("readyReplicas").asInt(),
                                    server.path("message").asText()));
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException unreadable) {
                // a row written by another version: shown as unknown until the next reconcile rewrites it
            }
        });
        return byDeployment;
    }

    @Transactional
    public Deployment create(UUID tenantId, DeploymentRequests.CreateDeployment request) {
        requireOwner(tenantId);
        boolean selfHosted = Deployment.SELF_HOSTED.equals(request.kind());
        if (selfHosted && request.upstream() != null) {
            throw unprocessable("upstream", "a self-hosted deployment is served by its own model server, not a backend URL");
        }
        if (selfHosted && request.selfHosted() == null) {
            throw unprocessable("selfHosted", "is required for a self-hosted deployment (at least its gpuPool)");
        }
        if (!selfHosted && request.upstream() == null) {
            throw unprocessable("upstream", "is required for an upstream deployment");
        }
        if (!selfHosted && request.selfHosted() != null) {
            throw unprocessable("selfHosted", "belongs to self-hosted deployments only");
        }
        requireDeployable(tenantId, request.model(), request.version(), "version");
        Deployment.Upstream upstream = selfHosted ? null : checkedUpstream(tenantId, request.upstream());
        Deployment.SelfHosted server = selfHosted ? checkedSelfHosted(tenantId, request.model(), request.version(), request.selfHosted())
                : null;
        if (deployments.list(ModelRegistry.owner(tenantId)).size() >= MAX_DEPLOYMENTS) {
            throw new ApiException(ProblemType.CONFLICT, "the tenant has " + MAX_DEPLOYMENTS
                    + " deployments, the most it may have; remove one first");
        }
        Instant now = now();
        String actor = callerContext.require().actorId();
        requireFallback(tenantId, request.name(), request.fallback());
        Deployment deployment = new Deployment(request.name(), request.model(), request.version(), request.kind(), upstream,
                request.fallback(), now, actor, now, actor, 0, server, null);
        if (!deployments.insert(ModelRegistry.owner(tenantId), deployment)) {
            throw new ApiException(ProblemType.CONFLICT, "the tenant already has a deployment named '" + request.name() + "'");
        }
        if (selfHosted) {
            selfHostedChanged.fire(new SelfHostedChanged(tenantId));
        }
        Deployment created = get(tenantId, request.name());
        auditTrail.record(AuditEntry.success("deployment.create").tenant(tenantId).resource("deployment", created.name())
                .after(created));
        return created;
    }

    @Transactional
    public Deployment update(UUID tenantId, String name, DeploymentRequests.UpdateDeployment request, String ifMatch) {
        requireOwner(tenantId);
        String owner = ModelRegistry.owner(tenantId);
        Deployment before = deployments.lock(owner, name).orElseThrow(() -> ApiException.notFound("deployment", name));
        ETags.requireMatch(ifMatch, before.etag());
        String version = request.version() == null ? before.version() : request.version();
        if (!version.equals(before.version())) {
            if (rollouts.running(owner, name).isPresent()) {
                throw new ApiException(ProblemType.CONFLICT, "deployment '" + name + "' has a rollout running; promote or roll it "
                        + "back instead of changing its version");
            }
            if (requireDeployable(tenantId, before.model(), version, "version") == ModelType.EMBEDDING) {
                // vectors of two versions are not comparable: the knowledge bases indexed with this one would break
                throw new ApiException(ProblemType.CONFLICT, "'" + name + "' serves an embedding model, whose indexes are tied to "
                        + "version " + before.version() + "; deploy version " + version + " under another name and re-index");
            }
        }
        if (before.hasOwnServer() && request.upstream() != null) {
            throw unprocessable("upstream", "a self-hosted deployment is served by its own model server, not a backend URL");
        }
        if (!before.hasOwnServer() && request.selfHosted() != null) {
            throw unprocessable("selfHosted", "belongs to self-hosted deployments only");
        }
        // the backend of a deployment whose version was withdrawn meanwhile can still be changed (a leaked key swapped
        // out, say); the data planes do not serve it until a version is APPROVED again
        Deployment.Upstream upstream = request.upstream() == null ? before.upstream() : checkedUpstream(tenantId, request.upstream());
        Deployment.SelfHosted server = request.selfHosted() == null ? before.selfHosted()
                : checkedSelfHosted(tenantId, before.model(), version, request.selfHosted());
        if (before.hasOwnServer() && request.selfHosted() == null && !version.equals(before.version())) {
            requireArtifact(tenantId, before.model(), version);
        }
        String fallback = request.fallback() == null ? before.fallback() : request.fallback().isEmpty() ? null : request.fallback();
        if (request.fallback() != null && fallback != null) {
            requireFallback(tenantId, name, fallback);
        }
        Deployment changed = new Deployment(name, before.model(), version, before.kind(), upstream, fallback, before.createdAt(),
                before.createdBy(), now(), callerContext.require().actorId(), before.etag(), server, null);
        deployments.update(owner, changed);
        if (before.hasOwnServer()) {
            selfHostedChanged.fire(new SelfHostedChanged(tenantId));
        }
        Deployment after = get(tenantId, name);
        auditTrail.record(AuditEntry.success("deployment.update").tenant(tenantId).resource("deployment", name)
                .before(before).after(after));
        return after;
    }

    @Transactional
    public void delete(UUID tenantId, String name, String ifMatch) {
        requireOwner(tenantId);
        String owner = ModelRegistry.owner(tenantId);
        Deployment before = deployments.lock(owner, name).orElseThrow(() -> ApiException.notFound("deployment", name));
        ETags.requireMatch(ifMatch, before.etag());
        rollouts.deleteFor(owner, name);
        deployments.delete(owner, name);
        auditTrail.record(AuditEntry.success("deployment.delete").tenant(tenantId).resource("deployment", name).before(before));
        if (before.hasOwnServer()) {
            selfHostedChanged.fire(new SelfHostedChanged(tenantId));
        }
    }

    /**
     * What a data plane serves the tenant: its deployments with each one's model type and the current version of the
     * secret holding the backend's key, so that a data plane holding an older value reads it again.
     */
    public List<ServedDeployment> served(UUID tenantId) {
        return served(tenantId, true, null);
    }

    /**
     * @param ownDataPlane whether the asking data plane is the tenant's own (in its namespace): only there are its
     *                     self-hosted model servers reachable; a region's shared data plane is not told of them
     * @param region       the asking data plane's region: the platform's self-hosted deployments are served only where
     *                     that region runs their model servers (in its shared serving namespace)
     */
    public List<ServedDeployment> served(UUID tenantId, boolean ownDataPlane, String region) {
        Map<String, Integer> secretVersions = new HashMap<>();
        for (SecretView secret : secrets.list(tenantId)) {
            secretVersions.put(secret.name(), secret.version());
        }
        Map<String, String> types = new HashMap<>();
        for (ModelViews.Servable servable : registry.servable(tenantId)) {
            types.put(servable.model(), servable.type().value());
        }
        Map<String, Rollout> running = new HashMap<>();
        rollouts.runningOf(ModelRegistry.owner(tenantId)).forEach(r -> running.put(r.deployment(), r));
        List<ServedDeployment> served = new java.util.ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        Map<String, String> slots = deployments.serverSlots(ModelRegistry.owner(tenantId));
        // read once for the listing, and only when a self-hosted rollout needs its candidate's state
        java.util.function.Supplier<Map<String, List<Deployment.ServerStatus>>> ownServers = memoized(() -> servers(tenantId));
        for (Deployment d : deployments.list(ModelRegistry.owner(tenantId))) {
            names.add(d.name());
            if (d.hasOwnServer() && !ownDataPlane) {
                continue;
            }
            served.add(d.hasOwnServer()
                    // the model server's Service in the tenant's own namespace, where its data plane runs
                    ? new ServedDeployment(d.name(), d.model(), typeOf(tenantId, d.model(), types), d.version(), d.kind(),
                            "http://" + TenantNamespaceSpec.ModelServer.objectName(d.name(), slots.get(d.name())) + "/v1", d.name(),
                            null, null, DEFAULT_TIMEOUT_SECONDS, d.fallback(),
                            selfHostedRollout(ownServers, region, d, running.get(d.name()), slots.get(d.name())), false)
                    : new ServedDeployment(d.name(), d.model(), typeOf(tenantId, d.model(), types),
                    d.version(), d.kind(), d.upstream().url(), d.upstream().model() == null ? d.name() : d.upstream().model(),
                    d.upstream().apiKeySecret(), d.upstream().apiKeySecret() == null ? null : secretVersions.get(d.upstream().apiKeySecret()),
                    d.upstream().timeoutSeconds(), d.fallback(), served(d, running.get(d.name()), secretVersions), false));
        }
        // platform-wide deployments the tenant does not shadow with one of its own; their keys are platform secrets
        List<Deployment> platform = deployments.list(ModelRegistry.owner(null));
        if (!platform.isEmpty()) {
            Map<String, Integer> platformVersions = new HashMap<>();
            secrets.listPlatform().forEach(secret -> platformVersions.put(secret.name(), secret.version()));
            Optional<dev.atrium.controlplane.region.KubernetesSettings> serving = region == null ? Optional.empty()
                    : regions.list().stream().filter(r -> r.name().equals(region) && r.kubernetes() != null
                            && r.kubernetes().platformServingNamespace().isPresent())
                    .map(dev.atrium.controlplane.region.Region::kubernetes).findFirst();
            // only the servers the region's shared serving namespace was last applied with (at zero, too: a request
            // wakes them), not whatever its settings would allow
            java.util.Set<String> platformServers = new java.util.HashSet<>();
            if (serving.isPresent()) {
                servers(null).forEach((name, statuses) -> {
                    if (statuses.stream().anyMatch(s -> s.region().equals(region))) {
                        platformServers.add(name);
                    }
                });
            }
            for (Deployment d : platform) {
                if (names.contains(d.name())) {
                    continue;
                }
                if (d.hasOwnServer()) {
                    if (serving.isPresent() && platformServers.contains(d.name())) {
                        // the model server's Service in the region's shared serving namespace
                        served.add(new ServedDeployment(d.name(), d.model(), typeOf(tenantId, d.model(), types), d.version(), d.kind(),
                                "http://" + TenantNamespaceSpec.ModelServer.objectName(d.name()) + "."
                                        + serving.get().platformServingNamespace().orElseThrow() + ".svc/v1", d.name(), null, null,
                                DEFAULT_TIMEOUT_SECONDS, d.fallback(), null, true));
                    }
                    continue;
                }
                served.add(new ServedDeployment(d.name(), d.model(), typeOf(tenantId, d.model(), types), d.version(), d.kind(),
                        d.upstream().url(), d.upstream().model() == null ? d.name() : d.upstream().model(), d.upstream().apiKeySecret(),
                        d.upstream().apiKeySecret() == null ? null : platformVersions.get(d.upstream().apiKeySecret()),
                        d.upstream().timeoutSeconds(), d.fallback(), null, true));
            }
        }
        return served;
    }

    /**
     * A data plane was asked for a self-hosted deployment: written down at most every 30 s; when that finds it idle past
     * its scale-to-zero time (so its server is at zero or going there), its namespaces are reconciled to start it.
     * False when the tenant has no such self-hosted deployment.
     */
    @Transactional
    public boolean demand(UUID tenantId, String name) {
        String owner = ModelRegistry.owner(tenantId);
        Optional<Deployment> own = deployments.find(owner, name);
        Optional<Deployment> deployment = own.filter(Deployment::hasOwnServer);
        if (own.isEmpty()) {
            // a platform deployment the tenant does not shadow: its server is the platform's, shared by every tenant
            owner = ModelRegistry.owner(null);
            deployment = deployments.find(owner, name).filter(Deployment::hasOwnServer);
        }
        if (deployment.isEmpty()) {
            return false;
        }
        UUID serverOwner = own.isEmpty() ? null : tenantId;
        Instant now = now();
        Deployment.SelfHosted server = deployment.get().selfHosted();
        deployments.demand(owner, name, now, DEMAND_EVERY).ifPresent(previous -> {
            if (server.minReplicas() == 0 && idle(previous.orElse(null), server, now)) {
                selfHostedChanged.fire(new SelfHostedChanged(serverOwner));
            }
        });
        return true;
    }

    /**
     * Why a self-hosted deployment's rollout cannot be promoted yet: its candidate's server must be Ready, with the
     * candidate version, in every region where the deployment's servers run (promoting hands it all the traffic
     * there). Empty when it can.
     */
    Optional<String> candidateNotReady(UUID tenantId, Deployment deployment, Rollout rollout) {
        String slot = deployments.serverSlots(ModelRegistry.owner(tenantId)).get(deployment.name());
        String stable = TenantNamespaceSpec.ModelServer.objectName(deployment.name(), slot);
        String candidate = TenantNamespaceSpec.ModelServer.objectName(deployment.name(), TenantNamespaceSpec.ModelServer.otherSlot(slot));
        List<Deployment.ServerStatus> statuses = servers(tenantId).getOrDefault(deployment.name(), List.of());
        java.util.Set<String> regions = new java.util.TreeSet<>();
        statuses.stream().filter(s -> s.server().equals(stable) || s.server().equals(candidate)).forEach(s -> regions.add(s.region()));
        List<String> waiting = regions.stream().filter(region -> statuses.stream()
                .noneMatch(s -> s.region().equals(region) && readyWith(s, candidate, rollout.candidateVersion()))).toList();
        if (regions.isEmpty() || !waiting.isEmpty()) {
            return Optional.of("the candidate's model server (" + candidate + ", version " + rollout.candidateVersion()
                    + ") is not Ready yet in " + (regions.isEmpty() ? "any region" : String.join(", ", waiting)));
        }
        return Optional.empty();
    }

    private static <T> java.util.function.Supplier<T> memoized(java.util.function.Supplier<T> supplier) {
        java.util.concurrent.atomic.AtomicReference<T> held = new java.util.concurrent.atomic.AtomicReference<>();
        return () -> {
            if (held.get() == null) {
                held.set(supplier.get());
            }
            return held.get();
        };
    }

    private static boolean readyWith(Deployment.ServerStatus status, String server, String version) {
        return status.server().equals(server) && version.equals(status.version())
                && dev.atrium.controlplane.provisioning.ModelServerStatus.READY.equals(status.state());
    }

    /**
     * A self-hosted deployment's model server as the namespaces should run it: the one serving its version, or during
     * a rollout the candidate's ({@code version} the candidate version) in the other slot.
     */
    public record ServerPlan(Deployment deployment, String objectName, String version, String artifactUri, boolean scaledToZero,
                             boolean embedding) {
    }

    /**
     * What model servers the tenant's namespaces should run: every self-hosted deployment with its version's artifact;
     * at zero when its version is not APPROVED (a deprecated version is drained) or, with minReplicas 0, when no data
     * plane asked for it for idleMinutes.
     */
    public List<ServerPlan> serverPlans(UUID tenantId) {
        String owner = ModelRegistry.owner(tenantId);
        Instant now = now();
        java.util.Set<String> approved = new java.util.HashSet<>();
        registry.servable(tenantId).forEach(s -> approved.add(s.model() + "@" + s.version()));
        Map<String, Rollout> running = new HashMap<>();
        rollouts.runningOf(owner).forEach(r -> running.put(r.deployment(), r));
        List<ServerPlan> result = new java.util.ArrayList<>();
        for (DeploymentRepository.Demanded demanded : deployments.selfHosted(owner)) {
            Deployment d = demanded.deployment();
            boolean idle = d.selfHosted().minReplicas() == 0 && idle(demanded.lastDemandAt(), d.selfHosted(), now);
            result.add(plan(tenantId, d, TenantNamespaceSpec.ModelServer.objectName(d.name(), demanded.serverSlot()), d.version(),
                    approved, idle));
            Rollout rollout = running.get(d.name());
            if (rollout != null) {
                result.add(plan(tenantId, d, TenantNamespaceSpec.ModelServer.objectName(d.name(),
                        TenantNamespaceSpec.ModelServer.otherSlot(demanded.serverSlot())), rollout.candidateVersion(), approved, idle));
            }
        }
        return result;
    }

    private ServerPlan plan(UUID tenantId, Deployment d, String objectName, String version, java.util.Set<String> approved, boolean idle) {
        String artifact;
        try {
            artifact = registry.version(tenantId, d.model(), version).artifactUri();
        } catch (ApiException gone) {
            artifact = null;
        }
        boolean servable = approved.contains(d.model() + "@" + version) && artifact != null && !artifact.isBlank();
        return new ServerPlan(d, objectName, version, artifact == null || artifact.isBlank() ? "unset://" + d.model() : artifact,
                !servable || idle, ModelType.EMBEDDING.value().equals(typeOf(tenantId, d.model(), new HashMap<>())));
    }

    private static boolean idle(Instant lastDemand, Deployment.SelfHosted server, Instant now) {
        return lastDemand == null || lastDemand.isBefore(now.minus(java.time.Duration.ofMinutes(server.idleMinutes())));
    }

    /**
     * A self-hosted deployment runs in the tenant's own namespaces: the tenant must be dedicated and placed in
     * Kubernetes regions, each of which must have the GPU pool; a fraction of a GPU only where that pool shares GPUs.
     */
    Deployment.SelfHosted checkedSelfHosted(UUID tenantId, String model, String version, DeploymentRequests.SelfHostedSettings settings) {
        requireArtifact(tenantId, model, version);
        List<String> where = tenantId == null ? platformServingRegions(settings.gpuPool()) : dedicatedRegions(tenantId);
        java.math.BigDecimal gpus = settings.gpus() == null ? java.math.BigDecimal.ONE : settings.gpus().stripTrailingZeros();
        for (String region : where) {
            dev.atrium.controlplane.region.KubernetesSettings kubernetes = regions.get(region).kubernetes();
            dev.atrium.controlplane.region.KubernetesSettings.GpuPool pool = kubernetes.gpuPool(settings.gpuPool()).orElseThrow(() ->
                    unprocessable("selfHosted.gpuPool", "region " + region + ", where the tenant is placed, has no GPU pool named '"
                            + settings.gpuPool() + "'; its pools: " + kubernetes.gpuPools().stream()
                            .map(dev.atrium.controlplane.region.KubernetesSettings.GpuPool::name).toList()));
            java.math.BigDecimal units = gpus.multiply(java.math.BigDecimal.valueOf(pool.sharesPerGpu()));
            if (units.stripTrailingZeros().scale() > 0) {
                throw unprocessable("selfHosted.gpus", pool.sharesPerGpu() == 1
                        ? "pool '" + pool.name() + "' in region " + region + " does not share GPUs: whole GPUs only"
                        : "pool '" + pool.name() + "' in region " + region + " shares each GPU " + pool.sharesPerGpu()
                        + " ways: a multiple of 1/" + pool.sharesPerGpu());
            }
            if (gpus.compareTo(java.math.BigDecimal.valueOf(pool.gpusPerNode())) > 0) {
                throw unprocessable("selfHosted.gpus", "a replica cannot have more GPUs than a node of pool '" + pool.name() + "' ("
                        + pool.gpusPerNode() + ")");
            }
        }
        int min = settings.minReplicas() == null ? 1 : settings.minReplicas();
        int max = settings.maxReplicas() == null ? Math.max(1, min) : settings.maxReplicas();
        if (max < min) {
            throw unprocessable("selfHosted.maxReplicas", "must be at least minReplicas (" + min + ")");
        }
        return new Deployment.SelfHosted(settings.gpuPool(), gpus, min, max, settings.cpu() == null ? "4" : settings.cpu(),
                settings.memory() == null ? "32Gi" : settings.memory(), settings.idleMinutes() == null ? 15 : settings.idleMinutes());
    }

    /**
     * A tenant's self-hosted model servers run in its own namespaces: it must be dedicated (a paid plan) in at least one
     * Kubernetes region where it is placed.
     */
    private List<String> dedicatedRegions(UUID tenantId) {
        List<String> dedicated;
        try {
            dedicated = placements.get(tenantId).regions().stream()
                    .filter(r -> r.kind() == dev.atrium.controlplane.region.RegionKind.KUBERNETES
                            && r.tier() == dev.atrium.controlplane.region.IsolationTier.DEDICATED)
                    .map(dev.atrium.controlplane.region.Placement.PlacedRegion::name).toList();
        } catch (ApiException unplaced) {
            dedicated = List.of();
        }
        if (dedicated.isEmpty()) {
            throw unprocessable("kind", "a tenant's own model servers run in its own namespaces: the tenant needs a dedicated "
                    + "plan and a placement in a Kubernetes region; pooled tenants use the platform's self-hosted deployments, "
                    + "which run in each region's shared serving namespace");
        }
        return dedicated;
    }

    /**
     * The platform's self-hosted model servers run in the shared serving namespace of every Kubernetes region that has
     * the pool and says where its shared data plane runs; there must be at least one.
     */
    private List<String> platformServingRegions(String gpuPool) {
        List<String> where = platformServingRegionsWith(gpuPool);
        if (where.isEmpty()) {
            throw unprocessable("selfHosted.gpuPool", "no Kubernetes region has both a GPU pool named '" + gpuPool
                    + "' and a kubernetes.sharedDataPlaneNamespace (where its shared data plane runs, the namespace allowed "
                    + "to call the platform's model servers)");
        }
        return where;
    }

    private List<String> platformServingRegionsWith(String gpuPool) {
        return regions.list().stream()
                .filter(r -> r.kind() == dev.atrium.controlplane.region.RegionKind.KUBERNETES && r.kubernetes() != null
                        && r.kubernetes().platformServingNamespace().isPresent() && r.kubernetes().gpuPool(gpuPool).isPresent())
                .map(dev.atrium.controlplane.region.Region::name).toList();
    }

    /** A model server loads the version's artifact: a version without one cannot be self-hosted. */
    void requireArtifact(UUID tenantId, String model, String version) {
        String artifact = registry.version(tenantId, model, version).artifactUri();
        if (artifact == null || artifact.isBlank()) {
            throw unprocessable("version", model + "@" + version + " has no artifactUri for a model server to load");
        }
    }

    /**
     * A deployed model's type: from its APPROVED versions, else from the registry (a model whose versions were all
     * withdrawn is still an embedding model: its data planes must refuse it as such, not look for a chat model).
     */
    private String typeOf(UUID tenantId, String model, Map<String, String> approvedTypes) {
        return approvedTypes.computeIfAbsent(model, name -> {
            try {
                return registry.get(tenantId, name).type().value();
            } catch (ApiException gone) {
                return ModelType.LLM.value();
            }
        });
    }

    /** A tenant (its deployments), or the platform (null: platform-wide deployments, served to every tenant). */
    private static void requireOwner(UUID tenantId) {
        if (tenantId != null) {
            Tenant.require(tenantId);
        }
    }

    /**
     * A platform deployment's key is a platform secret an operator stored through the API, never one the platform made
     * for itself (peppers, signing keys) nor a Kubernetes region's credentials: data planes read it.
     */
    private void requirePlatformKey(String secret) {
        // the metadata says it all (a live secret an operator stored); its value is not read to find out
        if (secrets.listPlatform().stream().noneMatch(s -> s.name().equals(secret) && !s.generated())) {
            throw unprocessable("upstream.apiKeySecret", "there is no platform secret named '" + secret
                    + "' an operator stored (PUT /api/v1/platform/secrets/" + secret + ")");
        }
        boolean credentials = regions.list().stream().anyMatch(region -> region.kubernetes() != null
                && secret.equals(region.kubernetes().credentialsSecret()));
        if (credentials) {
            throw unprocessable("upstream.apiKeySecret", "'" + secret + "' holds a Kubernetes region's credentials; it is never sent to a model backend");
        }
    }

    /**
     * The platform deployment's key for a data plane: only a secret a platform deployment names, read and audited in
     * the platform chain with the reading service and its region.
     */
    public Map.Entry<SecretView, String> platformKey(String deployment, dev.atrium.controlplane.identity.Caller service) {
        Deployment found = deployments.find(ModelRegistry.owner(null), deployment)
                .filter(d -> d.upstream() != null && d.upstream().apiKeySecret() != null)
                .orElseThrow(() -> ApiException.notFound("platform deployment key", deployment));
        requirePlatformKey(found.upstream().apiKeySecret());
        return secrets.readPlatformForService(found.upstream().apiKeySecret(), service);
    }

    /**
     * A self-hosted deployment's candidate is served by its model server in the other slot, once that server is Ready
     * in the asking data plane's region (until then the data plane sends it nothing: a loading server would only fail).
     */
    private static ServedRollout selfHostedRollout(java.util.function.Supplier<Map<String, List<Deployment.ServerStatus>>> servers,
                                                   String region, Deployment deployment, Rollout rollout, String slot) {
        if (rollout == null || region == null) {
            return null;
        }
        String candidate = TenantNamespaceSpec.ModelServer.objectName(deployment.name(), TenantNamespaceSpec.ModelServer.otherSlot(slot));
        if (servers.get().getOrDefault(deployment.name(), List.of()).stream()
                .noneMatch(s -> s.region().equals(region) && readyWith(s, candidate, rollout.candidateVersion()))) {
            return null;
        }
        return new ServedRollout(rollout.id(), rollout.strategy(), rollout.step(), rollout.candidateVersion(),
                "http://" + candidate + "/v1", deployment.name(), null, null, DEFAULT_TIMEOUT_SECONDS, rollout.currentStep().weight(), rollout.stickyBy());
    }

    private static ServedRollout served(Deployment deployment, Rollout rollout, Map<String, Integer> secretVersions) {
        if (rollout == null) {
            return null;
        }
        Deployment.Upstream upstream = rollout.upstream();
        return new ServedRollout(rollout.id(), rollout.strategy(), rollout.step(), rollout.candidateVersion(), upstream.url(),
                upstream.model() == null ? deployment.name() : upstream.model(), upstream.apiKeySecret(),
                upstream.apiKeySecret() == null ? null : secretVersions.get(upstream.apiKeySecret()), upstream.timeoutSeconds(),
                rollout.currentStep().weight(), rollout.stickyBy());
    }

    /** A fallback is another deployment the tenant has now (deleting it later leaves a name data planes skip). */
    private void requireFallback(UUID tenantId, String name, String fallback) {
        if (fallback == null) {
            return;
        }
        if (fallback.equals(name)) {
            throw unprocessable("fallback", "a deployment cannot be its own fallback");
        }
        if (deployments.find(ModelRegistry.owner(tenantId), fallback).isEmpty()) {
            throw unprocessable("fallback", "the tenant has no deployment named '" + fallback + "'");
        }
    }

    /** A deleted tenant keeps no deployment. */
    void onTenantDeleting(@Observes TenantDeleting deleting) {
        rollouts.deleteAll(ModelRegistry.owner(deleting.tenantId()));
        deployments.deleteAll(ModelRegistry.owner(deleting.tenantId()));
    }

    Deployment.Upstream checkedUpstream(UUID tenantId, DeploymentRequests.UpstreamSettings settings) {
        EgressAddresses.refusal(settings.url(), config.allowPrivateUpstreams(), true).ifPresent(why -> {
            throw unprocessable("upstream.url", why);
        });
        String secret = settings.apiKeySecret();
        if (secret != null && !config.allowPrivateUpstreams() && !settings.url().regionMatches(true, 0, "https://", 0, 8)) {
            throw unprocessable("upstream.url", "must be https when the deployment sends a key");
        }
        if (secret != null) {
            if (secret.startsWith(SecretService.INFRASTRUCTURE_PREFIX)) {
                throw unprocessable("upstream.apiKeySecret", "secrets named '" + SecretService.INFRASTRUCTURE_PREFIX
                        + "*' are kept by the platform for the tenant's data planes");
            }
            if (tenantId == null) {
                requirePlatformKey(secret);
            } else {
                try {
                    secrets.get(tenantId, secret);
                } catch (ApiException missing) {
                    throw unprocessable("upstream.apiKeySecret", "the tenant has no secret named '" + secret
                            + "' (store the backend's key first: PUT /api/v1/tenants/{id}/secrets/" + secret + ")");
                }
            }
        }
        return new Deployment.Upstream(settings.url().replaceAll("/+$", ""), settings.model(), secret,
                settings.timeoutSeconds() == null ? DEFAULT_TIMEOUT_SECONDS : settings.timeoutSeconds());
    }

    /** Only APPROVED versions of chat or embedding models can be deployed; the model's type. */
    ModelType requireDeployable(UUID tenantId, String model, String version, String field) {
        List<ModelViews.Servable> approved = registry.servable(tenantId).stream().filter(s -> s.model().equals(model)).toList();
        if (approved.isEmpty()) {
            throw unprocessable("model", "the model registry has no APPROVED version of '" + model + "' for this tenant");
        }
        ModelViews.Servable match = approved.stream().filter(s -> s.version().equals(version)).findFirst()
                .orElseThrow(() -> unprocessable(field, "version '" + version + "' of '" + model + "' is not APPROVED; approved: "
                        + approved.stream().map(ModelViews.Servable::version).toList()));
        if (match.type() != ModelType.LLM && match.type() != ModelType.EMBEDDING) {
            throw unprocessable("model", "'" + model + "' is a " + match.type().value()
                    + " model; llm and embedding models can be deployed");
        }
        return match.type();
    }

    static ApiException unprocessable(String field, String message) {
        return new ApiException(ProblemType.UNPROCESSABLE, field + ": " + message, List.of(new FieldError(field, message)));
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
