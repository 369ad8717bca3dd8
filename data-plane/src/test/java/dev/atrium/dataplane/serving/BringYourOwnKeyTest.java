package dev.atrium.dataplane.serving;

import static dev.atrium.dataplane.testing.DataPlaneApi.apiKey;
import static dev.atrium.dataplane.testing.DataPlaneApi.as;
import static dev.atrium.dataplane.testing.DataPlaneApi.complianceOfficer;
import static dev.atrium.dataplane.testing.DataPlaneApi.controlPlane;
import static dev.atrium.dataplane.testing.DataPlaneApi.controlPlaneAs;
import static dev.atrium.dataplane.testing.DataPlaneApi.fullKey;
import static dev.atrium.dataplane.testing.DataPlaneApi.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.restassured.RestAssured;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.atrium.dataplane.DataPlaneStack;
import dev.atrium.dataplane.testing.ControlPlaneTestResource;
import dev.atrium.dataplane.testing.DataPlaneApi;
import dev.atrium.dataplane.testing.DataPlaneApi.Tenant;
import dev.atrium.dataplane.testing.OpenAiUpstreamSimulation;

/**
 * Bring your own key: a tenant stores its model backend's key as a secret, deploys an APPROVED version of its model on
 * that backend (the OpenAI upstream SIMULATION, standing in for the provider), and calls it through the official
 * OpenAI SDK; the data plane reads the key through the control plane's secret API, keeps it in memory, and uses a
 * rotated value from the next listing on (1 s in tests). The real control plane runs; no real provider is called.
 */
@DataPlaneStack
class BringYourOwnKeyTest {

    private static final String FIRST = "sk-byok-first-LEAKCANARY-7f3a";
    private static final String SECOND = "sk-byok-second-LEAKCANARY-9c1d";

    private static OpenAIClient client(String apiKey) {
        return OpenAIOkHttpClient.builder().apiKey(apiKey).baseUrl("http://127.0.0.1:" + RestAssured.port + "/v1")
                .maxRetries(0).build();
    }

