package dev.atrium.controlplane.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import org.junit.jupiter.api.Test;

/**
 * Why {@link KubernetesApiSimulation} adds server-side apply: Fabric8 7.5.2's mock API server in plain CRUD mode (a
 * SIMULATION; no real cluster runs here) refuses it, 404 for a missing object and 415 for an existing one. Should a
 * later Fabric8 support it, this test fails and the addition can go.
 */
class MockServerBehaviourTest {

    @Test
    void plainCrudModeDoesNotSupportServerSideApply() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(Serialization.jsonMapper()),
                new MockWebServer(), responses, new KubernetesMixedDispatcher(responses), false);
        server.init();
        try (NamespacedKubernetesClient client = server.createClient()) {
            ConfigMap map = new ConfigMapBuilder().withNewMetadata().withName("m").withNamespace("n").endMetadata()
                    .withData(Map.of("k", "v")).build();

            assertThatThrownBy(() -> client.resource(map).fieldManager("atrium").forceConflicts().serverSideApply())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
            client.resource(map).create();
            assertThatThrownBy(() -> client.resource(map).fieldManager("atrium").forceConflicts().serverSideApply())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(415));
        } finally {
            server.destroy();
        }
    }
}
