package dev.atrium.controlplane.dedicated;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.atrium.controlplane.deployment.DeploymentService;
import dev.atrium.controlplane.identity.ActorType;
import dev.atrium.controlplane.identity.TenantScope;
import dev.atrium.controlplane.provisioning.ApplyReport;
import dev.atrium.controlplane.provisioning.InvalidSpecException;
import dev.atrium.controlplane.provisioning.KubernetesTenantProvisioner;
import dev.atrium.controlplane.provisioning.ObjectChange;
import dev.atrium.controlplane.provisioning.PlatformServingSpec;
import dev.atrium.controlplane.provisioning.ProvisioningException;
import dev.atrium.controlplane.provisioning.TenantNamespaceSpec.ModelServer;
import dev.atrium.controlplane.region.PlatformServingRepository;
import dev.atrium.controlplane.region.Region;
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditTrail;

/**
 * The platform's self-hosted deployments, run in each Kubernetes region's shared serving namespace
 * ({@code <namespacePrefix>-platform}) where the region has the deployment's GPU pool and says where its shared data
 * plane runs. Part of every dedicated sync (same thread, same credentials): each region's namespace is applied with
 * the servers it should hold, or removed once it holds none; how that went is kept in {@code platform_serving} for the
 * API and the GPU pools page. Changes are audited in the platform chain ({@code deployment.serving.apply},
 * {@code deployment.serving.remove}); a failure is logged and recorded as Degraded, its message scrubbed of the
 * region's credentials.
 */
@ApplicationScoped
public class PlatformModelServers {

    private static final Logger LOG = Logger.getLogger(PlatformModelServers.class);

    @Inject
    DeploymentService deployments;

    @Inject
    PlatformServingRepository serving;

    @Inject
    dev.atrium.controlplane.region.TenantNamespaceRepository namespaces;

    @Inject
    AuditTrail auditTrail;

    @Inject
    ObjectMapper json;

    /** One pass over the Kubernetes regions; runs on the dedicated sync thread only. */
    void sync(KubernetesTenantProvisioner provisioner, Collection<Region> regions, Map<String, DedicatedSpecs.Target> targets,
            Map<String, DedicatedSpecs.Unavailable> unusable) {
        List<DeploymentService.ServerPlan> plans = platform(() -> deployments.serverPlans(null));
        Map<String, PlatformServingRepository.PlatformServing> stored = new HashMap<>();
        platform(serving::all).forEach(row -> stored.put(row.region(), row));
        Map<String, List<String>> tenantNamespaces = new HashMap<>();
        platform(namespaces::all).forEach(row -> tenantNamespaces.computeIfAbsent(row.region(), r -> new ArrayList<>()).add(row.namespace()));
        for (Region region : regions) {
            DedicatedSpecs.Target target = targets.get(region.name());
            PlatformServingRepository.PlatformServing row = stored.get(region.name());
            String namespace = region.kubernetes().platformServingNamespace().orElse(null);
            try {
                List<ModelServer> servers = namespace == null ? List.of() : DedicatedSpecs.modelServers(plans, region.kubernetes());
                if (servers.isEmpty()) {
                    if (row != null && target != null) {
                        remove(region.name(), row.namespace(), provisioner, target);
                    }
                    continue;
                }
                if (row != null && !row.namespace().equals(namespace) && target != null) {
                    // the region's namespace prefix changed (only possible once nothing ran under the old one)
                    remove(region.name(), row.namespace(), provisioner, target);
                }
                if (target == null) {
                    DedicatedSpecs.Unavailable why = unusable.get(region.name());
                    degraded(region.name(), namespace, why == null ? "RegionUnavailable" : why.reason(), why == null ? "" : why.getMessage());
                    continue;
                }
                apply(region, namespace, servers, tenantNamespaces.getOrDefault(region.name(), List.of()), provisioner, target);
            } catch (RuntimeException e) {
                // anything else (a plan the engine refuses, say) marks this region Degraded and leaves the others be
                String message = target == null ? e.getMessage() : target.redactor().scrub(e.getMessage());
                LOG.warnf("the shared serving namespace of region %s could not be synced (%s): %s", region.name(),
                        e.getClass().getSimpleName(), message);
                degraded(region.name(), namespace == null ? (row == null ? "-" : row.namespace()) : namespace,
                        e.getClass().getSimpleName(), message);
            }
        }
        // regions deleted since: their rows go (a region cannot be deleted while its shared serving namespace is kept)
        stored.keySet().stream().filter(name -> regions.stream().noneMatch(r -> r.name().equals(name)))
                .forEach(name -> platform(() -> serving.delete(name)));
    }

    private void degraded(String region, String namespace, String reason, String message) {
        platform(() -> {
            serving.degraded(region, namespace, reason, message);
            return null;
        });
    }

    private void apply(Region region, String namespace, List<ModelServer> servers, List<String> tenantNamespaces,
            KubernetesTenantProvisioner provisioner, DedicatedSpecs.Target target) {
        try {
            ApplyReport report = provisioner.applyPlatformServing(target.target(), new PlatformServingSpec(region.name(), namespace,
                    region.kubernetes().sharedDataPlaneNamespace(), tenantNamespaces, servers));
            String statuses = json.writeValueAsString(report.modelServers());
            platform(() -> {
                serving.applied(region.name(), namespace, statuses);
                if (report.changedAnything()) {
                    Map<String, Object> after = new LinkedHashMap<>();
                    after.put("region", region.name());
                    after.put("namespace", namespace);
                    after.put("changes", report.changes().stream().map(ObjectChange::toString).toList());
                    auditTrail.record(AuditEntry.success("deployment.serving.apply").resource("namespace", namespace)
                            .actor(DedicatedSpecs.ACTOR, ActorType.SYSTEM).after(after));
                }
                return null;
            });
        } catch (ProvisioningException | InvalidSpecException | KubernetesClientException | JsonProcessingException e) {
            String reason = e instanceof ProvisioningException failed ? failed.reason() : e.getClass().getSimpleName();
            String message = target.redactor().scrub(e.getMessage());
            LOG.warnf("the shared serving namespace %s of region %s could not be applied (%s): %s", namespace, region.name(),
                    reason, message);
            degraded(region.name(), namespace, reason, message);
        }
    }

    private void remove(String region, String namespace, KubernetesTenantProvisioner provisioner, DedicatedSpecs.Target target) {
        try {
            var report = provisioner.removePlatformServing(target.target(), namespace);
            if (report.gone()) {
                // until the namespace is gone the row stays, and the next sync asks again
                platform(() -> {
                    serving.delete(region);
                    auditTrail.record(AuditEntry.success("deployment.serving.remove").resource("namespace", namespace)
                            .actor(DedicatedSpecs.ACTOR, ActorType.SYSTEM).after(Map.of("region", region, "namespace", namespace)));
                    return null;
                });
            }
        } catch (ProvisioningException | InvalidSpecException | KubernetesClientException e) {
            String reason = e instanceof ProvisioningException failed ? failed.reason() : e.getClass().getSimpleName();
            String message = target.redactor().scrub(e.getMessage());
            LOG.warnf("the shared serving namespace %s of region %s could not be removed (%s): %s", namespace, region, reason, message);
            degraded(region, namespace, reason, message);
        }
    }

    private static <T> T platform(java.util.function.Supplier<T> work) {
        return TenantScope.asPlatform(() -> QuarkusTransaction.requiringNew().call(work::get));
    }
}
