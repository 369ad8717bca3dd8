package dev.atrium.controlplane.deployment;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.atrium.controlplane.model.ModelRegistry;
import dev.atrium.controlplane.region.KubernetesSettings;
import dev.atrium.controlplane.region.Region;
import dev.atrium.controlplane.region.RegionKind;
import dev.atrium.controlplane.region.RegionService;
import dev.atrium.controlplane.region.TenantNamespaceRepository;
import dev.atrium.controlplane.tenant.Tenant;

/**
 * The platform's GPU pools: each Kubernetes region's pools with their capacity, and the tenants' model servers on
 * them, as the reconciler last reported them (replicas running and wanted) with the GPUs they hold and may grow to.
 */
@ApplicationScoped
public class GpuPools {

    @Inject
    RegionService regions;

    @Inject
    TenantNamespaceRepository namespaces;

    @Inject
    DeploymentRepository deployments;

    @Inject
    ObjectMapper json;

    @Inject
    dev.atrium.controlplane.region.PlatformServingRepository platformServing;

    /** One model server on a pool; {@code tenantId} and {@code tenantSlug} are null for the platform's own. */
    public record Server(UUID tenantId, String tenantSlug, String deployment, String state, BigDecimal gpusPerReplica,
                         int desiredReplicas, int readyReplicas, int maxReplicas) {
    }

    /**
     * A pool of a region: {@code capacityGpus} (nodes x GPUs per node), the GPUs its servers hold now
     * ({@code allocatedGpus}: replicas wanted x GPUs per replica) and at their most ({@code maxGpus}).
     */
    public record Pool(String region, String name, String gpuType, int nodes, int gpusPerNode, int sharesPerGpu, int capacityGpus,
                       BigDecimal pricePerGpuHour, BigDecimal allocatedGpus, BigDecimal maxGpus, List<Server> servers) {
    }

    public List<Pool> pools() {
        Map<String, List<Server>> byPool = new HashMap<>();
        Map<UUID, Map<String, Deployment>> selfHosted = new HashMap<>();
        for (TenantNamespaceRepository.ModelServers row : namespaces.allModelServers()) {
            Tenant tenant = Tenant.findById(row.tenantId());
            addServers(byPool, row.region(), row.json(), selfHosted(row.tenantId()), row.tenantId(), tenant == null ? null : tenant.slug);
        }
        // the platform's servers, in the regions' shared serving namespaces: no tenant
        Map<String, Deployment> platform = selfHosted(null);
        platformServing.all().stream().filter(row -> row.modelServers() != null)
                .forEach(row -> addServers(byPool, row.region(), row.modelServers(), platform, null, null));
        List<Pool> pools = new ArrayList<>();
        for (Region region : regions.list()) {
            if (region.kind() != RegionKind.KUBERNETES || region.kubernetes() == null) {
                continue;
            }
            for (KubernetesSettings.GpuPool pool : region.kubernetes().gpuPools()) {
                List<Server> servers = byPool.getOrDefault(region.name() + "/" + pool.name(), List.of());
                BigDecimal allocated = servers.stream().map(s -> s.gpusPerReplica().multiply(BigDecimal.valueOf(s.desiredReplicas())))
                        .reduce(BigDecimal.ZERO, BigDecimal::add);
                BigDecimal max = servers.stream().map(s -> s.gpusPerReplica().multiply(BigDecimal.valueOf(s.maxReplicas())))
                        .reduce(BigDecimal.ZERO, BigDecimal::add);
                pools.add(new Pool(region.name(), pool.name(), pool.gpuType(), pool.nodes(), pool.gpusPerNode(), pool.sharesPerGpu(),
                        pool.capacity(), pool.pricePerGpuHour(), allocated.stripTrailingZeros(), max.stripTrailingZeros(), servers));
            }
        }
        return pools;
    }

    private Map<String, Deployment> selfHosted(UUID owner) {
        Map<String, Deployment> byName = new HashMap<>();
        deployments.selfHosted(ModelRegistry.owner(owner)).forEach(d -> byName.put(d.deployment().name(), d.deployment()));
        return byName;
    }

    private void addServers(Map<String, List<Server>> byPool, String region, String statuses, Map<String, Deployment> selfHosted,
            UUID tenantId, String tenantSlug) {
        try {
            for (JsonNode server : json.readTree(statuses)) {
                Deployment deployment = selfHosted.get(server.path("deployment").asText());
                if (deployment == null) {
                    continue;
                }
                byPool.computeIfAbsent(region + "/" + deployment.selfHosted().gpuPool(), key -> new ArrayList<>())
                        .add(new Server(tenantId, tenantSlug, deployment.name(), server.path("state").asText(),
                                deployment.selfHosted().gpus(), server.path("desiredReplicas").asInt(),
                                server.path("readyReplicas").asInt(), deployment.selfHosted().maxReplicas()));
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException unreadable) {
            // rewritten at the namespace's next apply
        }
    }
}
