package dev.atrium.controlplane.security;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.apiKey;
import static dev.atrium.controlplane.testing.Api.as;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.testing.Api.TestTenant;
import dev.atrium.controlplane.testing.Api;
import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;
import dev.atrium.controlplane.testing.Users;
import dev.atrium.tenancy.ApiKeyFormat;

/** Platform-admin keys, the bootstrap key included, can be listed and revoked; the bootstrap key does not live forever. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class PlatformApiKeyTest {

    @Test
    void platformKeysAreListedIssuedAndRevoked() {
        JsonPath listed = asPlatformAdmin().get("/api/v1/platform/api-keys").then().statusCode(200).extract().jsonPath();
        assertThat(listed.getList("items.name", String.class)).anyMatch(name -> name.startsWith("bootstrap"));
        assertThat(listed.getList("items.secret")).containsOnlyNulls();

        String created = asPlatformAdmin().body(Map.of("name", "automation", "expiresAt", Instant.now().plus(Duration.ofDays(7)).toString()))
                .post("/api/v1/platform/api-keys").then().statusCode(201).extract().path("secret");
        String id = asPlatformAdmin().get("/api/v1/platform/api-keys").jsonPath()
                .getString("items.find { it.name == 'automation' }.id");
        assertThat(ApiKeyFormat.parse(created).displayPrefix()).isNotBlank();
        as(created).get("/api/v1/tenants").then().statusCode(200);
        asPlatformAdmin().delete("/api/v1/platform/api-keys/" + id).then().statusCode(204);
        as(created).get("/api/v1/tenants").then().statusCode(401);
        asPlatformAdmin().get("/api/v1/platform/api-keys").then().body("items.find { it.id == '" + id + "' }.status", equalTo("REVOKED"));

        TestTenant tenant = activeTenant("platform-keys");
        apiKey(tenant, "admin");
        String tenantKey = asPlatformAdmin().get(tenant.path() + "/api-keys").path("items[0].id");
        asPlatformAdmin().get("/api/v1/platform/api-keys").then().body("items.id", not(hasItem(tenantKey)));
        asPlatformAdmin().delete("/api/v1/platform/api-keys/" + tenantKey).then().statusCode(404);
        asPlatformAdmin().delete("/api/v1/platform/api-keys/" + UUID.randomUUID()).then().statusCode(404);
        asPlatformAdmin().delete("/api/v1/platform/api-keys/not-an-id").then().statusCode(404);
        asPlatformAdmin().body(Map.of("name", "past", "expiresAt", "2020-01-01T00:00:00Z")).post("/api/v1/platform/api-keys")
                .then().statusCode(422);
        asPlatformAdmin().body(Map.of()).post("/api/v1/platform/api-keys").then().statusCode(400);
        as(apiKey(tenant, "admin")).get("/api/v1/platform/api-keys").then().statusCode(403);
    }

    @Test
    void theBootstrapKeyExpiresADayAfterAPlatformAdminSignsIn() {
        Instant before = Instant.now();
        as(Users.platformAdmin().token()).get("/api/v1/tenants").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String expiresAt = asPlatformAdmin().get("/api/v1/platform/api-keys").jsonPath()
                    .getString("items.find { it.name.startsWith('bootstrap') }.expiresAt");
            assertThat(expiresAt).as("the bootstrap key has an expiry").isNotNull();
            // no later than a day after this sign-in (an earlier sign-in in this run may have set it sooner)
            assertThat(Instant.parse(expiresAt)).isBefore(Instant.now().plus(Duration.ofHours(24)).plusSeconds(5))
                    .isAfter(before.minus(Duration.ofHours(1)));
        });
        asPlatformAdmin().queryParam("tenantId", "platform").queryParam("action", "apikey.bootstrap.expire")
                .get("/api/v1/audit/events").then().statusCode(200).body("items[0].outcome", equalTo("SUCCESS"))
                .body("items[0].after.secret", nullValue());
        assertThat(Api.platformKey()).startsWith("atr_");
    }
}
