package dev.atrium.controlplane.security;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.apiKey;
import static dev.atrium.controlplane.testing.Api.as;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static dev.atrium.controlplane.testing.Api.serviceKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.testing.Api.TestTenant;
import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;
import dev.atrium.controlplane.testing.Users.TestUser;
import dev.atrium.controlplane.testing.Users;

/**
 * A data-plane identity acts only for the tenants it is bound to (a key issued through the API) or placed in its
 * region (an operator-configured key), on every internal endpoint; and what it is told about a tenant's keys and
 * people reflects the tenant's real state.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class ServiceIdentityConfinementTest {

    @Test
    void aBoundServiceKeyReachesNothingOfAnotherTenant() {
        TestTenant mine = activeTenant("bound-mine");
        TestTenant other = activeTenant("bound-other");
        asPlatformAdmin().body(Map.of("value", "theirs")).put(other.path() + "/secrets/upstream").then().statusCode(201);
        TestUser person = Users.member(other, "tenant-admin");
        String bound = serviceKey("test-eu-1", mine.id());

        as(bound).get("/internal/v1/tenants/" + other.id() + "/secrets/upstream").then().statusCode(404);
        as(bound).get("/internal/v1/tenants/" + other.id() + "/servable-models").then().statusCode(404);
        as(bound).body(Map.of("token", person.dataPlaneToken(), "tenantId", other.id().toString()))
                .post("/internal/v1/tokens:introspect").then().statusCode(404);
        as(bound).body(Map.of("key", apiKey(other, "rag:query"))).post("/internal/v1/api-keys:introspect").then()
                .statusCode(200).body("active", equalTo(false));
        as(bound).body(Map.of("events", List.of(Map.of("id", UUID.randomUUID().toString(), "tenantId", other.id().toString(),
                        "actorId", "system:data-plane", "action", "document.create", "resourceType", "document",
                        "resourceId", "d1", "occurredAt", "2026-11-26T10:00:00Z"))))
                .post("/internal/v1/audit-events").then().statusCode(403);
        assertThat(asPlatformAdmin().queryParam("tenantId", other.id()).queryParam("action", "document.create")
                .get("/api/v1/audit/events").jsonPath().getList("items")).isEmpty();
        assertThat(asPlatformAdmin().queryParam("tenantId", other.id()).queryParam("action", "secret.read")
                .get("/api/v1/audit/events").jsonPath().getList("items")).isEmpty();

        // its own tenant works, including a person's token
        TestUser mineAdmin = Users.member(mine, "tenant-admin");
        as(bound).body(Map.of("token", mineAdmin.dataPlaneToken(), "tenantId", mine.id().toString()))
                .post("/internal/v1/tokens:introspect").then().statusCode(200).body("active", equalTo(true))
                .body("tenantStatus", equalTo("ACTIVE"));
    }

    @Test
    void introspectionReportsTheTenantsRealStateAndRefusesDeletedTenants() {
        TestTenant tenant = activeTenant("intro-state");
        String key = apiKey(tenant, "rag:query");
        TestUser person = Users.member(tenant, "tenant-member");
        String token = person.dataPlaneToken();
        String service = serviceKey("test-eu-1", null);

        asPlatformAdmin().post(tenant.path() + ":suspend").then().statusCode(200);
        as(service).body(Map.of("key", key)).post("/internal/v1/api-keys:introspect").then().statusCode(200)
                .body("active", equalTo(true)).body("tenantStatus", equalTo("SUSPENDED"));
        as(service).body(Map.of("token", token, "tenantId", tenant.id().toString())).post("/internal/v1/tokens:introspect")
                .then().statusCode(200).body("tenantStatus", equalTo("SUSPENDED"));

        asPlatformAdmin().delete(tenant.path()).then().statusCode(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> "DELETED".equals(asPlatformAdmin().get(tenant.path()).path("status")));
        as(service).body(Map.of("key", key)).post("/internal/v1/api-keys:introspect").then().statusCode(200)
                .body("active", equalTo(false));
        as(service).body(Map.of("token", token, "tenantId", tenant.id().toString())).post("/internal/v1/tokens:introspect")
                .then().statusCode(200).body("active", equalTo(false));
    }

    @Test
    void aRegionWideKeyReadsOnlyTenantsPlacedInItsRegionAndDrainsEventsAfterAMove() {
        TestTenant tenant = activeTenant("region-wide");
        asPlatformAdmin().body(Map.of("value", "eu-only")).put(tenant.path() + "/secrets/upstream").then().statusCode(201);
        TestUser person = Users.member(tenant, "tenant-admin");
        String tenantKey = apiKey(tenant, "rag:query");
        String eu = serviceKey("test-eu-1", null);
        String us = serviceKey("test-us-1", null);

        // the us region's data plane reads nothing of a tenant placed in eu and reports nothing for it
        as(us).get("/internal/v1/tenants/" + tenant.id() + "/secrets/upstream").then().statusCode(404);
        as(us).get("/internal/v1/tenants/" + tenant.id() + "/servable-models").then().statusCode(404);
        as(us).body(Map.of("events", List.of(auditEvent(tenant)))).post("/internal/v1/audit-events").then().statusCode(403);
        as(us).body(Map.of("events", List.of(usageEvent(tenant)))).post("/internal/v1/usage").then().statusCode(403);
        // a credential presented to it is answered with where the tenant is served, so it can refuse with a 403 naming it
        as(us).body(Map.of("key", tenantKey)).post("/internal/v1/api-keys:introspect").then().statusCode(200)
                .body("active", equalTo(true)).body("regions.name", equalTo(List.of("test-eu-1")));
        as(us).body(Map.of("token", person.dataPlaneToken(), "tenantId", tenant.id().toString()))
                .post("/internal/v1/tokens:introspect").then().statusCode(200).body("regions.name", equalTo(List.of("test-eu-1")));
        assertThat(asPlatformAdmin().queryParam("tenantId", tenant.id()).queryParam("action", "secret.read")
                .get("/api/v1/audit/events").jsonPath().getList("items")).isEmpty();
        assertThat(asPlatformAdmin().queryParam("tenantId", tenant.id()).queryParam("action", "document.create")
                .get("/api/v1/audit/events").jsonPath().getList("items")).isEmpty();

        // its own region's data plane serves it
        as(eu).get("/internal/v1/tenants/" + tenant.id() + "/secrets/upstream").then().statusCode(200)
                .body("value", equalTo("eu-only"));

        // moved to another eu region: the old one reads nothing more, but may still ship the events it holds
        String next = "eu-" + UUID.randomUUID().toString().substring(0, 8);
        asPlatformAdmin().body(Map.of("name", next, "zone", "eu", "endpoint", "http://127.0.0.1:9/" + next, "kind", "static",
                "schedulable", false)).post("/api/v1/platform/regions").then().statusCode(201);
        asPlatformAdmin().body(Map.of("primary", next)).put(tenant.path() + "/placement").then().statusCode(200);
        as(eu).get("/internal/v1/tenants/" + tenant.id() + "/secrets/upstream").then().statusCode(404);
        as(eu).body(Map.of("events", List.of(auditEvent(tenant)))).post("/internal/v1/audit-events").then().statusCode(200)
                .body("accepted", equalTo(1));
        as(us).body(Map.of("events", List.of(auditEvent(tenant)))).post("/internal/v1/audit-events").then().statusCode(403);
    }

    private static Map<String, Object> auditEvent(TestTenant tenant) {
        return Map.of("id", UUID.randomUUID().toString(), "tenantId", tenant.id().toString(), "actorId", "system:data-plane",
                "action", "document.create", "resourceType", "document", "resourceId", "d1", "occurredAt", "2026-11-29T10:00:00Z");
    }

    private static Map<String, Object> usageEvent(TestTenant tenant) {
        return Map.of("id", UUID.randomUUID().toString(), "tenantId", tenant.id().toString(), "operation", "chat.completions",
                "model", "m", "occurredAt", "2026-11-29T10:00:00Z", "requests", 1, "inputTokens", 1, "outputTokens", 1);
    }
}
