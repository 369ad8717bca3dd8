package dev.atrium.dataplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.atrium.contract.ServedDeployment;
import dev.atrium.contract.ServedRollout;
import dev.atrium.dataplane.controlplane.ControlPlaneClient;
import dev.atrium.dataplane.testing.ControlPlaneSettings;
import dev.atrium.dataplane.upstream.Route;

/**
 * How a data plane routes to model servers the platform runs in the cluster: a self-hosted deployment's server (and,
 * during a rollout, its candidate's second server) and the platform's servers in the region's shared serving
 * namespace. The control plane's listing is a SIMULATION (a client answering from a map: no control plane and no
 * model server run here); the routes are what the gateway would call.
 */
class SelfHostedRoutesTest {

    private final UUID tenant = UUID.randomUUID();
    private final Map<UUID, List<ServedDeployment>> listings = new ConcurrentHashMap<>();
    private final List<String> demands = new CopyOnWriteArrayList<>();
    /** Egress checks on: a tenant's backend at a private or plain-http address would be refused. */
    private final TenantDeployments deployments = new TenantDeployments(ControlPlaneSettings.forGateway(), new SimulatedControlPlane());

    @Test
    void aSelfHostedRolloutSplitsBetweenTheDeploymentsTwoServersWithoutEgressChecksOrKeys() {
        UUID rollout = UUID.randomUUID();
        listings.put(tenant, List.of(new ServedDeployment("support-bot", "support-llm", "llm", "1", "self-hosted",
                "http://model-support-bot/v1", "support-bot", null, null, 60, null,
                new ServedRollout(rollout, "canary", 0, "2", "http://model2-support-bot/v1", "support-bot", null, null, 60, 10, null),
                false)));

        TenantDeployments.Routes routes = deployments.chatRoutes(tenant, "support-bot").orElseThrow();

        assertThat(routes.stable().upstream().url()).isEqualTo(URI.create("http://model-support-bot/v1"));
        assertThat(routes.stable().version()).isEqualTo("1");
        assertThat(routes.stable().arm()).isEqualTo(new Route.Arm(rollout, 0, Route.Arm.STABLE));
        assertThat(routes.candidate().upstream().url()).isEqualTo(URI.create("http://model2-support-bot/v1"));
        assertThat(routes.candidate().version()).isEqualTo("2");
        assertThat(routes.candidate().arm()).isEqualTo(new Route.Arm(rollout, 0, Route.Arm.CANDIDATE));
        assertThat(routes.candidate().upstream().apiKey()).as("a model server in the namespace takes no key").isEmpty();
        assertThat(routes.serving("2")).contains(routes.candidate());
        assertThat(routes.rollout().weight()).isEqualTo(10);
        assertThat(deployments.tenantsWithRollouts()).as("its data plane reports what it measures of the rollout").contains(tenant);
        awaitDemand("support-bot");
    }

    @Test
    void aPlatformServerInTheSharedServingNamespaceIsRoutedToAndWokenLikeTheTenantsOwn() {
        listings.put(tenant, List.of(new ServedDeployment("shared-chat", "platform-llm", "llm", "1", "self-hosted",
                "http://model-shared-chat.atrium-platform.svc/v1", "shared-chat", null, null, 60, null, null, true)));

        Route route = deployments.chat(tenant, "shared-chat").orElseThrow();

        assertThat(route.upstream().url()).isEqualTo(URI.create("http://model-shared-chat.atrium-platform.svc/v1"));
        assertThat(route.arm()).isNull();
        assertThat(route.upstream().apiKey()).isEmpty();
        awaitDemand("shared-chat");
    }

    @Test
    void aSelfHostedEmbeddingModelIsCalledAtItsServer() {
        listings.put(tenant, List.of(new ServedDeployment("embedder", "support-embed", "embedding", "1", "self-hosted",
                "http://model-embedder/v1", "embedder", null, null, 60, null, null, false)));

        Route route = deployments.embedding(tenant, "embedder").orElseThrow();

        assertThat(route.upstream().url()).isEqualTo(URI.create("http://model-embedder/v1"));
        assertThat(route.version()).isEqualTo("1");
        assertThat(deployments.chat(tenant, "embedder")).as("not a chat model").isEmpty();
        awaitDemand("embedder");
    }

    @Test
    void anUpstreamBackendAtAPrivateAddressIsStillRefused() {
        listings.put(tenant, List.of(new ServedDeployment("sneaky", "support-llm", "llm", "1", "upstream",
                "http://model-support-bot/v1", "sneaky", null, null, 60, null, null, false)));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> deployments.chat(tenant, "sneaky"))
                .hasMessageContaining("backend URL");
    }

    private void awaitDemand(String deployment) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> demands.contains(tenant + "/" + deployment));
    }

    private final class SimulatedControlPlane extends ControlPlaneClient {

        SimulatedControlPlane() {
            super(ControlPlaneSettings.forGateway(), new ObjectMapper());
        }

        @Override
        public List<ServedDeployment> deployments(UUID tenantId) {
            return listings.getOrDefault(tenantId, List.of());
        }

        @Override
        public void demand(UUID tenantId, String deployment) {
            demands.add(tenantId + "/" + deployment);
        }
    }
}
