package dev.atrium.controlplane.audit;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.as;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static dev.atrium.controlplane.testing.Api.serviceKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.testing.Api.TestTenant;
import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;

/**
 * Data planes forward the audit events of mutations that people did through the console ({@code user:<subject>}) as
 * well as those of API keys; other actors, and person ids that are not a bounded Keycloak subject, are refused.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class ForwardedAuditEventsTest {

    private static Map<String, Object> event(TestTenant tenant, String actorId) {
        Map<String, Object> event = new HashMap<>();
        event.put("id", UUID.randomUUID().toString());
        event.put("tenantId", tenant.id().toString());
        event.put("actorId", actorId);
        event.put("action", "knowledge-base.create");
        event.put("resourceType", "knowledge-base");
        event.put("resourceId", UUID.randomUUID().toString());
        event.put("occurredAt", "2026-11-29T10:00:00Z");
        event.put("details", Map.of("name", "handbook"));
        return event;
    }

    @Test
    void aPersonsMutationJoinsTheTenantsChainWithThePersonAsActor() {
        TestTenant tenant = activeTenant("fwd-person");
        String service = serviceKey("test-eu-1", null);
        String person = "user:" + UUID.randomUUID();
        as(service).body(Map.of("events", List.of(event(tenant, person)))).post("/internal/v1/audit-events").then()
                .statusCode(200).body("accepted", equalTo(1));

        JsonPath events = asPlatformAdmin().queryParam("tenantId", tenant.id().toString()).queryParam("action", "knowledge-base.create")
                .get("/api/v1/audit/events").then().statusCode(200).extract().jsonPath();
        assertThat(events.getString("items[0].actor.id")).isEqualTo(person);
        assertThat(events.getString("items[0].actor.type")).isEqualTo("user");
        assertThat(events.getString("items[0].after.region")).isEqualTo("test-eu-1");
        asPlatformAdmin().queryParam("tenantId", tenant.id().toString()).get("/api/v1/audit/verify").then().statusCode(200)
                .body("valid", equalTo(true));
    }

    @Test
    void actorsThatAreNeitherAKeyNorABoundedPersonIdNorTheDataPlaneAreRefusedAndNothingIsRecorded() {
        TestTenant tenant = activeTenant("fwd-forged");
        String service = serviceKey("test-eu-1", null);
        for (String forged : List.of("user:", "user:" + "a".repeat(129), "user:<script>", "user:a b", "platform:admin",
                "service:atrium-control-plane", "apikey:not-a-key")) {
            as(service).body(Map.of("events", List.of(event(tenant, "user:" + UUID.randomUUID()), event(tenant, forged))))
                    .post("/internal/v1/audit-events").then().statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString("actorId"));
        }
        asPlatformAdmin().queryParam("tenantId", tenant.id().toString()).queryParam("action", "knowledge-base.create")
                .get("/api/v1/audit/events").then().statusCode(200).body("items.size()", equalTo(0));
    }
}
