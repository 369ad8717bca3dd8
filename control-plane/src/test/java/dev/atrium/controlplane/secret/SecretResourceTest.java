package dev.atrium.controlplane.secret;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.apiKey;
import static dev.atrium.controlplane.testing.Api.as;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static dev.atrium.controlplane.testing.Api.serviceKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.testing.Api.TestTenant;
import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;

@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class SecretResourceTest {

    private static String secrets(TestTenant tenant) {
        return tenant.path() + "/secrets";
    }

    @Test
    void putCreatesThenVersionsAndNeverReturnsTheValue() {
        TestTenant tenant = activeTenant("sec");
        String admin = apiKey(tenant, "admin");
        Response created = as(admin).body(Map.of("value", "sk-upstream-1")).put(secrets(tenant) + "/openai-key");
        created.then().statusCode(201)
                .header("Location", containsString("/secrets/openai-key"))
                .body("name", equalTo("openai-key"))
                .body("version", equalTo(1))
                .body("generated", equalTo(false))
                .body("createdBy", containsString("apikey:"))
                .body("value", nullValue());
        assertThat(created.asString()).doesNotContain("sk-upstream-1");

        as(admin).body(Map.of("value", "sk-upstream-2")).put(secrets(tenant) + "/openai-key")
                .then().statusCode(200).body("version", equalTo(2)).body("updatedAt", notNullValue());
        Response listed = as(admin).get(secrets(tenant));
        listed.then().statusCode(200).body("items.name", equalTo(List.of("openai-key"))).body("items[0].version", equalTo(2));
        assertThat(listed.asString()).doesNotContain("sk-upstream");
        as(admin).get(secrets(tenant) + "/openai-key").then().statusCode(200).body("version", equalTo(2))
                .body(not(containsString("sk-upstream")));
    }

    @Test
    void membersListNamesButCannotWriteAndOtherTenantsSeeNothing() {
        TestTenant a = activeTenant("sec-a");
        TestTenant b = activeTenant("sec-b");
        asPlatformAdmin().body(Map.of("value", "a-db-password")).put(secrets(a) + "/db-password").then().statusCode(201);
        String memberA = apiKey(a, "rag:query");
        String adminB = apiKey(b, "admin");

        as(memberA).get(secrets(a)).then().statusCode(200).body("items.name", hasItem("db-password"));
        as(memberA).get(secrets(a) + "/db-password").then().statusCode(200);
        as(memberA).body(Map.of("value", "x")).put(secrets(a) + "/db-password").then().statusCode(403);
        as(memberA).delete(secrets(a) + "/db-password").then().statusCode(403);
        as(memberA).post(secrets(a) + "/db-password:rotate").then().statusCode(403);

        as(adminB).get(secrets(a)).then().statusCode(404);
        as(adminB).get(secrets(a) + "/db-password").then().statusCode(404);
        as(adminB).body(Map.of("value", "overwrite")).put(secrets(a) + "/db-password").then().statusCode(404);
        as(adminB).delete(secrets(a) + "/db-password").then().statusCode(404);
        as(adminB).get(secrets(b)).then().statusCode(200).body("items.size()", equalTo(0));
        asPlatformAdmin().get(secrets(a) + "/db-password").then().body("version", equalTo(1));
    }

    @Test
    void softDeleteHidesDestroyRemovesAndPutRecreates() {
        TestTenant tenant = activeTenant("secdel");
        asPlatformAdmin().body(Map.of("value", "v1")).put(secrets(tenant) + "/webhook").then().statusCode(201);
        asPlatformAdmin().body(Map.of("value", "v2")).put(secrets(tenant) + "/webhook").then().statusCode(200);
        asPlatformAdmin().delete(secrets(tenant) + "/webhook").then().statusCode(204);
        asPlatformAdmin().get(secrets(tenant) + "/webhook").then().statusCode(404);
        asPlatformAdmin().get(secrets(tenant)).then().body("items.size()", equalTo(0));
        asPlatformAdmin().delete(secrets(tenant) + "/webhook").then().statusCode(404);

        asPlatformAdmin().body(Map.of("value", "v3")).put(secrets(tenant) + "/webhook").then().statusCode(201)
                .body("version", equalTo(3));
        asPlatformAdmin().queryParam("destroy", true).delete(secrets(tenant) + "/webhook").then().statusCode(204);
        asPlatformAdmin().body(Map.of("value", "fresh")).put(secrets(tenant) + "/webhook").then().statusCode(201)
                .body("version", equalTo(1));
        assertThat(asPlatformAdmin().queryParam("tenantId", tenant.id()).get("/api/v1/audit/events")
                .jsonPath().getList("items.action"))
                .contains("secret.put", "secret.delete", "secret.destroy");
    }

    @Test
    void rotateGeneratesNewVersionsOnlyForGeneratedSecrets() {
        TestTenant tenant = activeTenant("rotate");
        String service = serviceKey("local-a", tenant.id());
        asPlatformAdmin().post(secrets(tenant) + "/signing-key:rotate").then().statusCode(201)
                .body("generated", equalTo(true)).body("version", equalTo(1));
        String first = as(service).get("/internal/v1/tenants/" + tenant.id() + "/secrets/signing-key").path("value");
        asPlatformAdmin().post(secrets(tenant) + "/signing-key:rotate").then().statusCode(200).body("version", equalTo(2));
        String second = as(service).get("/internal/v1/tenants/" + tenant.id() + "/secrets/signing-key").path("value");
        assertThat(first).hasSize(43).isNotEqualTo(second);
        assertThat(second).matches("[A-Za-z0-9_-]{43}");

        asPlatformAdmin().body(Map.of("value", "hand-made")).put(secrets(tenant) + "/manual").then().statusCode(201);
        asPlatformAdmin().post(secrets(tenant) + "/manual:rotate").then().statusCode(409)
                .body("detail", containsString("PUT"));
    }

    @Test
    void badInputIsRefusedWithProblemsAndStoresNothing() {
        TestTenant tenant = activeTenant("secbad");
        String path = secrets(tenant);
        asPlatformAdmin().body(Map.of("value", "x")).put(path + "/a..b")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("name"))
                .body("detail", containsString("'..'"));
        asPlatformAdmin().body(Map.of("value", "x")).urlEncodingEnabled(false).put(path + "/%2E%2E")
                .then().statusCode(org.hamcrest.Matchers.oneOf(400, 404, 405)).contentType("application/problem+json");
        asPlatformAdmin().body(Map.of("value", "x")).urlEncodingEnabled(false).put(path + "/a%2Fb")
                .then().statusCode(org.hamcrest.Matchers.oneOf(400, 404)).contentType("application/problem+json");
        asPlatformAdmin().body(Map.of("value", "x")).put(path + "/")
                .then().statusCode(org.hamcrest.Matchers.oneOf(404, 405)).contentType("application/problem+json");
        asPlatformAdmin().body(Map.of("value", "x")).put(path + "/-leading-dash").then().statusCode(400);
        asPlatformAdmin().body(Map.of("value", "x")).put(path + "/" + "n".repeat(129)).then().statusCode(400);
        asPlatformAdmin().body(Map.of("value", "")).put(path + "/empty").then().statusCode(400)
                .body("errors[0].field", equalTo("value"));
        asPlatformAdmin().body(Map.of()).put(path + "/missing").then().statusCode(400).body("errors[0].field", equalTo("value"));
        asPlatformAdmin().body(Map.of("value", 42)).put(path + "/number").then().statusCode(400);
        asPlatformAdmin().body(Map.of("value", "x".repeat(64 * 1024 + 1))).put(path + "/huge").then().statusCode(400)
                .body("errors[0].field", equalTo("value")).body("detail", containsString("65536 bytes"));
        asPlatformAdmin().body(Map.of("value", "x".repeat(64 * 1024))).put(path + "/exactly-max").then().statusCode(201);
        asPlatformAdmin().body(Map.of("value", "x")).put("/api/v1/tenants/" + UUID.randomUUID() + "/secrets/any")
                .then().statusCode(404);
        asPlatformAdmin().get(path).then().body("items.name", equalTo(List.of("exactly-max")));
    }

    @Test
    void theSecretsKeptForADedicatedDataPlaneCannotBeSetRotatedOrDeletedByTheTenant() {
        TestTenant tenant = activeTenant("sec-infra");
        String admin = apiKey(tenant, "admin");
        for (String name : List.of("dedicated.eu-k8s.service-key", "dedicated.x")) {
            as(admin).body(Map.of("value", "mine")).put(secrets(tenant) + "/" + name).then().statusCode(409)
                    .contentType("application/problem+json").body("detail", containsString("kept by the platform"));
            asPlatformAdmin().body(Map.of("value", "mine")).put(secrets(tenant) + "/" + name).then().statusCode(409);
            as(admin).post(secrets(tenant) + "/" + name + ":rotate").then().statusCode(409);
            as(admin).delete(secrets(tenant) + "/" + name).then().statusCode(409);
        }
        as(admin).get(secrets(tenant)).then().statusCode(200).body("items.size()", equalTo(0));
        assertThat(asPlatformAdmin().queryParam("tenantId", tenant.id()).queryParam("action", "secret.put")
                .get("/api/v1/audit/events").jsonPath().getList("items")).isEmpty();
    }

    @Test
    void internalApiServesValuesToDataPlanesOnlyAndAuditsEveryRead() {
        TestTenant a = activeTenant("int-a");
        TestTenant b = activeTenant("int-b");
        asPlatformAdmin().body(Map.of("value", "value-of-a")).put(secrets(a) + "/upstream").then().statusCode(201);
        asPlatformAdmin().body(Map.of("value", "value-of-b")).put(secrets(b) + "/upstream").then().statusCode(201);
        String sharedDataPlane = serviceKey("test-eu-1", null);
        String dataPlaneOfA = serviceKey("eu-west-1", a.id());

        as(sharedDataPlane).get("/internal/v1/tenants/" + a.id() + "/secrets/upstream").then().statusCode(200)
                .header("Cache-Control", "no-store").body("value", equalTo("value-of-a")).body("version", equalTo(1));
        as(sharedDataPlane).get("/internal/v1/tenants/" + b.id() + "/secrets/upstream").then().statusCode(200)
                .body("value", equalTo("value-of-b"));
        as(dataPlaneOfA).get("/internal/v1/tenants/" + a.id() + "/secrets/upstream").then().statusCode(200);
        as(dataPlaneOfA).get("/internal/v1/tenants/" + b.id() + "/secrets/upstream").then().statusCode(404);
        as(sharedDataPlane).get("/internal/v1/tenants/" + a.id() + "/secrets/nope").then().statusCode(404);

        as(apiKey(a, "admin")).get("/internal/v1/tenants/" + a.id() + "/secrets/upstream").then().statusCode(403);
        asPlatformAdmin().get("/internal/v1/tenants/" + a.id() + "/secrets/upstream").then().statusCode(403);
        as(sharedDataPlane).get(a.path()).then().statusCode(403);
        as(sharedDataPlane).get(secrets(a)).then().statusCode(403);

        Response reads = asPlatformAdmin().queryParam("tenantId", a.id()).queryParam("action", "secret.read")
                .get("/api/v1/audit/events");
        assertThat(reads.jsonPath().getList("items.actor.type")).containsOnly("service");
        assertThat(reads.jsonPath().getList("items.after.region")).contains("test-eu-1", "eu-west-1");
        assertThat(reads.asString()).doesNotContain("value-of-a");
    }

    @Test
    void serviceKeysAreManagedByPlatformAdminsOnly() {
        TestTenant tenant = activeTenant("svc");
        String admin = apiKey(tenant, "admin");
        as(admin).body(Map.of("name", "x", "region", "local-a")).post("/api/v1/service-keys").then().statusCode(403);
        asPlatformAdmin().body(Map.of("name", "x", "region", "Not A Region")).post("/api/v1/service-keys")
                .then().statusCode(400).body("errors[0].field", equalTo("region"));
        // a key through the API is bound to one tenant; keys for every tenant come only from the operator's configuration
        asPlatformAdmin().body(Map.of("name", "dp", "region", "local-b")).post("/api/v1/service-keys")
                .then().statusCode(422).body("errors[0].field", equalTo("tenantId"));
        asPlatformAdmin().body(Map.of("name", "dp", "region", "local-b", "tenantId", UUID.randomUUID().toString()))
                .post("/api/v1/service-keys").then().statusCode(404);
        String id = asPlatformAdmin().body(Map.of("name", "dp", "region", "local-b", "tenantId", tenant.id().toString()))
                .post("/api/v1/service-keys").then().statusCode(201).body("region", equalTo("local-b"))
                .body("tenantId", equalTo(tenant.id().toString())).extract().path("id");
        asPlatformAdmin().get("/api/v1/service-keys").then().statusCode(200).body("items.id", hasItem(id))
                .body("items.secret", not(hasItem(notNullValue())));
        asPlatformAdmin().delete("/api/v1/service-keys/" + id).then().statusCode(204);
        asPlatformAdmin().delete("/api/v1/service-keys/" + UUID.randomUUID()).then().statusCode(404);
        as(admin).get(tenant.path() + "/api-keys").then().body("items.id", not(hasItem(id)));
    }
}