    private static ChatCompletionCreateParams ask(String model, String question) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage(question).build();
    }

    /** The tenant's own llm "support-llm" with version 1 APPROVED, and its backend key stored as secret "backend-key". */
    private static String deploy(Tenant tenant, String upstreamModel) {
        String admin = apiKey(tenant, "admin");
        String models = tenant.path() + "/models";
        controlPlaneAs(admin).body(Map.of("name", "support-llm", "type", "llm")).post(models).then().statusCode(201);
        controlPlaneAs(admin).body("{\"version\":\"1\",\"artifactUri\":\"sim://support-llm\",\"card\":"
                + ControlPlaneTestResource.CARD + "}").post(models + "/support-llm/versions").then().statusCode(201);
        controlPlaneAs(admin).post(models + "/support-llm/versions/1:submit").then().statusCode(200);
        controlPlaneAs(complianceOfficer(tenant)).body(Map.of("comment", "reviewed")).post(models + "/support-llm/versions/1:approve")
                .then().statusCode(200);
        controlPlaneAs(admin).body(Map.of("value", FIRST)).put(tenant.path() + "/secrets/backend-key").then().statusCode(201);
        String url = ConfigProvider.getConfig().getValue(OpenAiUpstreamSimulation.URL_PROPERTY, String.class);
        controlPlaneAs(admin).body(Map.of("name", "support-bot", "model", "support-llm", "version", "1", "kind", "upstream",
                        "upstream", Map.of("url", url, "model", upstreamModel, "apiKeySecret", "backend-key")))
                .post(tenant.path() + "/deployments").then().statusCode(201);
        return admin;
    }

    private static List<String> authorizationsOf(String upstreamModel) {
        return OpenAiUpstreamSimulation.AUTHORIZATIONS.stream().filter(a -> a.startsWith(upstreamModel + ": ")).toList();
    }

    @Test
    void aTenantsOwnKeyReachesItsBackendARotatedKeyIsUsedNextAndTheValueNeverShows() throws Exception {
        Tenant tenant = tenant("byok");
        String upstreamModel = "byok-" + tenant.slug();
        String admin = deploy(tenant, upstreamModel);
        OpenAIClient openai = client(fullKey(tenant));

        ChatCompletion first = openai.chat().completions().create(ask("support-bot", "Hello there"));

        assertThat(first.choices().getFirst().message().content().orElseThrow()).contains("Simulated answer to: Hello there");
        assertThat(first.model()).as("the answer names the version that served it").isEqualTo("support-bot@1");
        assertThat(authorizationsOf(upstreamModel)).containsExactly(upstreamModel + ": Bearer " + FIRST);
        as(fullKey(tenant)).body(Map.of("model", "support-bot", "messages", List.of(Map.of("role", "user", "content", "hi"))))
                .post("/v1/chat/completions").then().statusCode(200).header("X-Atrium-Model-Version", "1");
        String streamed;
        try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(ask("support-bot", "Stream it"))) {
            List<ChatCompletionChunk> chunks = stream.stream().toList();
            assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.model()).isEqualTo("support-bot@1"));
            streamed = chunks.stream().flatMap(chunk -> chunk.choices().stream()).map(c -> c.delta().content().orElse(""))
                    .collect(Collectors.joining());
        }
        assertThat(streamed).isEqualTo("Simulated answer to: Stream it");
        assertThat(client(fullKey(tenant)).models().list().data()).anySatisfy(model -> assertThat(model.id()).isEqualTo("support-bot"));

        // a deployment serves one version: pinning another is refused, and nothing reaches the backend
        int calls = authorizationsOf(upstreamModel).size();
        assertThatThrownBy(() -> openai.chat().completions().create(ask("support-bot@2", "Pinned"))).isInstanceOf(NotFoundException.class);
        assertThat(authorizationsOf(upstreamModel)).hasSize(calls);

        // the tenant rotates its key: the next listing (1 s here) names version 2, and the data plane reads it again
        controlPlaneAs(admin).body(Map.of("value", SECOND)).put(tenant.path() + "/secrets/backend-key").then().statusCode(200);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).until(() -> {
            openai.chat().completions().create(ask("support-bot", "After rotation"));
            return authorizationsOf(upstreamModel).getLast().equals(upstreamModel + ": Bearer " + SECOND);
        });

        // each read of the key is in the tenant's audit trail, with the data plane's identity and region
        List<Map<String, Object>> reads = controlPlane().queryParam("tenantId", tenant.id().toString())
                .queryParam("action", "secret.read").get("/api/v1/audit/events").then().statusCode(200)
                .extract().jsonPath().getList("items");
        assertThat(reads).hasSizeGreaterThanOrEqualTo(2).allSatisfy(event ->
                assertThat(String.valueOf(event.get("after"))).contains("local-a"));

        // the secret is deleted: from the next listing on (1 s here) its value is never sent again, though it was held
        controlPlaneAs(admin).delete(tenant.path() + "/secrets/backend-key").then().statusCode(204);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                assertThatThrownBy(() -> openai.chat().completions().create(ask("support-bot", "After deletion")))
                        .isInstanceOf(com.openai.errors.InternalServerException.class).hasMessageContaining("no longer exists"));
        int sent = authorizationsOf(upstreamModel).size();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> openai.chat().completions().create(ask("support-bot", "Still deleted")))
                    .isInstanceOf(com.openai.errors.InternalServerException.class);
        }
        assertThat(authorizationsOf(upstreamModel)).as("nothing sent once the deletion is known").hasSize(sent);

        // the value never leaves memory: not in any answer above, the data plane's log or any table of its database
        String log = Files.readString(Path.of("target", "quarkus-test.log"));
        assertThat(log).doesNotContain(FIRST).doesNotContain(SECOND);
        assertThat(databaseText(tenant)).doesNotContain("LEAKCANARY");
    }

    @Test
    void aVersionWithdrawnOrADeploymentRemovedIsNoLongerServedAndNothingReachesTheBackend() {
        Tenant tenant = tenant("byok-gone");
        String upstreamModel = "byok-" + tenant.slug();
        String admin = deploy(tenant, upstreamModel);
        OpenAIClient openai = client(fullKey(tenant));
        assertThat(openai.chat().completions().create(ask("support-bot", "Before")).model()).isEqualTo("support-bot@1");

        controlPlaneAs(admin).post(tenant.path() + "/models/support-llm/versions/1:deprecate").then().statusCode(200);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                assertThatThrownBy(() -> openai.chat().completions().create(ask("support-bot", "Deprecated")))
                        .isInstanceOf(com.openai.errors.PermissionDeniedException.class));
        int calls = authorizationsOf(upstreamModel).size();
        assertThatThrownBy(() -> openai.chat().completions().create(ask("support-bot", "Still deprecated")))
                .isInstanceOf(com.openai.errors.PermissionDeniedException.class);
        assertThat(authorizationsOf(upstreamModel)).as("a refused request reaches no backend").hasSize(calls);

        controlPlaneAs(admin).delete(tenant.path() + "/deployments/support-bot").then().statusCode(204);

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                assertThatThrownBy(() -> openai.chat().completions().create(ask("support-bot", "After")))
                        .isInstanceOf(NotFoundException.class));
    }

    @Test
    void aDeploymentWhoseBackendKeepsFailingIsAnsweredByItsFallbackDeploymentWhichSaysSo() {
        Tenant tenant = tenant("byok-fallback");
        String admin = deploy(tenant, "backup-" + tenant.slug());
        String url = ConfigProvider.getConfig().getValue(OpenAiUpstreamSimulation.URL_PROPERTY, String.class);
        // a second deployment of the same approved version, on a backend that always fails, falls back to the first
        controlPlaneAs(admin).body(Map.of("name", "flaky-bot", "model", "support-llm", "version", "1", "kind", "upstream",
                        "upstream", Map.of("url", url, "model", "sim-down"), "fallback", "support-bot"))
                .post(tenant.path() + "/deployments").then().statusCode(201);
        OpenAIClient openai = client(fullKey(tenant));

        ChatCompletion answer = openai.chat().completions().create(ask("flaky-bot", "Are you there?"));

        assertThat(answer.choices().getFirst().message().content().orElseThrow()).contains("Simulated answer to: Are you there?");
        assertThat(answer.model()).as("the answer names what served it").isEqualTo("support-bot@1");
        assertThat(authorizationsOf("backup-" + tenant.slug())).containsExactly("backup-" + tenant.slug() + ": Bearer " + FIRST);

        // with the fallback gone, the failure is the caller's answer
        controlPlaneAs(admin).delete(tenant.path() + "/deployments/support-bot").then().statusCode(204);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                assertThatThrownBy(() -> openai.chat().completions().create(ask("flaky-bot", "Anyone?")))
                        .isInstanceOf(com.openai.errors.OpenAIServiceException.class)
                        .satisfies(e -> assertThat(((com.openai.errors.OpenAIServiceException) e).statusCode()).isEqualTo(502)));
    }

    /** Every text a tenant's rows hold in the data plane's database, read as the application role scoped to the tenant. */
    private static String databaseText(Tenant tenant) throws Exception {
        StringBuilder text = new StringBuilder();
        try (Connection connection = DataPlaneApi.appConnection()) {
            connection.setAutoCommit(false);
            DataPlaneApi.scopeTransactionTo(connection, tenant.id().toString());
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = connection.createStatement().executeQuery(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")) {
                while (rows.next()) {
                    tables.add(rows.getString("table_name"));
                }
            }
            for (String table : tables) {
                try (ResultSet rows = connection.createStatement().executeQuery("SELECT t::text AS row FROM " + table + " t")) {
                    while (rows.next()) {
                        text.append(rows.getString("row")).append('\n');
                    }
                } catch (java.sql.SQLException notReadable) {
                    connection.rollback();
                    DataPlaneApi.scopeTransactionTo(connection, tenant.id().toString());
                }
            }
            connection.rollback();
        }
        assertThat(text).as("the scan read the tenant's rows").isNotEmpty();
        return text.toString();
    }
}
