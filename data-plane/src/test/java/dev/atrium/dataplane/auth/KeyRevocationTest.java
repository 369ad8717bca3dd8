package dev.atrium.dataplane.auth;

import static dev.atrium.dataplane.testing.DataPlaneApi.apiKey;
import static dev.atrium.dataplane.testing.DataPlaneApi.as;
import static dev.atrium.dataplane.testing.DataPlaneApi.controlPlane;
import static dev.atrium.dataplane.testing.DataPlaneApi.tenant;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.atrium.dataplane.DataPlaneStack;
import dev.atrium.dataplane.testing.ControlPlaneTestResource;
import dev.atrium.dataplane.testing.DataPlaneApi.Tenant;

/** Keys, revocation, suspension and outages against the real control plane (key-cache TTL is 1 s in tests). */
@DataPlaneStack
class KeyRevocationTest {

    @Test
    void aRevokedKeyStopsWorkingWithinTheCacheTtl() {
        Tenant tenant = tenant("revoke");
        String key = apiKey(tenant, "rag:query");
        as(key).get("/v1/knowledge-bases").then().statusCode(200);
        String keyId = controlPlane().get(tenant.path() + "/api-keys").path("items.find { it.name == 'test key' }.id");
        controlPlane().delete(tenant.path() + "/api-keys/" + keyId).then().statusCode(204);
        await().atMost(Duration.ofSeconds(5)).until(() -> as(key).get("/v1/knowledge-bases").statusCode() == 401);
        as(key).get("/v1/knowledge-bases").then().statusCode(401).body("detail", containsString("revoked"));
    }

    @Test
    void aSuspendedTenantGetsAClearForbiddenUntilItIsResumed() {
        Tenant tenant = tenant("suspend");
        String key = apiKey(tenant, "rag:query");
        controlPlane().post(tenant.path() + ":suspend").then().statusCode(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> as(key).get("/v1/knowledge-bases").statusCode() == 403);
        as(key).get("/v1/knowledge-bases").then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("https://atrium.dev/problems/tenant-suspended")).body("detail", containsString("suspended"));
        as(key).get("/v1/models").then().statusCode(403).body("error.code", equalTo("tenant-suspended"));
        controlPlane().post(tenant.path() + ":resume").then().statusCode(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> as(key).get("/v1/knowledge-bases").statusCode() == 200);
    }

    @Test
    void whileTheControlPlaneIsDownKnownKeysServeAndUnknownKeysAreRefused() {
        Tenant tenant = tenant("outage");
        String known = apiKey(tenant, "rag:query");
        String unseen = apiKey(tenant, "rag:query");
        as(known).get("/v1/knowledge-bases").then().statusCode(200);
        ControlPlaneTestResource.stopProcess();
        try {
            await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> true);
            as(known).get("/v1/knowledge-bases").then().statusCode(200);
            as(unseen).get("/v1/knowledge-bases").then().statusCode(503).contentType("application/problem+json")
                    .body("detail", containsString("cannot be verified"));
        } finally {
            ControlPlaneTestResource.restartProcess();
        }
        as(unseen).get("/v1/knowledge-bases").then().statusCode(200);
    }

    @Test
    void aKeyOverItsPlansRateLimitGets429WithRetryAfter() {
        Tenant tenant = tenant("ratelimit", "free");
        String key = apiKey(tenant, "rag:query");
        io.restassured.response.Response problem = null;
        io.restassured.response.Response openAi = null;
        // free plan: 5 requests/s, burst 10; 40 quick requests alternate between the Atrium and the OpenAI paths
        for (int i = 0; i < 40; i++) {
            io.restassured.response.Response response = as(key).get(i % 2 == 0 ? "/v1/knowledge-bases" : "/v1/models");
            if (response.statusCode() == 429) {
                if (i % 2 == 0) {
                    problem = response;
                } else {
                    openAi = response;
                }
            }
        }
        org.assertj.core.api.Assertions.assertThat(problem).as("a 429 on the Atrium API").isNotNull();
        org.assertj.core.api.Assertions.assertThat(openAi).as("a 429 on the OpenAI API").isNotNull();
        problem.then().contentType("application/problem+json").header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body("detail", containsString("rate limit of 5 requests/s"));
        openAi.then().body("error.type", equalTo("rate_limit_error"));
    }
}
