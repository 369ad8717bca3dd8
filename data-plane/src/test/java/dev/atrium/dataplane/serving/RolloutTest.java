package dev.atrium.dataplane.serving;

import static dev.atrium.dataplane.testing.DataPlaneApi.apiKey;
import static dev.atrium.dataplane.testing.DataPlaneApi.as;
import static dev.atrium.dataplane.testing.DataPlaneApi.complianceOfficer;
import static dev.atrium.dataplane.testing.DataPlaneApi.controlPlane;
import static dev.atrium.dataplane.testing.DataPlaneApi.controlPlaneAs;
import static dev.atrium.dataplane.testing.DataPlaneApi.fullKey;
import static dev.atrium.dataplane.testing.DataPlaneApi.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.atrium.dataplane.DataPlaneStack;
import dev.atrium.dataplane.metering.OutboxShipper;
import dev.atrium.dataplane.testing.ControlPlaneTestResource;
import dev.atrium.dataplane.testing.DataPlaneApi.Tenant;
import dev.atrium.dataplane.testing.OpenAiUpstreamSimulation;

/**
 * Rollouts end to end: the real control plane (judging every second) and this data plane (reporting every 500 ms),
 * with two OpenAI upstream SIMULATIONS standing in for the two versions' backends: version 1 on the stack's simulation,
 * version 2 on a second one started here. A canary advances through its steps and is promoted; a candidate that
 * starts failing is rolled back automatically, and the time from its first failure to the rollback is printed; an A/B
 * split keeps each end user on one version; a shadow's candidate gets copies whose answers nobody sees.
 */
@DataPlaneStack
class RolloutTest {

    private static OpenAiUpstreamSimulation.Standalone candidateBackend;

    @Inject
    OutboxShipper shipper;

    @BeforeAll
    static void startTheCandidatesBackend() {
        candidateBackend = new OpenAiUpstreamSimulation.Standalone();
    }

    @AfterAll
    static void stopTheCandidatesBackend() {
        candidateBackend.close();
    }

    /** "support-llm" versions 1 and 2 APPROVED; deployment "support-bot" serving 1 at the stack's simulation. */
    private static String deploy(Tenant tenant) {
        String admin = apiKey(tenant, "admin");
        String models = tenant.path() + "/models";
        controlPlaneAs(admin).body(Map.of("name", "support-llm", "type", "llm")).post(models).then().statusCode(201);
        for (String version : List.of("1", "2")) {
            controlPlaneAs(admin).body("{\"version\":\"" + version + "\",\"artifactUri\":\"sim://support-llm\",\"card\":"
                    + ControlPlaneTestResource.CARD + "}").post(models + "/support-llm/versions").then().statusCode(201);
            controlPlaneAs(admin).post(models + "/support-llm/versions/" + version + ":submit").then().statusCode(200);
            controlPlaneAs(complianceOfficer(tenant)).body(Map.of("comment", "reviewed"))
                    .post(models + "/support-llm/versions/" + version + ":approve").then().statusCode(200);
        }
        String url = ConfigProvider.getConfig().getValue(OpenAiUpstreamSimulation.URL_PROPERTY, String.class);
        controlPlaneAs(admin).body(Map.of("name", "support-bot", "model", "support-llm", "version", "1", "kind", "upstream",
                "upstream", Map.of("url", url, "model", "v1-" + tenant.slug()))).post(tenant.path() + "/deployments").then().statusCode(201);
        return admin;
    }

    private static Map<String, Object> rollout(Tenant tenant, String strategy, Map<String, Object> settings) {
        Map<String, Object> body = new HashMap<>(settings);
        body.put("version", "2");
        body.put("strategy", strategy);
        body.put("upstream", Map.of("url", candidateBackend.url(), "model", "v2-" + tenant.slug()));
        return body;
    }

    private static JsonPath status(Tenant tenant, String admin) {
        return controlPlaneAs(admin).get(tenant.path() + "/deployments/support-bot/rollout").then().statusCode(200).extract().jsonPath();
    }

    /** The version that answered one chat completion (the response header), asserting it succeeded. */
    private static String ask(Tenant tenant, String user) {
        Map<String, Object> body = new HashMap<>(Map.of("model", "support-bot", "messages", List.of(Map.of("role", "user", "content", "hi"))));
        if (user != null) {
            body.put("user", user);
        }
        return as(fullKey(tenant)).body(body).post("/v1/chat/completions").then().statusCode(200).extract().header("X-Atrium-Model-Version");
    }

    private static int callsTo(String upstreamModel) {
        return OpenAiUpstreamSimulation.CALLS.getOrDefault(upstreamModel, new AtomicInteger()).get();
    }

