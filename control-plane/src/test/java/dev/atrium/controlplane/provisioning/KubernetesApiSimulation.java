package dev.atrium.controlplane.provisioning;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * A SIMULATION of a Kubernetes API server: Fabric8's {@link KubernetesMockServer} in CRUD mode (objects are stored,
 * listed by label, watched and deleted like on a real server; nothing runs: no controllers, no defaulting, no
 * admission, no namespace controller), over plain HTTP on the loopback address. No real cluster runs here.
 *
 * <p>One addition: Fabric8 7.5.2's CRUD dispatcher answers a server-side apply ({@code PATCH} with
 * {@code application/apply-patch+yaml}) with 404 when the object is missing and 415 otherwise
 * ({@link MockServerBehaviourTest}). This simulation handles it as a real server treats forced applies from one field
 * manager: a missing object is created; otherwise the fields of the previous apply that the new one no longer sends
 * are removed and the applied fields are merged in (objects field by field, lists whole, as for atomic lists), so
 * fields written by other means (a merge patch of the replica count, someone's extra label) stay. It does not model
 * list-map merging or conflicts between managers. Every apply is recorded with its query string, so tests can check
 * the field manager and the force flag.
 *
 * <p>And a SIMULATION of two controllers, because Atrium's Ready waits for them: after every write, each Deployment's
 * status is set as the Deployment controller would once its pods are up (generation observed, all replicas available,
 * {@code Available=True}) and each CloudNativePG {@code Cluster}'s as the operator would (every instance ready). Tests
 * stop them ({@link #workloads}) to see a tenant wait, or make rollouts miss their deadline.
 */
public final class KubernetesApiSimulation implements AutoCloseable {

    static final CustomResourceDefinitionContext CNPG_CLUSTER = new CustomResourceDefinitionContext.Builder()
            .withGroup("postgresql.cnpg.io")
            .withVersion("v1")
            .withKind("Cluster")
            .withPlural("clusters")
            .withScope("Namespaced")
            .build();

    private final ApplyingCrudDispatcher dispatcher = new ApplyingCrudDispatcher();
    private final KubernetesMockServer server;
    private final NamespacedKubernetesClient client;

    public KubernetesApiSimulation() {
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), new HashMap<>(),
                dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        server.expectCustomResource(CNPG_CLUSTER);
        client = server.createClient();
    }

    /** A client of "someone else" (an operator with kubectl): its writes are the drift the reconciler repairs. */
    public NamespacedKubernetesClient client() {
        return client;
    }

    int port() {
        return server.getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    KubernetesTarget target() {
        return target(url());
    }

    static KubernetesTarget target(String url) {
        return KubernetesTarget.withToken(Fixtures.REGION, url, SecretValue.of("simulation-token"), null,
                TenantNamespaceSpec.DEFAULT_NAMESPACE_PREFIX);
    }

    /** Every server-side apply received: the request path with its query string. */
    List<String> applies() {
        return List.copyOf(dispatcher.applies);
    }

    /** Every request received, as "METHOD path". */
    List<String> requests() {
        return List.copyOf(dispatcher.requests);
    }

    /** Every stored object (any kind, any namespace), as the simulation holds it. */
    public List<GenericKubernetesResource> storedObjects() {
        // the CRUD dispatcher's map is not thread-safe: a copy taken while the server writes is taken again
        for (int attempt = 1; ; attempt++) {
            try {
                return List.copyOf(dispatcher.getMap().values()).stream()
                        .map(json -> Serialization.unmarshal(json, GenericKubernetesResource.class))
                        .toList();
            } catch (java.util.ConcurrentModificationException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    /** A stored object, or null. */
    GenericKubernetesResource stored(HasMetadata like) {
        ManagedKind kind = ManagedKind.of(like);
        var resources = client.genericKubernetesResources(kind.context());
        String name = like.getMetadata().getName();
        return kind.namespaced()
                ? resources.inNamespace(like.getMetadata().getNamespace()).withName(name).get()
                : resources.withName(name).get();
    }

    /** What the simulated Deployment controller and CloudNativePG operator report from now on. */
    public enum Workloads {
        /** Every Deployment available and every Cluster's instances ready, as soon as they are written. */
        HEALTHY,
        /** Nothing is reported any more: statuses stay as they are (a new object has none). */
        STOPPED,
        /** The data plane's pods stop being ready (crash loop, failing probes): Deployments are no longer Available. */
        UNAVAILABLE,
        /**
         * A rollout whose new pods crash: the old pods still serve (the Deployment stays Available) but one pod of the
         * current template is never available.
         */
        NEW_PODS_CRASHING,
        /** Deployments miss their progress deadline ({@code Progressing=False}, {@code ProgressDeadlineExceeded}). */
        STALLED
    }

    /** Switches the simulated controllers and applies the new behaviour to every stored workload at once. */
    public void workloads(Workloads behaviour) {
        dispatcher.workloads = behaviour;
        dispatcher.runControllers();
    }

    /**
     * From now on, answers every apply of a Secret with 422 and a message that repeats the request body, as a verbose
     * (or hostile) API server or admission webhook might: whatever Atrium does with error messages must not leak it.
     */
    void echoSecretsInErrors() {
        dispatcher.echoSecrets = true;
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }

    private static final class ApplyingCrudDispatcher extends KubernetesCrudDispatcher {

        private final List<String> applies = new CopyOnWriteArrayList<>();
        private final List<String> requests = new CopyOnWriteArrayList<>();
        private volatile boolean echoSecrets;
        private volatile Workloads workloads = Workloads.HEALTHY;
        private final Map<String, JsonNode> lastApplied = new ConcurrentHashMap<>();

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            requests.add(request.getMethod() + " " + request.getPath());
            MockResponse response = super.dispatch(request);
            if (request.getMethod() != null && List.of("POST", "PUT", "PATCH").contains(request.getMethod().toUpperCase())
                    && !request.getPath().contains("/status")) {
                runControllers();
            }
            return response;
        }

        /** One pass of the simulated controllers over every Deployment and Cluster; writes only what changes. */
        synchronized void runControllers() {
            if (workloads == Workloads.STOPPED) {
                return;
            }
            report("/apis/apps/v1/deployments", this::deploymentStatus);
            report("/apis/postgresql.cnpg.io/v1/clusters", ApplyingCrudDispatcher::clusterStatus);
        }

        private void report(String listPath, java.util.function.Function<JsonNode, JsonNode> status) {
            MockResponse list = handleGet(listPath);
            if (list.code() != 200) {
                return;
            }
            JsonNode items = Serialization.unmarshal(list.getBody().readUtf8(), JsonNode.class).path("items");
            for (JsonNode item : items) {
                JsonNode wanted = status.apply(item);
                if (wanted.equals(item.get("status"))) {
                    continue;
                }
                ObjectNode updated = item.deepCopy();
                updated.set("status", wanted);
                String path = "/apis/" + item.get("apiVersion").asText() + "/namespaces/"
                        + item.path("metadata").path("namespace").asText() + listPath.substring(listPath.lastIndexOf('/'))
                        + "/" + item.path("metadata").path("name").asText() + "/status";
                handleUpdate(new RecordedRequest("HTTP/1.1", HttpMethod.PUT, path,
                        Headers.builder().add("Content-Type", "application/json").build(),
                        new Buffer().writeUtf8(Serialization.asJson(updated))));
            }
        }

        private JsonNode deploymentStatus(JsonNode deployment) {
            int replicas = deployment.path("spec").path("replicas").asInt(1);
            ObjectNode status = Serialization.jsonMapper().createObjectNode();
            status.put("observedGeneration", deployment.path("metadata").path("generation").asLong(1));
            boolean stalled = workloads == Workloads.STALLED;
            boolean down = stalled || workloads == Workloads.UNAVAILABLE;
            boolean crashing = workloads == Workloads.NEW_PODS_CRASHING;
            status.put("replicas", crashing ? replicas + 1 : replicas);
            status.put("updatedReplicas", stalled ? 0 : crashing ? 1 : replicas);
            status.put("readyReplicas", down ? 0 : replicas);
            status.put("availableReplicas", down ? 0 : replicas);
            var conditions = status.putArray("conditions");
            conditions.addObject().put("type", "Available").put("status", down ? "False" : "True")
                    .put("reason", down ? "MinimumReplicasUnavailable" : "MinimumReplicasAvailable");
            conditions.addObject().put("type", "Progressing").put("status", stalled ? "False" : "True")
                    .put("reason", stalled ? "ProgressDeadlineExceeded" : "NewReplicaSetAvailable")
                    .put("message", stalled ? "ReplicaSet \"atrium-data-plane-7c9\" has timed out progressing."
                            : "ReplicaSet \"atrium-data-plane-7c9\" has successfully progressed.");
            return status;
        }

        private static JsonNode clusterStatus(JsonNode cluster) {
            int instances = cluster.path("spec").path("instances").asInt(1);
            ObjectNode status = Serialization.jsonMapper().createObjectNode();
            status.put("instances", instances);
            status.put("readyInstances", instances);
            status.put("phase", "Cluster in healthy state");
            return status;
        }

        @Override
        public MockResponse handlePatch(RecordedRequest request) {
            String contentType = request.getHeader("Content-Type");
            if (contentType == null || !contentType.startsWith("application/apply-patch")) {
                return super.handlePatch(request);
            }
            applies.add(request.getPath());
            String path = request.getPath();
            if (echoSecrets && path.contains("/secrets/")) {
                String message = "Secret is invalid: " + request.getBody().readUtf8();
                return new MockResponse().setResponseCode(422).setBody(Serialization.asJson(new StatusBuilder()
                        .withStatus("Failure").withCode(422).withReason("Invalid").withMessage(message).build()));
            }
            String itemPath = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            String body = request.getBody().readUtf8();
            Headers json = Headers.builder().add("Content-Type", "application/json").build();
            JsonNode applied = Serialization.unmarshal(body, JsonNode.class);
            MockResponse current = handleGet(itemPath);
            MockResponse response;
            if (current.code() == 404) {
                String collectionPath = itemPath.substring(0, itemPath.lastIndexOf('/'));
                response = handleCreate(new RecordedRequest("HTTP/1.1", HttpMethod.POST, collectionPath, json,
                        new Buffer().writeUtf8(body)));
            } else {
                ObjectNode merged = (ObjectNode) Serialization.unmarshal(current.getBody().readUtf8(), JsonNode.class);
                JsonNode previous = lastApplied.get(itemPath);
                if (previous != null) {
                    removeDropped(merged, previous, applied);
                }
                merge(merged, applied);
                response = handleUpdate(new RecordedRequest("HTTP/1.1", HttpMethod.PUT, itemPath, json,
                        new Buffer().writeUtf8(Serialization.asJson(merged))));
            }
            lastApplied.put(itemPath, applied);
            return response;
        }

        /** Removes what the previous apply set and this one no longer does (lists count as one field). */
        private static void removeDropped(ObjectNode target, JsonNode previous, JsonNode applied) {
            previous.fieldNames().forEachRemaining(key -> {
                JsonNode now = applied.get(key);
                if (now == null) {
                    target.remove(key);
                } else if (now.isObject() && previous.get(key).isObject() && target.get(key) instanceof ObjectNode child) {
                    removeDropped(child, previous.get(key), now);
                }
            });
        }

        private static void merge(ObjectNode target, JsonNode applied) {
            applied.fields().forEachRemaining(field -> {
                if (field.getValue().isObject() && target.get(field.getKey()) instanceof ObjectNode child) {
                    merge(child, field.getValue());
                } else {
                    target.set(field.getKey(), field.getValue().deepCopy());
                }
            });
        }
    }
}
