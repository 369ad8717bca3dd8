package dev.atrium.controlplane.cost;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.apiKey;
import static dev.atrium.controlplane.testing.Api.as;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static dev.atrium.controlplane.testing.Api.ownerConnection;
import static dev.atrium.controlplane.testing.Api.platformKey;
import static dev.atrium.controlplane.testing.Api.serviceKey;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
import dev.atrium.controlplane.testing.Users;

/** The internal contract data planes rely on: key introspection and exactly-once usage ingest. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class DataPlaneContractTest {

    @jakarta.inject.Inject
    dev.atrium.controlplane.auth.FailedAuthentications failures;

    private static Map<String, Object> event(UUID id, TestTenant tenant, String model, String day, int input, int output) {
        Map<String, Object> event = new HashMap<>();
        event.put("id", id.toString());
        event.put("tenantId", tenant.id().toString());
        event.put("operation", "chat.completions");
        event.put("model", model);
        event.put("occurredAt", day + "T12:00:00Z");
        event.put("requests", 1);
        event.put("inputTokens", input);
        event.put("outputTokens", output);
        event.put("guardrails", Map.of("pii.email:redact", 1));
        return event;
    }

    private static long ledgerRows(TestTenant tenant) throws Exception {
        try (Connection connection = ownerConnection();
             PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM usage_event WHERE tenant_id = ?")) {
            count.setObject(1, tenant.id());
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    @Test
    void aPersonsTokenIsIntrospectedPerTenantWithTheScopesOfTheirRole() {
        TestTenant tenant = activeTenant("people");
        TestTenant other = activeTenant("people-other");
        String service = serviceKey("test-eu-1", null);
        Users.TestUser member = Users.create("dp-member");
        asPlatformAdmin().body(Map.of("userId", member.id(), "role", "tenant-member")).post(tenant.path() + "/members")
                .then().statusCode(201);
        String token = member.dataPlaneToken();
        // a token for the public API is not one a data plane may pass on, and a data plane's token opens no public API
        as(service).body(Map.of("token", member.token(), "tenantId", tenant.id().toString())).post("/internal/v1/tokens:introspect")
                .then().statusCode(200).body("active", equalTo(false));
        as(token).get(tenant.path()).then().statusCode(401);

        as(service).body(Map.of("token", token, "tenantId", tenant.id().toString())).post("/internal/v1/tokens:introspect")
                .then().statusCode(200).header("Cache-Control", "no-store")
                .body("active", equalTo(true)).body("tenantId", equalTo(tenant.id().toString()))
                .body("tenantStatus", equalTo("ACTIVE")).body("scopes", equalTo(List.of("models:invoke", "rag:query")))
                .body("actorId", equalTo("user:" + member.id())).body("keyId", nullValue());
        as(service).body(Map.of("token", token, "tenantId", other.id().toString())).post("/internal/v1/tokens:introspect")
                .then().statusCode(200).body("active", equalTo(false)).body("reason", containsString("not a member"))
                .body("tenantId", nullValue());
        as(service).body(Map.of("token", token.substring(0, token.length() - 4) + "AAAA", "tenantId", tenant.id().toString()))
                .post("/internal/v1/tokens:introspect").then().statusCode(200).body("active", equalTo(false))
                .body("reason", containsString("not valid"));
        as(service).body(Map.of("token", token)).post("/internal/v1/tokens:introspect").then().statusCode(400)
                .body("errors[0].field", equalTo("tenantId"));
        as(apiKey(tenant, "admin")).body(Map.of("token", token, "tenantId", tenant.id().toString()))
                .post("/internal/v1/tokens:introspect").then().statusCode(403);
        given().queryParam("tenantId", other.id().toString()).queryParam("action", "auth.token.introspect")
                .header("Authorization", "Bearer " + platformKey()).get("/api/v1/audit/events").then().statusCode(200)
                .body("items[0].outcome", equalTo("DENIED")).body("items[0].actor.id", equalTo("user:" + member.id()));
    }

    @Test
    void aFloodOfJunkTokensCostsTheTenantsChainOneEventAMinute() {
        TestTenant tenant = activeTenant("junk-tokens");
        String service = serviceKey("test-eu-1", null);
        for (int i = 0; i < 25; i++) {
            as(service).body(Map.of("token", "junk-" + i, "tenantId", tenant.id().toString())).post("/internal/v1/tokens:introspect")
                    .then().statusCode(200).body("active", equalTo(false));
        }
        // the first refusal is in the chain at once; the other 24 are counted into one summary a minute later
        given().queryParam("tenantId", tenant.id().toString()).queryParam("action", "auth.token.introspect")
                .header("Authorization", "Bearer " + platformKey()).get("/api/v1/audit/events").then().statusCode(200)
                .body("items.size()", equalTo(1)).body("items[0].outcome", equalTo("DENIED"));
        failures.flush(java.time.Instant.now().plusSeconds(1));
        given().queryParam("tenantId", tenant.id().toString()).queryParam("action", "auth.token.introspect.repeated")
                .header("Authorization", "Bearer " + platformKey()).get("/api/v1/audit/events").then().statusCode(200)
                .body("items.size()", equalTo(1)).body("items[0].after.count", equalTo(24));
    }

    @Test
    void introspectionReportsTenantScopesAndStatusAndRefusesEverythingElse() {
        TestTenant tenant = activeTenant("intro");
        String service = serviceKey("test-eu-1", null);
        String key = apiKey(tenant, "rag:query", "models:invoke");

        as(service).body(Map.of("key", key)).post("/internal/v1/api-keys:introspect").then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("active", equalTo(true))
                .body("tenantId", equalTo(tenant.id().toString()))
                .body("tenantStatus", equalTo("ACTIVE"))
                .body("scopes", equalTo(List.of("models:invoke", "rag:query")))
                .body("keyId", org.hamcrest.Matchers.notNullValue());

        asPlatformAdmin().post(tenant.path() + ":suspend").then().statusCode(200);
        as(service).body(Map.of("key", key)).post("/internal/v1/api-keys:introspect").then().statusCode(200)
                .body("active", equalTo(true)).body("tenantStatus", equalTo("SUSPENDED"));
        asPlatformAdmin().post(tenant.path() + ":resume").then().statusCode(200);

        String keyId = as(service).body(Map.of("key", key)).post("/internal/v1/api-keys:introspect").path("keyId");
        asPlatformAdmin().delete(tenant.path() + "/api-keys/" + keyId).then().statusCode(204);
        as(service).body(Map.of("key", key)).post("/internal/v1/api-keys:introspect").then().statusCode(200)
                .body("active", equalTo(false)).body("reason", equalTo("API key revoked")).body("tenantId", nullValue());

        as(service).body(Map.of("key", "atr_notavalidkey")).post("/internal/v1/api-keys:introspect").then()
                .statusCode(200).body("active", equalTo(false)).body("reason", containsString("malformed"));
        as(service).body(Map.of("key", platformKey())).post("/internal/v1/api-keys:introspect").then()
                .statusCode(200).body("active", equalTo(false)).body("reason", equalTo("not a tenant API key"));
        as(service).body(Map.of()).post("/internal/v1/api-keys:introspect").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void aServiceBoundToOneTenantLearnsNothingAboutAnothersKeys() {
        TestTenant mine = activeTenant("intro-mine");
        TestTenant other = activeTenant("intro-other");
        String bound = serviceKey("local-a", mine.id());
        as(bound).body(Map.of("key", apiKey(other, "rag:query"))).post("/internal/v1/api-keys:introspect").then()
                .statusCode(200).body("active", equalTo(false)).body("reason", equalTo("unknown API key"));
        as(bound).body(Map.of("key", apiKey(mine, "rag:query"))).post("/internal/v1/api-keys:introspect").then()
                .statusCode(200).body("active", equalTo(true));
        as(bound).body(Map.of("events", List.of(event(UUID.randomUUID(), other, "m", "2026-11-20", 1, 1))))
                .post("/internal/v1/usage").then().statusCode(403);
    }

    @Test
    void aBatchShippedTwiceIsCountedOnceAndTheReportGroupsByDayModelAndKey() throws Exception {
        TestTenant tenant = activeTenant("usage");
        String service = serviceKey("test-eu-1", null);
        List<Map<String, Object>> events = new ArrayList<>();
        events.add(event(UUID.randomUUID(), tenant, "llama", "2026-11-20", 10, 5));
        events.add(event(UUID.randomUUID(), tenant, "llama", "2026-11-21", 20, 7));
        events.add(event(UUID.randomUUID(), tenant, "mistral", "2026-11-21", 3, 2));

        as(service).body(Map.of("events", events)).post("/internal/v1/usage").then().statusCode(200)
                .body("accepted", equalTo(3)).body("duplicates", equalTo(0));
        as(service).body(Map.of("events", events)).post("/internal/v1/usage").then().statusCode(200)
                .body("accepted", equalTo(0)).body("duplicates", equalTo(3));
        assertThat(ledgerRows(tenant)).isEqualTo(3);

        JsonPath report = as(apiKey(tenant, "rag:query"))
                .queryParam("from", "2026-11-01T00:00:00Z").queryParam("to", "2026-12-01T00:00:00Z")
                .get(tenant.path() + "/usage").then().statusCode(200).extract().jsonPath();
        assertThat(report.getLong("totals.requests")).isEqualTo(3);
        assertThat(report.getLong("totals.inputTokens")).isEqualTo(33);
        assertThat(report.getLong("totals.outputTokens")).isEqualTo(14);
        assertThat(report.getList("byDay.key")).containsExactly("2026-11-20", "2026-11-21");
        assertThat(report.getList("byDay.inputTokens", Long.class)).containsExactly(10L, 23L);
        assertThat(report.getList("byModel.key")).containsExactly("llama", "mistral");
        assertThat(report.getList("byModel.requests", Long.class)).containsExactly(2L, 1L);
        assertThat(report.getList("byKey.key")).containsExactly("(none)");
    }

    @Test
    void aBadBatchIsRefusedWholeAndRecordsNothing() throws Exception {
        TestTenant tenant = activeTenant("usage-bad");
        String service = serviceKey("test-eu-1", null);
        Map<String, Object> good = event(UUID.randomUUID(), tenant, "llama", "2026-11-20", 1, 1);
        Map<String, Object> negative = event(UUID.randomUUID(), tenant, "llama", "2026-11-20", -5, 1);
        as(service).body(Map.of("events", List.of(good, negative))).post("/internal/v1/usage").then().statusCode(400)
                .contentType("application/problem+json");
        Map<String, Object> ghost = new HashMap<>(good);
        ghost.put("id", UUID.randomUUID().toString());
        ghost.put("tenantId", UUID.randomUUID().toString());
        // a tenant that does not exist is placed nowhere, so no data plane may report for it
        as(service).body(Map.of("events", List.of(good, ghost))).post("/internal/v1/usage").then().statusCode(403)
                .body("detail", containsString("the tenants placed in region test-eu-1"));
        assertThat(ledgerRows(tenant)).isZero();

        as(apiKey(tenant, "rag:query")).queryParam("from", "yesterday").get(tenant.path() + "/usage").then()
                .statusCode(400).body("detail", containsString("from"));
    }

    @Test
    void forwardedAuditEventsJoinTheTenantsChainOnceAndTheChainStillVerifies() {
        TestTenant tenant = activeTenant("forwarded");
        String service = serviceKey("test-eu-1", null);
        Map<String, Object> event = new HashMap<>();
        event.put("id", UUID.randomUUID().toString());
        event.put("tenantId", tenant.id().toString());
        event.put("actorId", "apikey:" + UUID.randomUUID());
        event.put("action", "knowledge-base.create");
        event.put("resourceType", "knowledge-base");
        event.put("resourceId", "kb-1");
        event.put("occurredAt", "2026-11-26T10:00:00Z");
        event.put("details", Map.of("name", "handbook"));
        as(service).body(Map.of("events", List.of(event))).post("/internal/v1/audit-events").then().statusCode(200)
                .body("accepted", equalTo(1));
        as(service).body(Map.of("events", List.of(event))).post("/internal/v1/audit-events").then().statusCode(200)
                .body("accepted", equalTo(0)).body("duplicates", equalTo(1));

        JsonPath events = asPlatformAdmin().queryParam("tenantId", tenant.id().toString()).queryParam("action", "knowledge-base.create")
                .get("/api/v1/audit/events").then().statusCode(200).extract().jsonPath();
        assertThat(events.getList("items")).hasSize(1);
        assertThat(events.getString("items[0].actor.id")).isEqualTo(event.get("actorId"));
        assertThat(events.getString("items[0].resource.id")).isEqualTo("kb-1");
        asPlatformAdmin().queryParam("tenantId", tenant.id().toString()).get("/api/v1/audit/verify").then().statusCode(200)
                .body("valid", equalTo(true));

        Map<String, Object> forged = new HashMap<>(event);
        forged.put("id", UUID.randomUUID().toString());
        forged.put("actorId", "platform:admin");
        as(service).body(Map.of("events", List.of(forged))).post("/internal/v1/audit-events").then().statusCode(400);
    }
}