    @Test
    void aCanaryAdvancesThroughItsStepsAndIsPromoted() throws Exception {
        Tenant tenant = tenant("rollout-canary");
        String admin = deploy(tenant);
        OpenAIClient openai = OpenAIOkHttpClient.builder().apiKey(fullKey(tenant)).baseUrl("http://127.0.0.1:" + RestAssured.port + "/v1")
                .maxRetries(0).build();
        controlPlaneAs(admin).body(rollout(tenant, "canary", Map.of("steps", List.of(Map.of("weight", 20, "dwellSeconds", 2),
                        Map.of("weight", 60, "dwellSeconds", 2), Map.of("weight", 100, "dwellSeconds", 2)),
                "slo", Map.of("minRequests", 3, "windowSeconds", 10)))).post(tenant.path() + "/deployments/support-bot/rollout")
                .then().statusCode(201);

        Map<String, Integer> answeredBy = new HashMap<>();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).until(() -> {
            String model = openai.chat().completions().create(ChatCompletionCreateParams.builder().model("support-bot")
                    .addUserMessage("How are you?").build()).model();
            answeredBy.merge(model, 1, Integer::sum);
            return "PROMOTED".equals(status(tenant, admin).getString("rollout.state"));
        });

        JsonPath done = status(tenant, admin);
        assertThat(done.getList("decisions.action")).containsExactly("start", "advance", "advance", "promote");
        assertThat(done.getString("rollout.reason")).startsWith("step 3 at 100% held its SLOs");
        assertThat(answeredBy).as("both versions answered during the canary, each naming itself").containsOnlyKeys("support-bot@1", "support-bot@2");
        // the data plane learns of the promotion from its next report (500 ms) and serves version 2 only
        await().atMost(Duration.ofSeconds(10)).until(() -> "2".equals(ask(tenant, null)));
        for (int i = 0; i < 10; i++) {
            assertThat(ask(tenant, null)).isEqualTo("2");
        }
        // usage names the version that served each call, so cost can be compared per version
        while (shipper.shipBatch(OutboxShipper.Stream.USAGE, sent -> { }) > 0) {
            // until the outbox is empty (its own shipping is hourly in tests)
        }
        assertThat(controlPlaneAs(admin).get(tenant.path() + "/usage").then().statusCode(200).extract().jsonPath()
                .getList("byModel.key", String.class)).contains("support-bot@1", "support-bot@2");
    }

    @Test
    void aCandidateThatStartsFailingIsRolledBackAutomaticallyAndCallersNeverSeeItsErrors() {
        Tenant tenant = tenant("rollout-breach");
        String admin = deploy(tenant);
        String candidateModel = "v2-" + tenant.slug();
        controlPlaneAs(admin).body(rollout(tenant, "canary", Map.of("steps", List.of(Map.of("weight", 50, "dwellSeconds", 3600)),
                "slo", Map.of("minRequests", 5, "maxErrorRate", 0.2, "windowSeconds", 5)))).post(tenant.path() + "/deployments/support-bot/rollout")
                .then().statusCode(201);
        Set<String> healthy = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            healthy.add(ask(tenant, null));
        }
        assertThat(healthy).containsExactlyInAnyOrder("1", "2");

        // the candidate's backend starts failing: every call the canary sends it fails from here on
        OpenAiUpstreamSimulation.FAILING.add(candidateModel);
        long breach = System.nanoTime();
        List<String> during = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            during.add(ask(tenant, null));
            return "ROLLED_BACK".equals(status(tenant, admin).getString("rollout.state"));
        });
        long rolledBack = System.nanoTime();
        // from the rollback on, nothing reaches the candidate once this data plane has heard of it (its next report)
        int reached = callsTo(candidateModel);
        long lastCandidateCall = rolledBack;
        for (int i = 0; i < 40; i++) {
            assertThat(ask(tenant, null)).isEqualTo("1");
            if (callsTo(candidateModel) != reached) {
                reached = callsTo(candidateModel);
                lastCandidateCall = System.nanoTime();
            }
        }
        int settled = callsTo(candidateModel);
        for (int i = 0; i < 20; i++) {
            assertThat(ask(tenant, null)).isEqualTo("1");
        }
        assertThat(callsTo(candidateModel)).as("no call reaches the rolled-back candidate").isEqualTo(settled);
        assertThat(during).as("the candidate's failures fell back to the stable version").containsOnly("1");

        JsonPath status = status(tenant, admin);
        assertThat(status.getString("rollout.reason")).startsWith("SLO breached: error rate").contains("above the SLO's 20.0%");
        assertThat(status.getList("decisions.action")).containsExactly("start", "rollback");
        List<Map<String, Object>> rollbacks = controlPlane().queryParam("tenantId", tenant.id().toString())
                .queryParam("action", "deployment.rollout.rollback").get("/api/v1/audit/events").then().statusCode(200)
                .extract().jsonPath().getList("items");
        assertThat(rollbacks).hasSize(1);
        System.out.printf("ROLLOUT-TIMING breach -> rollback decided: %d ms; breach -> last call reaching the candidate: %d ms "
                        + "(control plane judging every 1 s, data plane reporting every 500 ms)%n",
                (rolledBack - breach) / 1_000_000, (lastCandidateCall - breach) / 1_000_000);
        OpenAiUpstreamSimulation.FAILING.remove(candidateModel);
    }

    @Test
    void aCandidateWhoseBackendRefusesItsKeyIsFailingNotHealthyAndIsRolledBack() {
        Tenant tenant = tenant("rollout-refused");
        String admin = deploy(tenant);
        // the simulation's sim-chat wants a key this candidate does not send: it answers 401 to every call
        Map<String, Object> body = new HashMap<>(Map.of("version", "2", "strategy", "canary",
                "upstream", Map.of("url", candidateBackend.url(), "model", "sim-chat"),
                "steps", List.of(Map.of("weight", 50, "dwellSeconds", 3600)),
                "slo", Map.of("minRequests", 5, "maxErrorRate", 0.2, "windowSeconds", 30)));
        controlPlaneAs(admin).body(body).post(tenant.path() + "/deployments/support-bot/rollout").then().statusCode(201);

        List<String> answered = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            answered.add(ask(tenant, null));
            return "ROLLED_BACK".equals(status(tenant, admin).getString("rollout.state"));
        });

        assertThat(answered).as("every caller was answered by the stable version").containsOnly("1");
        assertThat(status(tenant, admin).getString("rollout.reason")).startsWith("SLO breached: error rate 100.0%");
    }

    @Test
    void anAbSplitKeepsEachUserOnOneVersionAndAShadowsAnswersAreNeverReturned() {
        Tenant tenant = tenant("rollout-ab");
        String admin = deploy(tenant);
        String rollouts = tenant.path() + "/deployments/support-bot/rollout";
        controlPlaneAs(admin).body(rollout(tenant, "ab", Map.of("split", 50, "stickyBy", "user"))).post(rollouts).then().statusCode(201);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Set<String> seen = new HashSet<>();
            for (int user = 0; user < 20; user++) {
                seen.add(ask(tenant, "user-" + user));
            }
            return seen.size() == 2;
        });
        Map<String, Set<String>> versionsByUser = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (int user = 0; user < 40; user++) {
                versionsByUser.computeIfAbsent("user-" + user, u -> new HashSet<>()).add(ask(tenant, "user-" + user));
            }
        }
        assertThat(versionsByUser.values()).as("each user stays on one version").allSatisfy(v -> assertThat(v).hasSize(1));
        long onCandidate = versionsByUser.values().stream().filter(v -> v.contains("2")).count();
        assertThat(onCandidate).as("about half of 40 users on the candidate").isBetween(8L, 32L);
        // pinning either version of the rollout is allowed; any other is refused
        as(fullKey(tenant)).body(Map.of("model", "support-bot@2", "messages", List.of(Map.of("role", "user", "content", "hi"))))
                .post("/v1/chat/completions").then().statusCode(200).header("X-Atrium-Model-Version", "2");
        as(fullKey(tenant)).body(Map.of("model", "support-bot@3", "messages", List.of(Map.of("role", "user", "content", "hi"))))
                .post("/v1/chat/completions").then().statusCode(404);
        controlPlaneAs(admin).post(rollouts + ":rollback").then().statusCode(200);

        String candidateModel = "v2-" + tenant.slug();
        controlPlaneAs(admin).body(rollout(tenant, "shadow", Map.of())).post(rollouts).then().statusCode(201);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            ask(tenant, null);
            return callsTo(candidateModel) > 0 && OpenAiUpstreamSimulation.RECEIVED.stream()
                    .anyMatch(r -> r.path("model").asText().equals(candidateModel) && !r.path("stream").asBoolean(true));
        });
        int before = callsTo(candidateModel);
        for (int i = 0; i < 10; i++) {
            assertThat(ask(tenant, null)).as("a shadow answers from the stable version only").isEqualTo("1");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> callsTo(candidateModel) >= before + 10);
        // what the candidate did with the copies is measured for the rollout
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Integer measured = status(tenant, admin).get("currentStep.find { it.role == 'candidate' }.requests");
            return measured != null && measured >= 10;
        });
    }
}
