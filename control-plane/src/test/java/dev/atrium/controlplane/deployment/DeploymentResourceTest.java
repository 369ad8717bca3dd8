package dev.atrium.controlplane.deployment;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.apiKey;
import static dev.atrium.controlplane.testing.Api.as;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static dev.atrium.controlplane.testing.Api.serviceKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * The deployment API: only APPROVED versions, only the tenant's own secrets, no backend on the platform's own network
 * (these tests run with private upstreams forbidden, as production does), every change audited, nothing of another
 * tenant reachable. The backend URLs are documentation addresses (RFC 5737): nothing is called here.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class DeploymentResourceTest {

    private static final String BACKEND = "https://203.0.113.10/v1";

    /** A tenant with an llm model "support-llm": version 1 APPROVED, version 2 a draft. */
    private static TestTenant tenantWithApprovedModel(String prefix) {
        TestTenant tenant = activeTenant(prefix);
        String admin = apiKey(tenant, "admin");
        String models = tenant.path() + "/models";
        as(admin).body(Map.of("name", "support-llm", "type", "llm")).post(models).then().statusCode(201);
        as(admin).body(ModelCards.version("1", ModelCards.complete())).post(models + "/support-llm/versions").then().statusCode(201);
        as(admin).post(models + "/support-llm/versions/1:submit").then().statusCode(200);
        as(Users.complianceOfficer(tenant)).body(Map.of("comment", "reviewed")).post(models + "/support-llm/versions/1:approve")
                .then().statusCode(200);
        as(admin).body(ModelCards.version("2", ModelCards.complete())).post(models + "/support-llm/versions").then().statusCode(201);
        as(admin).body(Map.of("value", "sk-tenant-owned-LEAKCANARY")).put(tenant.path() + "/secrets/openai-key").then().statusCode(201);
        return tenant;
    }

    private static Map<String, Object> deployment(String name, String version, Map<String, Object> upstream) {
        return Map.of("name", name, "model", "support-llm", "version", version, "kind", "upstream", "upstream", upstream);
    }

    private static Map<String, Object> upstream(String url, String secret) {
        Map<String, Object> upstream = new HashMap<>();
        upstream.put("url", url);
        upstream.put("model", "gpt-4o-mini");
        if (secret != null) {
            upstream.put("apiKeySecret", secret);
        }
        return upstream;
    }

    @Test
    void aTenantAdminDeploysAnApprovedVersionChangesItAndRemovesItAllAudited() {
        TestTenant tenant = tenantWithApprovedModel("deploy");
        String admin = apiKey(tenant, "admin");
        String deployments = tenant.path() + "/deployments";

        as(admin).body(deployment("support-bot", "1", upstream(BACKEND + "/", "openai-key"))).post(deployments).then().statusCode(201)
                .header("ETag", "\"0\"").header("Location", org.hamcrest.Matchers.endsWith("/deployments/support-bot"))
                .body("name", equalTo("support-bot")).body("version", equalTo("1")).body("kind", equalTo("upstream"))
                .body("upstream.url", equalTo(BACKEND)).body("upstream.apiKeySecret", equalTo("openai-key"))
                .body("upstream.timeoutSeconds", equalTo(60));
        as(apiKey(tenant, "rag:query")).get(deployments).then().statusCode(200).body("items.name", hasItem("support-bot"));

        // what the tenant's data plane is told: where, and which version of the key's secret is current; never its value
        String served = as(serviceKey("test-eu-1", null)).get("/internal/v1/tenants/" + tenant.id() + "/deployments").then()
                .statusCode(200).body("[0].name", equalTo("support-bot")).body("[0].type", equalTo("llm"))
                .body("[0].upstreamModel", equalTo("gpt-4o-mini")).body("[0].apiKeySecretVersion", equalTo(1))
                .extract().asString();
        assertThat(served).doesNotContain("LEAKCANARY");

        // only an APPROVED version can be served: version 2 is a draft
        as(admin).body(Map.of("version", "2")).header("If-Match", "\"0\"").patch(deployments + "/support-bot").then().statusCode(422)
                .body("errors[0].field", equalTo("version"));
        as(admin).body(Map.of("upstream", upstream("https://203.0.113.11/v1", null))).header("If-Match", "\"0\"")
                .patch(deployments + "/support-bot").then().statusCode(200).header("ETag", "\"1\"")
                .body("upstream.url", equalTo("https://203.0.113.11/v1")).body("upstream.apiKeySecret", equalTo(null));
        as(admin).body(Map.of("version", "1")).header("If-Match", "\"0\"").patch(deployments + "/support-bot").then().statusCode(412);

        as(admin).delete(deployments + "/support-bot").then().statusCode(204);
        as(admin).get(deployments + "/support-bot").then().statusCode(404);

        JsonPath trail = asPlatformAdmin().queryParam("tenantId", tenant.id().toString()).queryParam("limit", 100)
                .get("/api/v1/audit/events").then().statusCode(200).extract().jsonPath();
        assertThat(trail.getList("items.action", String.class)).contains("deployment.create", "deployment.update", "deployment.delete");
        assertThat(trail.prettify()).doesNotContain("LEAKCANARY");
    }

    @Test
    void badDeploymentsAreRefusedAndNothingIsStored() {
        TestTenant tenant = tenantWithApprovedModel("deploy-bad");
        String admin = apiKey(tenant, "admin");
        String deployments = tenant.path() + "/deployments";
        List<Map<String, Object>> unprocessable = List.of(
                deployment("draft", "2", upstream(BACKEND, null)),
                deployment("unknown-version", "9", upstream(BACKEND, null)),
                Map.of("name", "no-model", "model", "nothing", "version", "1", "kind", "upstream", "upstream", upstream(BACKEND, null)),
                deployment("no-secret", "1", upstream(BACKEND, "missing")),
                deployment("platform-secret", "1", upstream(BACKEND, "dedicated.k8s.service-key")),
                deployment("loopback", "1", upstream("http://127.0.0.1:8080/internal/v1", null)),
                deployment("metadata", "1", upstream("http://169.254.169.254/latest/meta-data", null)),
                deployment("private", "1", upstream("http://10.0.0.7/v1", null)),
                deployment("local-name", "1", upstream("http://localhost:11434/v1", null)),
                deployment("credentials", "1", upstream("https://user:pw@203.0.113.10/v1", null)),
                deployment("file", "1", upstream("file:///etc/passwd", null)),
                Map.of("name", "self-hosted", "model", "support-llm", "version", "1", "kind", "self-hosted"),
                Map.of("name", "no-upstream", "model", "support-llm", "version", "1", "kind", "upstream"));
        for (Map<String, Object> body : unprocessable) {
            as(admin).body(body).post(deployments).then().statusCode(422).contentType("application/problem+json");
        }
        List<Map<String, Object>> invalid = List.of(
                deployment("Upper", "1", upstream(BACKEND, null)),
                deployment("x".repeat(65), "1", upstream(BACKEND, null)),
                deployment("long-url", "1", upstream("https://203.0.113.10/" + "a".repeat(500), null)),
                Map.of("name", "kind", "model", "support-llm", "version", "1", "kind", "serverless", "upstream", upstream(BACKEND, null)),
                deployment("timeout", "1", Map.of("url", BACKEND, "timeoutSeconds", 3600)));
        for (Map<String, Object> body : invalid) {
            as(admin).body(body).post(deployments).then().statusCode(400).contentType("application/problem+json");
        }
        as(admin).get(deployments).then().statusCode(200).body("items", org.hamcrest.Matchers.empty());

        as(admin).body(deployment("twice", "1", upstream(BACKEND, null))).post(deployments).then().statusCode(201);
        as(admin).body(deployment("twice", "1", upstream(BACKEND, null))).post(deployments).then().statusCode(409);
        as(admin).body(Map.of("upstream", upstream("http://127.0.0.1:9/v1", null))).patch(deployments + "/twice").then().statusCode(422);
        as(admin).get(deployments + "/twice").then().statusCode(200).body("upstream.url", equalTo(BACKEND));
    }

    @Test
    void aKeyGoesOnlyOverHttpsAndADeploymentWhoseVersionWasWithdrawnCanStillHaveItsKeySwapped() {
        TestTenant tenant = tenantWithApprovedModel("deploy-https");
        String admin = apiKey(tenant, "admin");
        String deployments = tenant.path() + "/deployments";
        as(admin).body(deployment("plain", "1", upstream("http://203.0.113.10/v1", "openai-key"))).post(deployments).then()
                .statusCode(422).body("errors[0].field", equalTo("upstream.url"));
        as(admin).body(deployment("plain", "1", upstream("http://203.0.113.10/v1", null))).post(deployments).then().statusCode(201);
        as(admin).body(deployment("tls", "1", upstream(BACKEND, "openai-key"))).post(deployments).then().statusCode(201);

        as(admin).post(tenant.path() + "/models/support-llm/versions/1:deprecate").then().statusCode(200);
        as(admin).body(Map.of("value", "sk-replacement")).put(tenant.path() + "/secrets/replacement-key").then().statusCode(201);
        as(admin).body(Map.of("upstream", upstream(BACKEND, "replacement-key"))).patch(deployments + "/tls").then().statusCode(200)
                .body("upstream.apiKeySecret", equalTo("replacement-key"));
        // but it cannot be pointed at a version that is not APPROVED
        as(admin).body(Map.of("version", "2")).patch(deployments + "/tls").then().statusCode(422);
    }

    @Test
    void anEmbeddingModelIsDeployedAtOneVersionForGoodWithoutRollouts() {
        TestTenant tenant = activeTenant("deploy-embed");
        String admin = apiKey(tenant, "admin");
        String models = tenant.path() + "/models";
        as(admin).body(Map.of("name", "tenant-embed", "type", "embedding")).post(models).then().statusCode(201);
        for (String version : List.of("1", "2")) {
            as(admin).body(ModelCards.version(version, ModelCards.complete())).post(models + "/tenant-embed/versions").then().statusCode(201);
            as(admin).post(models + "/tenant-embed/versions/" + version + ":submit").then().statusCode(200);
            as(Users.complianceOfficer(tenant)).body(Map.of("comment", "reviewed")).post(models + "/tenant-embed/versions/" + version + ":approve")
                    .then().statusCode(200);
        }
        String deployments = tenant.path() + "/deployments";
        as(admin).body(Map.of("name", "embedder", "model", "tenant-embed", "version", "1", "kind", "upstream",
                "upstream", upstream(BACKEND, null))).post(deployments).then().statusCode(201);
        as(serviceKey("test-eu-1", null)).get("/internal/v1/tenants/" + tenant.id() + "/deployments").then().statusCode(200)
                .body("[0].type", equalTo("embedding"));

        // an index is tied to the version it was built with: no version change, no rollout; a self-hosted server only
        // where the tenant is dedicated (this one is placed in a static region)
        as(admin).body(Map.of("version", "2")).patch(deployments + "/embedder").then().statusCode(409);
        as(admin).body(Map.of("version", "2", "strategy", "canary", "upstream", upstream(BACKEND, null)))
                .post(deployments + "/embedder/rollout").then().statusCode(422).body("errors[0].field", equalTo("model"));
        as(admin).body(Map.of("name", "embed-server", "model", "tenant-embed", "version", "1", "kind", "self-hosted",
                "selfHosted", Map.of("gpuPool", "l4"))).post(deployments).then().statusCode(422).body("errors[0].field", equalTo("kind"));
        as(admin).get(deployments + "/embedder").then().statusCode(200).body("version", equalTo("1"));
    }

    @Test
    void aFallbackIsAnotherDeploymentOfTheTenant() {
        TestTenant tenant = tenantWithApprovedModel("deploy-fallback");
        String admin = apiKey(tenant, "admin");
        String deployments = tenant.path() + "/deployments";
        as(admin).body(deployment("backup", "1", upstream(BACKEND, null))).post(deployments).then().statusCode(201)
                .body("fallback", equalTo(null));
        Map<String, Object> withFallback = new HashMap<>(deployment("primary", "1", upstream(BACKEND, null)));
        withFallback.put("fallback", "nowhere");
        as(admin).body(withFallback).post(deployments).then().statusCode(422).body("errors[0].field", equalTo("fallback"));
        withFallback.put("fallback", "primary");
        as(admin).body(withFallback).post(deployments).then().statusCode(422).body("errors[0].field", equalTo("fallback"));
        withFallback.put("fallback", "backup");
        as(admin).body(withFallback).post(deployments).then().statusCode(201).body("fallback", equalTo("backup"));
        as(serviceKey("test-eu-1", null)).get("/internal/v1/tenants/" + tenant.id() + "/deployments").then().statusCode(200)
                .body("find { it.name == 'primary' }.fallback", equalTo("backup"));

        as(admin).body(Map.of("fallback", "")).patch(deployments + "/primary").then().statusCode(200).body("fallback", equalTo(null));
        as(admin).body(Map.of("fallback", "Not A Name")).patch(deployments + "/primary").then().statusCode(400);
    }

    @Test
    void aTenantScopeReadsPlatformRowsButCannotWriteOrTakeThem() throws Exception {
        TestTenant tenant = activeTenant("deploy-rls");
        String name = "platform-" + tenant.slug();
        try (java.sql.Connection owner = dev.atrium.controlplane.testing.Api.ownerConnection();
             java.sql.Statement insert = owner.createStatement()) {
            insert.executeUpdate("INSERT INTO model_deployment (id, owner, name, model, model_version, kind, upstream_url, "
                    + "timeout_seconds, created_at, created_by, updated_at, updated_by) VALUES (gen_random_uuid(), 'platform', '"
                    + name + "', 'm', '1', 'upstream', 'https://203.0.113.10/v1', 60, now(), 'x', now(), 'x')");
        }
        try (java.sql.Connection app = dev.atrium.controlplane.testing.Api.appConnection();
             java.sql.Statement statement = app.createStatement()) {
            dev.atrium.controlplane.testing.Api.scope(app, tenant.id().toString());
            assertThat(statement.executeUpdate("UPDATE model_deployment SET owner = '" + tenant.id() + "' WHERE name = '" + name + "'"))
                    .as("a platform row cannot be taken over").isZero();
            assertThat(statement.executeUpdate("UPDATE model_deployment SET upstream_url = 'https://198.51.100.1/v1' WHERE name = '"
                    + name + "'")).isZero();
            assertThat(statement.executeUpdate("DELETE FROM model_deployment WHERE name = '" + name + "'")).isZero();
            try (java.sql.ResultSet rows = statement.executeQuery("SELECT owner, upstream_url FROM model_deployment WHERE name = '"
                    + name + "'")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString("owner")).isEqualTo("platform");
                assertThat(rows.getString("upstream_url")).isEqualTo("https://203.0.113.10/v1");
            }
        }
        try (java.sql.Connection owner = dev.atrium.controlplane.testing.Api.ownerConnection();
             java.sql.Statement delete = owner.createStatement()) {
            delete.executeUpdate("DELETE FROM model_deployment WHERE name = '" + name + "'");
        }
    }

    @Test
    void anotherTenantAndKeysWithFewerRightsReachNothing() {
        TestTenant tenant = tenantWithApprovedModel("deploy-owner");
        TestTenant other = activeTenant("deploy-other");
        String admin = apiKey(tenant, "admin");
        String deployments = tenant.path() + "/deployments";
        as(admin).body(deployment("support-bot", "1", upstream(BACKEND, "openai-key"))).post(deployments).then().statusCode(201);

        String otherAdmin = apiKey(other, "admin");
        as(otherAdmin).get(deployments).then().statusCode(404);
        as(otherAdmin).get(deployments + "/support-bot").then().statusCode(404);
        as(otherAdmin).delete(deployments + "/support-bot").then().statusCode(404);
        // the other tenant cannot deploy the first tenant's model, nor use its secret
        as(otherAdmin).body(deployment("stolen", "1", upstream(BACKEND, null))).post(other.path() + "/deployments").then()
                .statusCode(422).body("errors[0].field", equalTo("model"));
        as(otherAdmin).body(Map.of("value", "x")).put(other.path() + "/secrets/other-key").then().statusCode(201);
        as(otherAdmin).body(Map.of("name", "other-key", "model", "support-llm", "version", "1", "kind", "upstream", "upstream",
                upstream(BACKEND, "openai-key"))).post(other.path() + "/deployments").then().statusCode(422);
        as(apiKey(tenant, "rag:query")).body(deployment("member", "1", upstream(BACKEND, null))).post(deployments).then().statusCode(403);
        as(apiKey(tenant, "rag:query")).delete(deployments + "/support-bot").then().statusCode(403);
        // a data plane bound to the other tenant learns nothing of this one's deployments
        as(serviceKey("test-eu-1", other.id())).get("/internal/v1/tenants/" + tenant.id() + "/deployments").then().statusCode(404);
        as(apiKey(tenant, "admin")).get("/internal/v1/tenants/" + tenant.id() + "/deployments").then()
                .statusCode(org.hamcrest.Matchers.either(equalTo(403)).or(equalTo(404)));
        as(admin).get(deployments).then().statusCode(200).body("items.name", hasItem("support-bot"))
                .body("items.name", not(hasItem("stolen")));
    }
}
