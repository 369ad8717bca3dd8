package dev.atrium.controlplane.provisioning;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** Reads back what the API server SIMULATION stores, without the fields the server sets itself. */
final class LiveObjects {

    private LiveObjects() {
    }

    /** The stored counterpart of every desired object of the spec, in the desired order, as YAML. */
    static String renderStored(KubernetesApiSimulation simulation, TenantNamespaceSpec spec) {
        return renderStored(simulation, TenantManifests.render(spec));
    }

    static String renderStored(KubernetesApiSimulation simulation, List<HasMetadata> rendered) {
        List<JsonNode> trees = new ArrayList<>();
        for (HasMetadata desired : rendered) {
            GenericKubernetesResource live = simulation.stored(desired);
            if (live == null) {
                throw new AssertionError(desired.getKind() + "/" + desired.getMetadata().getName() + " is missing");
            }
            trees.add(withoutServerFields(live));
        }
        return ManifestYaml.renderTrees(trees);
    }

    /**
     * Drops what the server (or, for the replica count, the autoscaler's bounds check) writes: uid, resourceVersion,
     * creationTimestamp, generation, managedFields, status, and a Deployment's spec.replicas.
     */
    static JsonNode withoutServerFields(GenericKubernetesResource live) {
        ObjectNode tree = (ObjectNode) ManifestYaml.tree(live);
        ObjectNode metadata = (ObjectNode) tree.get("metadata");
        for (String field : List.of("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields")) {
            metadata.remove(field);
        }
        tree.remove("status");
        if ("Deployment".equals(live.getKind())) {
            ((ObjectNode) tree.get("spec")).remove("replicas");
        }
        return tree;
    }

    /** The stored objects of any kind, in any namespace, that carry the tenant's label. */
    static List<String> labelledWith(KubernetesApiSimulation simulation, String tenantId) {
        return simulation.storedObjects().stream()
                .filter(o -> o.getMetadata().getLabels() != null
                        && tenantId.equals(o.getMetadata().getLabels().get(TenantManifests.TENANT_LABEL)))
                .map(o -> o.getKind() + "/" + o.getMetadata().getName())
                .toList();
    }
}
