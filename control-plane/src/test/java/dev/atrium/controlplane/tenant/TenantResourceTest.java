package dev.atrium.controlplane.tenant;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.apiKey;
import static dev.atrium.controlplane.testing.Api.as;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static dev.atrium.controlplane.testing.Api.uniqueSlug;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.testing.Api.TestTenant;
import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;

@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class TenantResourceTest {

    private static final String TENANTS = "/api/v1/tenants";

    @Test
    void createReturnsTheTenantWithDefaultsAndBecomesActive() {
        String slug = uniqueSlug("acme");
        Response created = asPlatformAdmin()
                .body(Map.of("slug", slug, "displayName", "  Acme Corp  "))
                .post(TENANTS);
        created.then().statusCode(201)
                .header("Location", endsWith(TENANTS + "/" + created.path("id")))
                .header("ETag", notNullValue())
                .body("slug", equalTo(slug))
                .body("displayName", equalTo("Acme Corp"))
                .body("plan", equalTo("standard"))
                .body("quotas.maxApiKeys", equalTo(50))
                .body("residency", equalTo("eu"))
                .body("status", equalTo("PROVISIONING"))
                .body("createdAt", notNullValue())
                .body("updatedAt", notNullValue());
        String id = created.path("id");
        assertThat(UUID.fromString(id)).isNotNull();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                asPlatformAdmin().get(TENANTS + "/" + id).then().statusCode(200).body("status", equalTo("ACTIVE")));
    }

    @Test
    void createHonoursPlanAndResidency() {
        asPlatformAdmin()
                .body(Map.of("slug", uniqueSlug("us"), "displayName", "US Tenant", "plan", "enterprise", "residency", "us"))
                .post(TENANTS)
                .then().statusCode(201)
                .body("plan", equalTo("enterprise"))
                .body("quotas.requestsPerSecond", equalTo(1000))
                .body("residency", equalTo("us"));
    }

    @Test
    void invalidSlugIsA400WithAFieldErrorAndCreatesNothing() {
        int before = countTenants();
        asPlatformAdmin().body(Map.of("slug", "Not_A_Label", "displayName", "x")).post(TENANTS)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://atrium.dev/problems/validation-failed"))
                .body("status", equalTo(400))
                .body("errors[0].field", equalTo("slug"))
                .body("errors[0].message", containsString("DNS label"));
        assertThat(countTenants()).isEqualTo(before);
    }

    @Test
    void missingRequiredFieldsAreListedPerField() {
        asPlatformAdmin().body(Map.of()).post(TENANTS)
                .then().statusCode(400)
                .body("errors.field", hasItem("slug"))
                .body("errors.field", hasItem("displayName"));
    }

    @Test
    void unknownFieldsAndMalformedJsonAre400() {
        asPlatformAdmin().body(Map.of("slug", uniqueSlug("x"), "displayName", "x", "colour", "red")).post(TENANTS)
                .then().statusCode(400).body("errors[0].field", equalTo("colour"));
        asPlatformAdmin().body("{\"slug\": ").post(TENANTS)
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("request body is not valid JSON"))
                .body(not(containsString("at [Source")));
    }

    @Test
    void unknownPlanOrZoneIs422() {
        asPlatformAdmin().body(Map.of("slug", uniqueSlug("p"), "displayName", "x", "plan", "platinum")).post(TENANTS)
                .then().statusCode(422).body("errors[0].field", equalTo("plan"));
        asPlatformAdmin().body(Map.of("slug", uniqueSlug("z"), "displayName", "x", "residency", "mars")).post(TENANTS)
                .then().statusCode(422).body("errors[0].field", equalTo("residency"));
    }

    @Test
    void duplicateSlugIs409() {
        String slug = uniqueSlug("dup");
        asPlatformAdmin().body(Map.of("slug", slug, "displayName", "First")).post(TENANTS).then().statusCode(201);
        asPlatformAdmin().body(Map.of("slug", slug, "displayName", "Second")).post(TENANTS)
                .then().statusCode(409).body("detail", containsString("already taken"));
    }

    @Test
    void wrongContentTypeIs415() {
        asPlatformAdmin().contentType(ContentType.TEXT).body("slug=x").post(TENANTS)
                .then().statusCode(415).contentType("application/problem+json");
    }

    @Test
    void idempotentCreateReplaysTheFirstResponseAndCreatesOnce() {
        String slug = uniqueSlug("idem");
        String key = UUID.randomUUID().toString();
        Map<String, String> body = Map.of("slug", slug, "displayName", "Idempotent");
        Response first = asPlatformAdmin().header("Idempotency-Key", key).body(body).post(TENANTS);
        first.then().statusCode(201);
        Response retry = asPlatformAdmin().header("Idempotency-Key", key).body(body).post(TENANTS);
        retry.then().statusCode(201)
                .header("Idempotent-Replayed", "true")
                .header("Location", equalTo(first.header("Location")))
                .body("id", equalTo(first.path("id")));
        assertThat(asPlatformAdmin().queryParam("limit", 500).get(TENANTS).jsonPath().getList("items.slug"))
                .filteredOn(slug::equals).hasSize(1);

        asPlatformAdmin().header("Idempotency-Key", key).body(Map.of("slug", uniqueSlug("other"), "displayName", "Other"))
                .post(TENANTS)
                .then().statusCode(422).body("type", equalTo("https://atrium.dev/problems/idempotency-key-reused"));
    }

    @Test
    void listIsCursorPaginatedAndFiltersByStatus() {
        TestTenant suspended = activeTenant("pg");
        asPlatformAdmin().post(suspended.path() + ":suspend").then().statusCode(200);
        for (int i = 0; i < 3; i++) {
            activeTenant("pg");
        }
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = asPlatformAdmin().queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            Response page = request.get(TENANTS);
            page.then().statusCode(200);
            List<String> ids = page.jsonPath().getList("items.id");
            assertThat(ids).hasSizeLessThanOrEqualTo(2);
            for (String id : ids) {
                assertThat(seen.add(id)).as("no tenant appears on two pages").isTrue();
            }
            cursor = page.path("nextCursor");
            pages++;
        } while (cursor != null && pages < 1000);
        assertThat(seen).contains(suspended.id().toString());
        assertThat(pages).isGreaterThan(2);

        List<String> suspendedOnly = asPlatformAdmin().queryParam("status", "SUSPENDED").queryParam("limit", 500)
                .get(TENANTS).jsonPath().getList("items.status");
        assertThat(suspendedOnly).isNotEmpty().containsOnly("SUSPENDED");

        String marker = "Zq_" + UUID.randomUUID().toString().substring(0, 6);
        TestTenant named = activeTenant("search");
        asPlatformAdmin().body(Map.of("displayName", "Search " + marker)).patch(named.path()).then().statusCode(200);
        assertThat(asPlatformAdmin().queryParam("q", marker.toLowerCase()).get(TENANTS).jsonPath().getList("items.id"))
                .containsExactly(named.id().toString());
        assertThat(asPlatformAdmin().queryParam("q", "Zq%").get(TENANTS).jsonPath().getList("items.id"))
                .as("LIKE wildcards in q are literal").isEmpty();
        asPlatformAdmin().queryParam("q", "x".repeat(101)).get(TENANTS).then().statusCode(400)
                .body("errors[0].field", equalTo("q"));

        asPlatformAdmin().queryParam("status", "SLEEPING").get(TENANTS).then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
        asPlatformAdmin().queryParam("cursor", "garbage!").get(TENANTS).then().statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
        asPlatformAdmin().queryParam("limit", 0).get(TENANTS).then().statusCode(400);
    }

    @Test
    void patchChangesDisplayNameAndPlanWithOptimisticConcurrency() {
        TestTenant tenant = activeTenant("patch");
        String etag = asPlatformAdmin().get(tenant.path()).header("ETag");

        Response patched = asPlatformAdmin().contentType("application/merge-patch+json").header("If-Match", etag)
                .body(Map.of("displayName", "Renamed", "plan", "enterprise")).patch(tenant.path());
        patched.then().statusCode(200).body("displayName", equalTo("Renamed")).body("plan", equalTo("enterprise"));
        assertThat(patched.header("ETag")).isNotEqualTo(etag);

        asPlatformAdmin().header("If-Match", etag).body(Map.of("displayName", "Stale write")).patch(tenant.path())
                .then().statusCode(412).body("type", equalTo("https://atrium.dev/problems/precondition-failed"));
        asPlatformAdmin().get(tenant.path()).then().body("displayName", equalTo("Renamed"));
    }

    @Test
    void patchRefusesImmutableAndUnknownFieldsAndChangesNothing() {
        TestTenant tenant = activeTenant("immut");
        asPlatformAdmin().body(Map.of("slug", "new-slug", "displayName", "Changed")).patch(tenant.path())
                .then().statusCode(400).body("errors.field", hasItem("slug"));
        asPlatformAdmin().body(Map.of("status", "DELETED")).patch(tenant.path())
                .then().statusCode(400).body("errors[0].message", containsString(":suspend"));
        asPlatformAdmin().body(Map.of("displayName", "")).patch(tenant.path()).then().statusCode(400);
        asPlatformAdmin().body(Map.of("plan", "platinum")).patch(tenant.path()).then().statusCode(422);
        asPlatformAdmin().get(tenant.path()).then()
                .body("slug", equalTo(tenant.slug()))
                .body("displayName", equalTo("Tenant " + tenant.slug()))
                .body("plan", equalTo("standard"));
    }

    @Test
    void lifecycleIsEnforced() {
        TestTenant tenant = activeTenant("life");
        asPlatformAdmin().post(tenant.path() + ":resume").then().statusCode(409)
                .body("type", equalTo("https://atrium.dev/problems/invalid-state-transition"));
        asPlatformAdmin().delete(tenant.path()).then().statusCode(409).body("detail", containsString("suspend the tenant first"));

        String etag = asPlatformAdmin().post(tenant.path() + ":suspend").then().statusCode(200)
                .body("status", equalTo("SUSPENDED")).extract().header("ETag");
        asPlatformAdmin().post(tenant.path() + ":resume").then().statusCode(200).body("status", equalTo("ACTIVE"));
        asPlatformAdmin().header("If-Match", etag).post(tenant.path() + ":suspend").then().statusCode(412);
        asPlatformAdmin().post(tenant.path() + ":suspend").then().statusCode(200);

        asPlatformAdmin().delete(tenant.path()).then().statusCode(202).body("status", equalTo("DELETING"));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                asPlatformAdmin().get(tenant.path()).then().body("status", equalTo("DELETED")));
        asPlatformAdmin().post(tenant.path() + ":resume").then().statusCode(409);
        asPlatformAdmin().body(Map.of("displayName", "Zombie")).patch(tenant.path()).then().statusCode(409);
        assertThat(asPlatformAdmin().queryParam("tenantId", tenant.id()).get("/api/v1/audit/events")
                .jsonPath().getList("items.action"))
                .containsSubsequence("tenant.delete.complete", "tenant.delete", "tenant.suspend", "tenant.resume");
        assertThat(asPlatformAdmin().queryParam("limit", 500).get(TENANTS).jsonPath().getList("items.id"))
                .doesNotContain(tenant.id().toString());
    }

    @Test
    void deletingATenantRevokesItsKeys() {
        TestTenant tenant = activeTenant("delkeys");
        String key = apiKey(tenant, "admin");
        as(key).get(tenant.path()).then().statusCode(200);
        asPlatformAdmin().post(tenant.path() + ":suspend").then().statusCode(200);
        asPlatformAdmin().delete(tenant.path()).then().statusCode(202);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                asPlatformAdmin().get(tenant.path() + "/api-keys").then().statusCode(200)
                        .body("items[0].status", equalTo("REVOKED")));
        as(key).get(tenant.path()).then().statusCode(401);
    }

    @Test
    void unknownOrMalformedIdsAre404() {
        asPlatformAdmin().get(TENANTS + "/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json").body("type", equalTo("https://atrium.dev/problems/not-found"));
        asPlatformAdmin().get(TENANTS + "/not-a-uuid").then().statusCode(404);
        asPlatformAdmin().body(Map.of("displayName", "x")).patch(TENANTS + "/" + UUID.randomUUID()).then().statusCode(404);
        asPlatformAdmin().post(TENANTS + "/" + UUID.randomUUID() + ":suspend").then().statusCode(404);
    }

    @Test
    void tenantPrincipalsSeeOnlyTheirOwnTenantAndCannotManageTenants() {
        TestTenant a = activeTenant("iso-a");
        TestTenant b = activeTenant("iso-b");
        String adminA = apiKey(a, "admin");

        as(adminA).get(a.path()).then().statusCode(200).body("id", equalTo(a.id().toString()));
        as(adminA).get(b.path()).then().statusCode(404).body("detail", not(containsString(b.slug())));
        as(adminA).get(TENANTS).then().statusCode(403);
        as(adminA).body(Map.of("slug", uniqueSlug("evil"), "displayName", "x")).post(TENANTS).then().statusCode(403);
        as(adminA).body(Map.of("displayName", "pwned")).patch(a.path()).then().statusCode(403);
        as(adminA).body(Map.of("displayName", "pwned")).patch(b.path()).then().statusCode(404);
        as(adminA).post(b.path() + ":suspend").then().statusCode(404);
        as(adminA).post(b.path() + ":resume").then().statusCode(404);
        as(adminA).post(a.path() + ":suspend").then().statusCode(403);
        as(adminA).delete(b.path()).then().statusCode(404);
        asPlatformAdmin().get(b.path()).then().body("displayName", equalTo("Tenant " + b.slug())).body("status", equalTo("ACTIVE"));
    }

    @Test
    void suspendedTenantsKeysGet403() {
        TestTenant tenant = activeTenant("susp");
        String key = apiKey(tenant, "admin");
        asPlatformAdmin().post(tenant.path() + ":suspend").then().statusCode(200);
        as(key).get(tenant.path()).then().statusCode(403)
                .body("type", equalTo("https://atrium.dev/problems/tenant-suspended"));
        asPlatformAdmin().post(tenant.path() + ":resume").then().statusCode(200);
        as(key).get(tenant.path()).then().statusCode(200);
    }

    @Test
    void withoutCredentialsEverythingIs401() {
        given().get(TENANTS).then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .contentType("application/problem+json")
                .body("status", equalTo(401));
        given().contentType(ContentType.JSON).body(Map.of("slug", uniqueSlug("anon"), "displayName", "x")).post(TENANTS)
                .then().statusCode(401);
    }

    private static int countTenants() {
        return asPlatformAdmin().queryParam("limit", 500).get(TENANTS).jsonPath().getList("items").size();
    }
}
