package dev.atrium.controlplane.deployment;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.apiKey;
import static dev.atrium.controlplane.testing.Api.as;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static dev.atrium.controlplane.testing.Api.serviceKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.model.ModelCards;
import dev.atrium.controlplane.testing.Api.TestTenant;
import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;
import dev.atrium.controlplane.testing.Users;

/**
 * Platform-wide deployments: a platform admin deploys an APPROVED platform model version for every tenant with a
 * platform secret as the key; tenants' data planes are told of it (a tenant's own deployment of the same name wins),
 * read the key through an audited internal call, and nothing else of the platform's secrets. Static regions' data
 * planes report their configured models, listed with them. Backends are documentation addresses: nothing is called.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class PlatformDeploymentResourceTest {

    /** A platform llm with version 1 APPROVED by a platform compliance officer. */
    private static String platformModel() {
        String name = "platform-llm-" + UUID.randomUUID().toString().substring(0, 6);
        asPlatformAdmin().body(Map.of("name", name, "type", "llm")).post("/api/v1/platform/models").then().statusCode(201);
        asPlatformAdmin().body(ModelCards.version("1", ModelCards.complete())).post("/api/v1/platform/models/" + name + "/versions")
                .then().statusCode(201);
        asPlatformAdmin().post("/api/v1/platform/models/" + name + "/versions/1:submit").then().statusCode(200);
        as(Users.platformComplianceOfficer().token()).body(Map.of("comment", "reviewed"))
                .post("/api/v1/platform/models/" + name + "/versions/1:approve").then().statusCode(200);
        return name;
    }

    private static Map<String, Object> deployment(String name, String model, Map<String, Object> upstream) {
        return Map.of("name", name, "model", model, "version", "1", "kind", "upstream", "upstream", upstream);
    }

    @Test
    void aPlatformDeploymentIsServedToEveryTenantWithAPlatformKeyReadOnlyThroughItsAuditedCall() {
        String model = platformModel();
        String name = "shared-" + UUID.randomUUID().toString().substring(0, 6);
        String secret = "upstream-key-" + UUID.randomUUID().toString().substring(0, 6);
        asPlatformAdmin().body(Map.of("value", "sk-platform-LEAKCANARY")).put("/api/v1/platform/secrets/" + secret).then().statusCode(201);

        // refused: an unknown secret, a secret the platform made for itself, self-hosted, a tenant's model
        asPlatformAdmin().body(deployment(name, model, Map.of("url", "https://203.0.113.30/v1", "apiKeySecret", "nothing-here")))
                .post("/api/v1/platform/deployments").then().statusCode(422).body("errors[0].field", equalTo("upstream.apiKeySecret"));
        // the API-key pepper is a platform secret the platform generated for itself: never a backend's key
        asPlatformAdmin().body(deployment(name, model, Map.of("url", "https://203.0.113.30/v1", "apiKeySecret", "api-key-pepper")))
                .post("/api/v1/platform/deployments").then().statusCode(422).body("errors[0].field", equalTo("upstream.apiKeySecret"));
        asPlatformAdmin().body(Map.of("name", name, "model", model, "version", "1", "kind", "self-hosted",
                "selfHosted", Map.of("gpuPool", "l4"))).post("/api/v1/platform/deployments").then().statusCode(422);
        TestTenant tenant = activeTenant("platform-served");
        String tenantModels = tenant.path() + "/models";
        as(apiKey(tenant, "admin")).body(Map.of("name", "tenant-only", "type", "llm")).post(tenantModels).then().statusCode(201);
        asPlatformAdmin().body(deployment(name, "tenant-only", Map.of("url", "https://203.0.113.30/v1")))
                .post("/api/v1/platform/deployments").then().statusCode(422).body("errors[0].field", equalTo("model"));

        asPlatformAdmin().body(deployment(name, model, Map.of("url", "https://203.0.113.30/v1", "model", "gpt-4o-mini",
                "apiKeySecret", secret))).post("/api/v1/platform/deployments").then().statusCode(201).body("name", equalTo(name));
        JsonPath listed = asPlatformAdmin().get("/api/v1/platform/deployments").then().statusCode(200).extract().jsonPath();
        assertThat(listed.getList("items.name", String.class)).contains(name);

        // every tenant's data plane is told of it, marked as the platform's
        String dataPlane = serviceKey("test-eu-1", null);
        String served = as(dataPlane).get("/internal/v1/tenants/" + tenant.id() + "/deployments").then().statusCode(200)
                .body("find { it.name == '" + name + "' }.platform", equalTo(true))
                .body("find { it.name == '" + name + "' }.apiKeySecret", equalTo(secret))
                .body("find { it.name == '" + name + "' }.apiKeySecretVersion", equalTo(1)).extract().asString();
        assertThat(served).doesNotContain("LEAKCANARY");
        as(dataPlane).get("/internal/v1/platform-deployments/" + name + "/key").then().statusCode(200)
                .header("Cache-Control", "no-store").body("value", equalTo("sk-platform-LEAKCANARY")).body("version", equalTo(1));
        JsonPath reads = asPlatformAdmin().queryParam("action", "secret.platform.read").queryParam("limit", 100)
                .get("/api/v1/audit/events").then().statusCode(200).extract().jsonPath();
        assertThat(reads.getList("items.resource.id", String.class)).contains(secret);
        assertThat(reads.prettify()).doesNotContain("LEAKCANARY");
        // no other platform secret is reachable that way, nor by a person
        as(dataPlane).get("/internal/v1/platform-deployments/nothing/key").then().statusCode(404);
        as(apiKey(tenant, "admin")).get("/internal/v1/platform-deployments/" + name + "/key").then()
                .statusCode(org.hamcrest.Matchers.either(equalTo(403)).or(equalTo(404)));

        // the tenant's own deployment of that name is what its data planes serve
        as(apiKey(tenant, "admin")).body(ModelCards.version("1", ModelCards.complete())).post(tenantModels + "/tenant-only/versions")
                .then().statusCode(201);
        as(apiKey(tenant, "admin")).post(tenantModels + "/tenant-only/versions/1:submit").then().statusCode(200);
        as(Users.complianceOfficer(tenant)).body(Map.of("comment", "ok")).post(tenantModels + "/tenant-only/versions/1:approve")
                .then().statusCode(200);
        as(apiKey(tenant, "admin")).body(deployment(name, "tenant-only", Map.of("url", "https://203.0.113.31/v1")))
                .post(tenant.path() + "/deployments").then().statusCode(201);
        as(dataPlane).get("/internal/v1/tenants/" + tenant.id() + "/deployments").then().statusCode(200)
                .body("findAll { it.name == '" + name + "' }.size()", equalTo(1))
                .body("find { it.name == '" + name + "' }.platform", equalTo(false))
                .body("find { it.name == '" + name + "' }.url", equalTo("https://203.0.113.31/v1"));
        // a tenant admin cannot touch the platform's
        as(apiKey(tenant, "admin")).delete("/api/v1/platform/deployments/" + name).then().statusCode(403);

        asPlatformAdmin().delete("/api/v1/platform/deployments/" + name).then().statusCode(204);
        as(dataPlane).get("/internal/v1/platform-deployments/" + name + "/key").then().statusCode(404);
        JsonPath trail = asPlatformAdmin().queryParam("action", "deployment.delete").queryParam("limit", 100).get("/api/v1/audit/events")
                .then().statusCode(200).extract().jsonPath();
        assertThat(trail.getList("items.resource.id", String.class)).contains(name);
    }

    @Test
    void aRegionsKubernetesCredentialsAreNeverAPlatformDeploymentsKey() {
        String model = platformModel();
        String credentials = "k8s-creds-" + UUID.randomUUID().toString().substring(0, 6);
        String region = "k8s-" + UUID.randomUUID().toString().substring(0, 8);
        asPlatformAdmin().body(Map.of("value", "apiVersion: v1\nclusters: []")).put("/api/v1/platform/secrets/" + credentials)
                .then().statusCode(201);
        asPlatformAdmin().body(Map.of("name", region, "zone", "eu", "endpoint", "http://127.0.0.1:9/" + region, "kind", "kubernetes",
                "schedulable", false, "kubernetes", Map.of("apiServer", "https://k8s." + region + ".example.com:6443",
                        "credentialsSecret", credentials, "namespacePrefix", "atrium",
                        "dataPlaneImage", "registry.example.com/atrium/data-plane:0.1.0", "tenantDomain", region + ".tenants.example.com")))
                .post("/api/v1/platform/regions").then().statusCode(201);

        asPlatformAdmin().body(deployment("steal-creds", model, Map.of("url", "https://203.0.113.30/v1", "apiKeySecret", credentials)))
                .post("/api/v1/platform/deployments").then().statusCode(422).body("errors[0].field", equalTo("upstream.apiKeySecret"));
        asPlatformAdmin().delete("/api/v1/platform/regions/" + region).then().statusCode(204);
    }

    @Test
    void staticRegionsReportTheirConfiguredModelsWhichAreListedWithoutKeys() {
        String region = serviceKey("test-eu-1", null);
        as(region).body(Map.of("models", List.of(
                        Map.of("name", "chat", "kind", "chat", "url", "http://127.0.0.1:11434/v1", "upstreamModel", "llama3.1:8b",
                                "hasKey", true, "restricted", false),
                        Map.of("name", "embed", "kind", "embedding", "url", "http://127.0.0.1:11434/v1", "hasKey", false,
                                "restricted", true))))
                .put("/internal/v1/configured-models").then().statusCode(204);

        JsonPath listed = asPlatformAdmin().get("/api/v1/platform/deployments").then().statusCode(200).extract().jsonPath();
        assertThat(listed.getList("configured.findAll { it.region == 'test-eu-1' }.name", String.class)).containsExactly("chat", "embed");
        assertThat(listed.getBoolean("configured.find { it.region == 'test-eu-1' && it.name == 'chat' }.hasKey")).isTrue();

        // a report replaces the region's set; a bad one changes nothing; a tenant's own data plane reports nothing
        as(region).body(Map.of("models", List.of(Map.of("name", "chat", "kind", "tools", "url", "x", "hasKey", false,
                "restricted", false)))).put("/internal/v1/configured-models").then().statusCode(400);
        TestTenant tenant = activeTenant("configured-models");
        as(serviceKey("test-eu-1", tenant.id())).body(Map.of("models", List.of())).put("/internal/v1/configured-models").then()
                .statusCode(403);
        assertThat(asPlatformAdmin().get("/api/v1/platform/deployments").then().extract().jsonPath()
                .getList("configured.findAll { it.region == 'test-eu-1' }.name", String.class)).containsExactly("chat", "embed");
        as(region).body(Map.of("models", List.of())).put("/internal/v1/configured-models").then().statusCode(204);
        assertThat(asPlatformAdmin().get("/api/v1/platform/deployments").then().extract().jsonPath()
                .getList("configured.findAll { it.region == 'test-eu-1' }", Object.class)).isEmpty();
    }
}
