package dev.atrium.dataplane.serving;

import static dev.atrium.dataplane.testing.DataPlaneApi.apiKey;
import static dev.atrium.dataplane.testing.DataPlaneApi.as;
import static dev.atrium.dataplane.testing.DataPlaneApi.complianceOfficer;
import static dev.atrium.dataplane.testing.DataPlaneApi.controlPlaneAs;
import static dev.atrium.dataplane.testing.DataPlaneApi.fullKey;
import static dev.atrium.dataplane.testing.DataPlaneApi.tenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.atrium.dataplane.DataPlaneStack;
import dev.atrium.dataplane.testing.ControlPlaneTestResource;
import dev.atrium.dataplane.testing.DataPlaneApi.Tenant;
import dev.atrium.dataplane.testing.OpenAiUpstreamSimulation;

/**
 * End to end through the real control plane: a tenant's model is served only once a compliance officer approved
 * its card, only in approved versions, and no longer once deprecated; a fallback model passes the same gate (the
 * upstream is the SIMULATION).
 */
@DataPlaneStack
class ModelApprovalGateTest {

    private static Map<String, Object> ask(String model) {
        return Map.of("model", model, "messages", List.of(Map.of("role", "user", "content", "hello")));
    }

    @Test
    void onlyApprovedVersionsAreServed() throws Exception {
        Tenant tenant = tenant("gate");
        String key = fullKey(tenant);
        String admin = apiKey(tenant, "admin");
        String officer = complianceOfficer(tenant);
        String models = tenant.path() + "/models";
        // the tenant registers its own "chat": its own entry now decides, not the platform-wide one
        controlPlaneAs(admin).body(Map.of("name", "chat", "type", "llm")).post(models).then().statusCode(201);
        controlPlaneAs(admin)
                .body("{\"version\":\"1\",\"artifactUri\":\"sim://chat\",\"card\":" + ControlPlaneTestResource.CARD + "}")
                .post(models + "/chat/versions").then().statusCode(201);

        as(key).body(ask("chat")).post("/v1/chat/completions").then().statusCode(403)
                .body("error.code", equalTo("model-not-approved")).body("error.message", containsString("no APPROVED version"));

        controlPlaneAs(admin).post(models + "/chat/versions/1:submit").then().statusCode(200);
        controlPlaneAs(officer).body(Map.of("comment", "card reviewed"))
                .post(models + "/chat/versions/1:approve").then().statusCode(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> as(key).body(ask("chat")).post("/v1/chat/completions").statusCode() == 200);
        as(key).body(ask("chat@1")).post("/v1/chat/completions").then().statusCode(200).body("model", equalTo("chat@1"));
        as(key).body(ask("chat@2")).post("/v1/chat/completions").then().statusCode(403)
                .body("error.message", containsString("version '2' of model 'chat' is not APPROVED"));

        controlPlaneAs(admin).post(models + "/chat/versions/1:deprecate").then().statusCode(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> as(key).body(ask("chat")).post("/v1/chat/completions").statusCode() == 403);

        Tenant other = tenant("gate-other");
        as(fullKey(other)).body(ask("chat")).post("/v1/chat/completions").then().statusCode(200);
    }

    @Test
    void aFallbackModelIsUsedOnlyIfItPassesTheServingGateToo() {
        // "down" (APPROVED platform-wide) always fails upstream and falls back to "chat"; this tenant shadows "chat"
        // with its own model that nobody has approved
        Tenant tenant = tenant("gate-fallback");
        String key = fullKey(tenant);
        String admin = apiKey(tenant, "admin");
        String models = tenant.path() + "/models";
        controlPlaneAs(admin).body(Map.of("name", "chat", "type", "llm")).post(models).then().statusCode(201);
        controlPlaneAs(admin)
                .body("{\"version\":\"1\",\"artifactUri\":\"sim://chat\",\"card\":" + ControlPlaneTestResource.CARD + "}")
                .post(models + "/chat/versions").then().statusCode(201);
        as(key).body(ask("chat")).post("/v1/chat/completions").then().statusCode(403);

        int chatCalls = calls("sim-chat");
        double skipped = skippedFallbacks();
        as(key).body(ask("down")).post("/v1/chat/completions").then().statusCode(502)
                .body("error.code", equalTo("upstream-error"))
                .body("error.message", containsString("fallback chat skipped (not approved for serving)"));
        assertThat(calls("sim-chat")).as("the unapproved fallback was never called").isEqualTo(chatCalls);
        assertThat(skippedFallbacks()).as("the skip is counted in /q/metrics").isEqualTo(skipped + 1);

        Tenant other = tenant("gate-fallback-other");
        as(fullKey(other)).body(ask("down")).post("/v1/chat/completions").then().statusCode(200)
                .body("choices[0].message.content", equalTo("Simulated answer to: hello"));
        assertThat(calls("sim-chat")).as("for a tenant that may use it, the fallback serves").isEqualTo(chatCalls + 1);

        controlPlaneAs(admin).post(models + "/chat/versions/1:submit").then().statusCode(200);
        controlPlaneAs(complianceOfficer(tenant)).body(Map.of("comment", "card reviewed"))
                .post(models + "/chat/versions/1:approve").then().statusCode(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> as(key).body(ask("down")).post("/v1/chat/completions").statusCode() == 200);
    }

    private static int calls(String upstreamModel) {
        AtomicInteger calls = OpenAiUpstreamSimulation.CALLS.get(upstreamModel);
        return calls == null ? 0 : calls.get();
    }

    private static double skippedFallbacks() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher line = Pattern.compile("(?m)^atrium_upstream_fallbacks_skipped_total\\{([^}]*)} ([0-9.eE+-]+)$").matcher(metrics);
        double sum = 0;
        while (line.find()) {
            if (line.group(1).contains("model=\"chat\"") && line.group(1).contains("reason=\"model-not-approved\"")) {
                sum += Double.parseDouble(line.group(2));
            }
        }
        return sum;
    }
}
