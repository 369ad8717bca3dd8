package dev.atrium.controlplane.deadletter;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.apiKey;
import static dev.atrium.controlplane.testing.Api.as;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static dev.atrium.controlplane.testing.Api.serviceKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
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

/** Data planes report the outbox events they parked; platform admins list them. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class DeadLetterTest {

    private static Map<String, Object> letter(UUID eventId, String stream, TestTenant tenant, String parkedAt) {
        Map<String, Object> letter = new HashMap<>();
        letter.put("eventId", eventId.toString());
        letter.put("stream", stream);
        letter.put("tenantId", tenant.id().toString());
        letter.put("status", 400);
        letter.put("reason", "events[0].action: must look like 'document.create'");
        letter.put("parkedAt", parkedAt);
        return letter;
    }

    @Test
    void aReportIsRecordedOncePerEventAndListedForPlatformAdminsNewestFirst() {
        TestTenant tenant = activeTenant("dead-letters");
        String region = "region-" + UUID.randomUUID().toString().substring(0, 8);
        String service = serviceKey(region, tenant.id());
        UUID older = UUID.randomUUID();
        UUID newer = UUID.randomUUID();
        UUID usage = UUID.randomUUID();
        List<Map<String, Object>> report = List.of(letter(older, "audit", tenant, "2026-11-29T10:00:00Z"),
                letter(newer, "audit", tenant, "2026-11-29T11:00:00Z"), letter(usage, "usage", tenant, "2026-11-29T10:30:00Z"));
        as(service).body(Map.of("deadLetters", report)).post("/internal/v1/dead-letters").then().statusCode(200)
                .body("accepted", equalTo(3)).body("duplicates", equalTo(0));
        as(service).body(Map.of("deadLetters", report)).post("/internal/v1/dead-letters").then().statusCode(200)
                .body("accepted", equalTo(0)).body("duplicates", equalTo(3));

        JsonPath audit = asPlatformAdmin().queryParam("region", region).queryParam("stream", "audit")
                .get("/api/v1/platform/dead-letters").then().statusCode(200).extract().jsonPath();
        assertThat(audit.getList("items.eventId")).containsExactly(newer.toString(), older.toString());
        assertThat(audit.getString("items[0].reason")).isEqualTo("events[0].action: must look like 'document.create'");
        assertThat(audit.getInt("items[0].status")).isEqualTo(400);
        assertThat(audit.getString("items[0].tenantId")).isEqualTo(tenant.id().toString());
        assertThat(audit.getString("items[0].region")).isEqualTo(region);
        assertThat(audit.getString("items[0].reportedBy")).startsWith("service:");

        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            var request = asPlatformAdmin().queryParam("region", region).queryParam("limit", 1);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/platform/dead-letters").then().statusCode(200).extract().jsonPath();
            paged.addAll(page.getList("items.eventId"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertThat(paged).containsExactly(newer.toString(), usage.toString(), older.toString());

        asPlatformAdmin().queryParam("stream", "billing").get("/api/v1/platform/dead-letters").then().statusCode(400)
                .contentType("application/problem+json");
        as(apiKey(tenant, "admin")).get("/api/v1/platform/dead-letters").then().statusCode(403);
    }

    @Test
    void malformedReportsAndReportsForAnotherTenantAreRefusedAndRecordNothing() {
        TestTenant tenant = activeTenant("dead-letters-bad");
        TestTenant other = activeTenant("dead-letters-other");
        String region = "region-" + UUID.randomUUID().toString().substring(0, 8);
        String service = serviceKey("test-eu-1", null);
        Map<String, Object> serverError = letter(UUID.randomUUID(), "audit", tenant, "2026-11-29T10:00:00Z");
        serverError.put("status", 500);
        Map<String, Object> unknownStream = letter(UUID.randomUUID(), "billing", tenant, "2026-11-29T10:00:00Z");
        Map<String, Object> longReason = letter(UUID.randomUUID(), "usage", tenant, "2026-11-29T10:00:00Z");
        longReason.put("reason", "x".repeat(1001));
        for (Map<String, Object> bad : List.of(serverError, unknownStream, longReason)) {
            as(service).body(Map.of("deadLetters", List.of(letter(UUID.randomUUID(), "audit", tenant, "2026-11-29T10:00:00Z"), bad)))
                    .post("/internal/v1/dead-letters").then().statusCode(400).contentType("application/problem+json");
        }
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add(letter(UUID.randomUUID(), "audit", tenant, "2026-11-29T10:00:00Z"));
        }
        as(service).body(Map.of("deadLetters", tooMany)).post("/internal/v1/dead-letters").then().statusCode(400)
                .body("detail", containsString("at most 100"));

        String bound = serviceKey(region, tenant.id());
        as(bound).body(Map.of("deadLetters", List.of(letter(UUID.randomUUID(), "audit", other, "2026-11-29T10:00:00Z"))))
                .post("/internal/v1/dead-letters").then().statusCode(403);
        asPlatformAdmin().queryParam("region", region).get("/api/v1/platform/dead-letters").then().statusCode(200)
                .body("items.size()", equalTo(0));
        List<String> named = asPlatformAdmin().queryParam("region", "test-eu-1").queryParam("limit", 100)
                .get("/api/v1/platform/dead-letters").then().statusCode(200).extract().jsonPath().getList("items.tenantId");
        assertThat(named).doesNotContain(tenant.id().toString(), other.id().toString());
    }

    @Test
    void aRegionsKeyReportsTheParkedEventsOfATenantDeletedSinceAndNoOtherRegionsTenants() {
        TestTenant deleted = activeTenant("dead-letters-gone");
        TestTenant elsewhere = activeTenant("dead-letters-us", "standard", "us");
        asPlatformAdmin().post(deleted.path() + ":suspend").then().statusCode(200);
        asPlatformAdmin().delete(deleted.path()).then().statusCode(202);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> "DELETED".equals(asPlatformAdmin().get(deleted.path()).path("status")));
        String eu = serviceKey("test-eu-1", null);
        as(eu).body(Map.of("deadLetters", List.of(letter(UUID.randomUUID(), "audit", deleted, "2026-11-29T12:00:00Z"))))
                .post("/internal/v1/dead-letters").then().statusCode(200).body("accepted", equalTo(1));
        as(eu).body(Map.of("deadLetters", List.of(letter(UUID.randomUUID(), "audit", elsewhere, "2026-11-29T12:00:00Z"))))
                .post("/internal/v1/dead-letters").then().statusCode(403);
    }
}
