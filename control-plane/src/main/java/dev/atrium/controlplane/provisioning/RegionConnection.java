package dev.atrium.controlplane.provisioning;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.jboss.logging.Logger;

/**
 * One region's client and the informers that watch every object labelled {@code app.kubernetes.io/managed-by=atrium}
 * there (one informer per watched {@link ManagedKind}, all namespaces). Each add, change or delete of such an object
 * (except a change of status alone, but for the Deployment and the database Cluster, whose status decides whether the
 * tenant is Ready) names its tenant to {@code onDrift}.
 */
final class RegionConnection implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RegionConnection.class);

    private final KubernetesTarget target;
    private final KubernetesClient client;
    private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();

    RegionConnection(KubernetesTarget target, Consumer<String> onDrift) {
        this.target = target;
        this.client = target.connect();
        for (ManagedKind kind : ManagedKind.ALL) {
            if (!kind.watched()) {
                continue;
            }
            var resources = client.genericKubernetesResources(kind.context());
            var selected = kind.namespaced()
                    ? resources.inAnyNamespace().withLabel(TenantManifests.MANAGED_BY_LABEL, TenantManifests.MANAGED_BY)
                    : resources.withLabel(TenantManifests.MANAGED_BY_LABEL, TenantManifests.MANAGED_BY);
            SharedIndexInformer<GenericKubernetesResource> informer = selected.runnableInformer(0);
            // a change of the data plane's or the database's status alone can make the tenant Ready (or not)
            boolean statusMatters = kind.equals(ManagedKind.DEPLOYMENT) || kind.equals(ManagedKind.DATABASE_CLUSTER);
            informer.addEventHandler(new DriftHandler(onDrift, statusMatters));
            // keep listing and watching through an API server outage (the informer backs off on its own)
            informer.exceptionHandler((started, failure) -> true);
            informer.start().whenComplete((ignored, failure) -> {
                if (failure != null) {
                    LOG.warnf("region %s: watching %s did not start: %s", target.region(), kind.plural(),
                            failure.getMessage());
                }
            });
            informers.add(informer);
        }
    }

    KubernetesTarget target() {
        return target;
    }

    KubernetesClient client() {
        return client;
    }

    /** True once every informer has listed its objects at least once. */
    boolean watching() {
        return informers.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::stop);
        client.close();
    }

    private record DriftHandler(Consumer<String> onDrift, boolean statusMatters) implements ResourceEventHandler<GenericKubernetesResource> {

        @Override
        public void onAdd(GenericKubernetesResource object) {
            report(object);
        }

        @Override
        public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
            if (Objects.equals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion())
                    || (onlyStatusChanged(before, after)
                            && (!statusMatters || health(before).equals(health(after))))) {
                return;
            }
            report(after);
        }

        @Override
        public void onDelete(GenericKubernetesResource object, boolean finalStateUnknown) {
            report(object);
        }

        private void report(GenericKubernetesResource object) {
            Map<String, String> labels = object.getMetadata().getLabels();
            String tenant = labels == null ? null : labels.get(TenantManifests.TENANT_LABEL);
            if (tenant != null) {
                onDrift.accept(tenant);
            }
        }

        /**
         * The part of a Deployment's or Cluster's status that Ready depends on; other status updates (an autoscaler's
         * bookkeeping, CloudNativePG's housekeeping) do not wake the reconciler.
         */
        private static List<Object> health(GenericKubernetesResource object) {
            List<Object> conditions = new ArrayList<>();
            if (object.get("status", "conditions") instanceof List<?> list) {
                for (Object condition : list) {
                    if (condition instanceof Map<?, ?> map) {
                        conditions.add(List.of(String.valueOf(map.get("type")), String.valueOf(map.get("status")),
                                String.valueOf(map.get("reason"))));
                    }
                }
            }
            List<Object> health = new ArrayList<>();
            for (String field : List.of("observedGeneration", "replicas", "updatedReplicas", "availableReplicas",
                    "readyInstances")) {
                health.add(String.valueOf((Object) object.get("status", field)));
            }
            health.add(conditions);
            return health;
        }

                private static boolean onlyStatusChanged(GenericKubernetesResource before, GenericKubernetesResource after) {
            return Objects.equals(before.getMetadata().getGeneration(), after.getMetadata().getGeneration())
                    && before.getMetadata().getGeneration() != null
                    && Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels())
                    && Objects.equals(before.getMetadata().getAnnotations(), after.getMetadata().getAnnotations())
                    && Objects.equals(before.getAdditionalProperties().get("data"),
                            after.getAdditionalProperties().get("data"))
                    && Objects.equals(before.getAdditionalProperties().get("spec"),
                            after.getAdditionalProperties().get("spec"));
        }
    }
}
