package dev.atrium.controlplane.region;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.apiKey;
import static dev.atrium.controlplane.testing.Api.as;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static dev.atrium.controlplane.testing.Api.serviceKey;
import static dev.atrium.controlplane.testing.Api.uniqueSlug;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.testing.Api.TestTenant;
import dev.atrium.controlplane.testing.DataPlaneSimulation;
import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;

/**
 * Every tenant is placed in a region of its residency zone when it is created (the tests register test-eu-1 and
 * test-us-1; apac has no region until a test adds one), moves stay inside the zone, and data planes learn the
 * placement through introspection.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class PlacementTest {

    private static String placement(TestTenant tenant) {
        return tenant.path() + "/placement";
    }

    /** A region where nothing runs; {@code schedulable} false keeps other tests' tenants out of it. */
    private static String region(String zone, boolean schedulable) {
        String name = zone + "-" + UUID.randomUUID().toString().substring(0, 8);
        asPlatformAdmin().body(Map.of("name", name, "zone", zone, "endpoint", "http://127.0.0.1:9/" + name, "kind", "static",
                "schedulable", schedulable)).post("/api/v1/platform/regions").then().statusCode(201);
        return name;
    }

    @Test
    void aTenantIsPlacedInItsZoneAtCreationAndAZoneWithoutRegionsRefusesIt() {
        String slug = uniqueSlug("apac");
        asPlatformAdmin().body(Map.of("slug", slug, "displayName", "Apac", "residency", "apac")).post("/api/v1/tenants")
                .then().statusCode(422).contentType("application/problem+json").body("detail", containsString("no region serves zone 'apac'"));
        asPlatformAdmin().get("/api/v1/tenants?q=" + slug).then().statusCode(200).body("items.size()", equalTo(0));

        String first = region("apac", true);
        String second = region("apac", true);
        String one = asPlatformAdmin().body(Map.of("slug", uniqueSlug("apac1"), "displayName", "One", "residency", "apac"))
                .post("/api/v1/tenants").then().statusCode(201).extract().path("id");
        String two = asPlatformAdmin().body(Map.of("slug", uniqueSlug("apac2"), "displayName", "Two", "residency", "apac"))
                .post("/api/v1/tenants").then().statusCode(201).extract().path("id");
        String firstPlaced = asPlatformAdmin().get("/api/v1/tenants/" + one + "/placement").then().statusCode(200)
                .body("zone", equalTo("apac")).body("standbys.size()", equalTo(0)).extract().path("primary.name");
        String secondPlaced = asPlatformAdmin().get("/api/v1/tenants/" + two + "/placement").then().statusCode(200).extract().path("primary.name");
        // the least loaded region of the zone (ties by name) takes each new tenant
        org.assertj.core.api.Assertions.assertThat(List.of(firstPlaced, secondPlaced))
                .containsExactlyInAnyOrder(first, second);
        asPlatformAdmin().queryParam("tenantId", one).queryParam("action", "placement.create").get("/api/v1/audit/events")
                .then().statusCode(200).body("items[0].after.primary", equalTo(firstPlaced));

        // cordoned regions keep their tenants and take no new ones
        for (String name : List.of(first, second)) {
            asPlatformAdmin().body(Map.of("schedulable", false)).patch("/api/v1/platform/regions/" + name).then().statusCode(200)
                    .body("schedulable", equalTo(false));
        }
        asPlatformAdmin().body(Map.of("slug", uniqueSlug("apac3"), "displayName", "Three", "residency", "apac")).post("/api/v1/tenants")
                .then().statusCode(422).body("detail", containsString("cordoned"));
        asPlatformAdmin().get("/api/v1/tenants/" + one + "/placement").then().statusCode(200).body("primary.name", equalTo(firstPlaced));
    }

    @Test
    void membersReadThePlacementAndOnlyPlatformAdminsMoveTenantsInsideTheirZone() {
        TestTenant tenant = activeTenant("placed");
        TestTenant other = activeTenant("placed-other");
        String member = apiKey(tenant, "rag:query");
        as(member).get(placement(tenant)).then().statusCode(200).body("primary.name", equalTo("test-eu-1"))
                .body("primary.endpoint", org.hamcrest.Matchers.endsWith("/test-eu-1")).body("zone", equalTo("eu"));
        as(apiKey(other, "admin")).get(placement(tenant)).then().statusCode(404);
        as(apiKey(tenant, "admin")).body(Map.of("primary", "test-eu-1")).put(placement(tenant)).then().statusCode(403);

        String standby = region("eu", false);
        asPlatformAdmin().body(Map.of("primary", "test-us-1")).put(placement(tenant)).then().statusCode(422)
                .body("detail", containsString("outside the tenant's residency zone 'eu'"));
        asPlatformAdmin().body(Map.of("primary", "nowhere-1")).put(placement(tenant)).then().statusCode(422);
        asPlatformAdmin().body(Map.of("primary", "test-eu-1", "standbys", List.of("test-eu-1"))).put(placement(tenant))
                .then().statusCode(422).body("detail", containsString("named twice"));
        asPlatformAdmin().body(Map.of("standbys", List.of(standby))).put(placement(tenant)).then().statusCode(400);
        asPlatformAdmin().get(placement(tenant)).then().body("primary.name", equalTo("test-eu-1")).body("standbys.size()", equalTo(0));

        asPlatformAdmin().body(Map.of("primary", standby, "standbys", List.of("test-eu-1"))).header("If-Match", "\"0\"")
                .put(placement(tenant)).then().statusCode(200).body("primary.name", equalTo(standby))
                .body("standbys[0].name", equalTo("test-eu-1")).header("ETag", "\"1\"");
        asPlatformAdmin().body(Map.of("primary", "test-eu-1")).header("If-Match", "\"0\"").put(placement(tenant)).then().statusCode(412);
        JsonPath moved = asPlatformAdmin().queryParam("tenantId", tenant.id().toString()).queryParam("action", "placement.move")
                .get("/api/v1/audit/events").then().statusCode(200).extract().jsonPath();
        org.assertj.core.api.Assertions.assertThat(moved.getString("items[0].before.primary")).isEqualTo("test-eu-1");
        org.assertj.core.api.Assertions.assertThat(moved.getString("items[0].after.primary")).isEqualTo(standby);
    }

    @Test
    void dataPlanesLearnWhereATenantIsServedFromIntrospection() {
        TestTenant tenant = activeTenant("placed-intro");
        String key = apiKey(tenant, "rag:query");
        as(serviceKey("test-eu-1", null)).body(Map.of("key", key)).post("/internal/v1/api-keys:introspect").then().statusCode(200)
                .body("active", equalTo(true)).body("regions[0].name", equalTo("test-eu-1"))
                .body("regions[0].endpoint", org.hamcrest.Matchers.endsWith("/test-eu-1")).body("regions[0].primary", equalTo(true))
                .body("regions[0].dedicated", equalTo(false));
    }

    @Test
    void aDeletedTenantKeepsNoPlacement() {
        TestTenant tenant = activeTenant("placed-deleted");
        asPlatformAdmin().post(tenant.path() + ":suspend").then().statusCode(200);
        asPlatformAdmin().delete(tenant.path()).then().statusCode(202);
        Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                "DELETED".equals(asPlatformAdmin().get(tenant.path()).path("status")));
        asPlatformAdmin().get(placement(tenant)).then().statusCode(404);
        JsonPath trail = asPlatformAdmin().queryParam("tenantId", tenant.id().toString()).queryParam("limit", 100)
                .get("/api/v1/audit/events").then().statusCode(200).extract().jsonPath();
        List<String> actions = trail.getList("items.action");
        // newest first: the erasure receipt of every region of the zone comes before the chain is closed
        org.assertj.core.api.Assertions.assertThat(actions).contains("placement.create", "tenant.erase");
        org.assertj.core.api.Assertions.assertThat(actions.indexOf("tenant.delete.complete")).isLessThan(actions.indexOf("tenant.erase"));
        org.assertj.core.api.Assertions.assertThat(trail.getString("items.find { it.action == 'tenant.erase' }.after.region"))
                .isEqualTo("test-eu-1");
        org.assertj.core.api.Assertions.assertThat(DataPlaneSimulation.COMMANDS).anyMatch(command ->
                command.tenantId().equals(tenant.id()) && command.region().equals("test-eu-1") && command.verdict().contains("\"valid\":true"));
        asPlatformAdmin().get("/api/v1/audit/verify?tenantId=" + tenant.id()).then().statusCode(200).body("valid", equalTo(true));
    }

    @Test
    void anErasureCommandIsGenuineOnlyWithItsOwnTokenForItsOwnRegion() {
        TestTenant tenant = activeTenant("erasure-forged");
        String operator = serviceKey("test-eu-1", null);
        as(operator).body(Map.of("tenantId", tenant.id().toString(), "token", "forged-token", "region", "test-eu-1"))
                .post("/internal/v1/erasures:verify").then().statusCode(200).body("valid", equalTo(false))
                .body("reason", containsString("unknown or already used"));
        as(operator).body(Map.of("tenantId", tenant.id().toString(), "token", "forged-token", "region", "test-us-1"))
                .post("/internal/v1/erasures:verify").then().statusCode(200).body("valid", equalTo(false))
                .body("reason", containsString("belongs to region test-eu-1"));
        // the us region's own key acts for no tenant placed in eu
        as(serviceKey("test-us-1", null)).body(Map.of("tenantId", tenant.id().toString(), "token", "forged-token", "region", "test-us-1"))
                .post("/internal/v1/erasures:verify").then().statusCode(200).body("valid", equalTo(false))
                .body("reason", containsString("does not act for tenant"));
        as(apiKey(tenant, "admin")).body(Map.of("tenantId", tenant.id().toString(), "token", "t", "region", "local-a"))
                .post("/internal/v1/erasures:verify").then().statusCode(403);
        as(operator).body(Map.of("tenantId", tenant.id().toString(), "token", "x".repeat(201), "region", "local-a"))
                .post("/internal/v1/erasures:verify").then().statusCode(400);
    }
}
