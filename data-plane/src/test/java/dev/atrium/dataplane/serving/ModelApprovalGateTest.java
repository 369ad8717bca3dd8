package dev.atrium.dataplane.serving;

import static dev.atrium.dataplane.testing.DataPlaneApi.apiKey;
import static dev.atrium.dataplane.testing.DataPlaneApi.as;
import static dev.atrium.dataplane.testing.DataPlaneApi.complianceOfficer;
import static dev.atrium.dataplane.testing.DataPlaneApi.controlPlaneAs;
import static dev.atrium.dataplane.testing.DataPlaneApi.fullKey;
import static dev.atrium.dataplane.testing.DataPlaneApi.tenant;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.atrium.dataplane.DataPlaneStack;
import dev.atrium.dataplane.testing.ControlPlaneTestResource;
import dev.atrium.dataplane.testing.DataPlaneApi.Tenant;

/**
 * End to end through the real control plane: a tenant's model is served only once a compliance officer approved
 * its card, only in approved versions, and no longer once deprecated (the upstream is the SIMULATION).
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
}
