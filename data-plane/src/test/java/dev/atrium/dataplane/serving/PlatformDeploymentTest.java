package dev.atrium.dataplane.serving;

import static dev.atrium.dataplane.testing.DataPlaneApi.as;
import static dev.atrium.dataplane.testing.DataPlaneApi.controlPlane;
import static dev.atrium.dataplane.testing.DataPlaneApi.fullKey;
import static dev.atrium.dataplane.testing.DataPlaneApi.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.atrium.dataplane.DataPlaneStack;
import dev.atrium.dataplane.testing.DataPlaneApi.Tenant;
import dev.atrium.dataplane.testing.OpenAiUpstreamSimulation;

/**
 * Platform-wide deployments through the real control plane and this data plane (region local-a, a static region):
 * its configured models ({@code atrium.models.*}) are listed with the platform's deployments, and a platform
 * deployment of an APPROVED platform model is served to a tenant with the platform's key, at the OpenAI upstream
 * SIMULATION standing in for the provider.
 */
@DataPlaneStack
class PlatformDeploymentTest {

    @Test
    void thisStaticRegionsConfiguredModelsAreListedWithThePlatformsDeploymentsWithoutTheirKeys() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> controlPlane()
                .get("/api/v1/platform/deployments").then().statusCode(200).extract().jsonPath()
                .getList("configured.findAll { it.region == 'local-a' }.name", String.class).contains("chat"));
        String body = controlPlane().get("/api/v1/platform/deployments").then().statusCode(200).extract().asString();
        JsonPath listed = JsonPath.from(body);
        assertThat(listed.getBoolean("configured.find { it.region == 'local-a' && it.name == 'chat' }.hasKey")).isTrue();
        assertThat(listed.getString("configured.find { it.region == 'local-a' && it.name == 'chat' }.upstreamModel")).isEqualTo("sim-chat");
        assertThat(listed.getBoolean("configured.find { it.region == 'local-a' && it.name == 'private' }.restricted")).isTrue();
        assertThat(listed.getString("configured.find { it.region == 'local-a' && it.name == 'hashed-embeddings' }.kind"))
                .isEqualTo("embedding");
        assertThat(body).doesNotContain("sk-simulated-upstream");
    }

    @Test
    void aPlatformDeploymentIsServedToATenantWithThePlatformsKeyWhichNeverShows() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String key = "sk-platform-LEAKCANARY-" + suffix;
        String upstreamModel = "platform-" + suffix;
        String name = "platform-bot-" + suffix;
        controlPlane().body(Map.of("value", key)).put("/api/v1/platform/secrets/upstream-" + suffix).then().statusCode(201);
        String url = ConfigProvider.getConfig().getValue(OpenAiUpstreamSimulation.URL_PROPERTY, String.class);
        // "chat" is a platform model with version 1 APPROVED (the stack registers the simulation's models so)
        controlPlane().body(Map.of("name", name, "model", "chat", "version", "1", "kind", "upstream",
                        "upstream", Map.of("url", url, "model", upstreamModel, "apiKeySecret", "upstream-" + suffix)))
                .post("/api/v1/platform/deployments").then().statusCode(201);
        Tenant tenant = tenant("platform-served");

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).until(() ->
                as(fullKey(tenant)).body(Map.of("model", name, "messages", List.of(Map.of("role", "user", "content", "hi"))))
                        .post("/v1/chat/completions").statusCode() == 200);
        String answer = as(fullKey(tenant)).body(Map.of("model", name, "messages", List.of(Map.of("role", "user", "content", "Hello"))))
                .post("/v1/chat/completions").then().statusCode(200).header("X-Atrium-Model-Version", "1").extract().asString();
        assertThat(JsonPath.from(answer).getString("model")).isEqualTo(name + "@1");
        assertThat(answer).doesNotContain(key);
        assertThat(OpenAiUpstreamSimulation.AUTHORIZATIONS).contains(upstreamModel + ": Bearer " + key);
        assertThat(Files.readString(Path.of("target", "quarkus-test.log"))).doesNotContain(key);

        // gone from the platform: no longer served
        controlPlane().delete("/api/v1/platform/deployments/" + name).then().statusCode(204);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).until(() ->
                as(fullKey(tenant)).body(Map.of("model", name, "messages", List.of(Map.of("role", "user", "content", "hi"))))
                        .post("/v1/chat/completions").statusCode() == 404);
    }
}
