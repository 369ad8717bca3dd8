package dev.atrium.controlplane.audit;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.apiKey;
import static dev.atrium.controlplane.testing.Api.as;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static dev.atrium.controlplane.testing.Api.uniqueSlug;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.testing.Api.TestTenant;
import dev.atrium.controlplane.testing.Api;
import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;

@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class AuditTrailTest {

    private static final String EVENTS = "/api/v1/audit/events";
    private static final String VERIFY = "/api/v1/audit/verify";

    @Test
    void everyMutationIsAuditedInTheTenantsChainWithRequestMetadata() {
        TestTenant tenant = activeTenant("audited");
        asPlatformAdmin().header("X-Request-Id", "req-rename-1").header("User-Agent", "audit-test/1.0")
                .body(Map.of("displayName", "Renamed")).patch(tenant.path()).then().statusCode(200);
        Response key = asPlatformAdmin().body(Map.of("name", "k", "scopes", List.of("rag:query"))).post(tenant.path() + "/api-keys");
        String secret = key.path("secret");
        asPlatformAdmin().delete(tenant.path() + "/api-keys/" + key.path("id")).then().statusCode(204);
        asPlatformAdmin().post(tenant.path() + ":suspend").then().statusCode(200);
        asPlatformAdmin().post(tenant.path() + ":resume").then().statusCode(200);

        Response events = asPlatformAdmin().queryParam("tenantId", tenant.id()).queryParam("outcome", "SUCCESS").get(EVENTS);
        events.then().statusCode(200);
        List<String> actions = events.jsonPath().getList("items.action");
        // newest first
        assertThat(actions).containsExactly("tenant.resume", "tenant.suspend", "apikey.revoke", "apikey.create",
                "tenant.update", "tenant.activate", "placement.create", "tenant.create");
        assertThat(events.jsonPath().getList("items.tenantId")).containsOnly(tenant.id().toString());

        Map<String, Object> update = events.jsonPath().getMap("items.find { it.action == 'tenant.update' }");
        assertThat(update).containsEntry("requestId", "req-rename-1").containsEntry("userAgent", "audit-test/1.0")
                .containsEntry("outcome", "SUCCESS");
        assertThat(update.get("sourceIp")).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(events.jsonPath().getString("items.find { it.action == 'tenant.update' }.actor.type")).isEqualTo("api-key");
        assertThat(events.jsonPath().getString("items.find { it.action == 'tenant.update' }.before.displayName"))
                .isEqualTo("Tenant " + tenant.slug());
        assertThat(events.jsonPath().getString("items.find { it.action == 'tenant.update' }.after.displayName"))
                .isEqualTo("Renamed");
        assertThat(events.jsonPath().getMap("items.find { it.action == 'tenant.update' }.changes"))
                .containsOnlyKeys("displayName", "updatedAt");
        assertThat(events.jsonPath().getString("items.find { it.action == 'tenant.update' }.changes.displayName.to"))
                .isEqualTo("Renamed");
        assertThat(events.jsonPath().getString("items.find { it.action == 'tenant.activate' }.actor.type")).isEqualTo("system");
        assertThat(events.jsonPath().getString("items.find { it.action == 'apikey.revoke' }.after.status")).isEqualTo("REVOKED");

        // the key's secret never enters the audit trail
        assertThat(asPlatformAdmin().queryParam("tenantId", tenant.id()).get(EVENTS).asString())
                .doesNotContain(secret).doesNotContain(secret.substring(12));

        asPlatformAdmin().queryParam("tenantId", tenant.id()).get(VERIFY).then().statusCode(200)
                .body("valid", equalTo(true))
                .body("verified", equalTo(8))
                .body("headHash", equalTo(events.jsonPath().getString("items[0].hash")));
    }

    @jakarta.inject.Inject
    dev.atrium.controlplane.auth.FailedAuthentications failedAuthentications;

    @Test
    void failedAuthenticationAndDeniedRequestsAreAudited() {
        TestTenant a = activeTenant("deny-a");
        TestTenant b = activeTenant("deny-b");
        String member = apiKey(a, "rag:query");
        Response revokedKey = asPlatformAdmin().body(Map.of("name", "gone", "scopes", List.of("admin"))).post(a.path() + "/api-keys");
        asPlatformAdmin().delete(a.path() + "/api-keys/" + revokedKey.path("id")).then().statusCode(204);

        as(member).get(a.path() + "/api-keys").then().statusCode(403);
        as(member).get(b.path()).then().statusCode(404);
        as((String) revokedKey.path("secret")).header("X-Request-Id", "revoked-attempt").get(a.path()).then().statusCode(401);

        Response denied = asPlatformAdmin().queryParam("tenantId", a.id()).queryParam("outcome", "DENIED").get(EVENTS);
        assertThat(denied.jsonPath().getList("items.detail", String.class))
                .anyMatch(d -> d.contains("tenant-admin required"))
                .anyMatch(d -> d.contains("cross-tenant access to " + b.id()));
        Response failed = asPlatformAdmin().queryParam("tenantId", a.id()).queryParam("action", "auth.failed").get(EVENTS);
        failed.then().body("items[0].detail", equalTo("API key revoked"))
                .body("items[0].outcome", equalTo("FAILURE"))
                .body("items[0].requestId", equalTo("revoked-attempt"))
                .body("items[0].actor.id", equalTo("apikey:" + revokedKey.path("id")));

        // repeated failures from one address are counted per minute; a fresh window records the next one at once
        failedAuthentications.flush(java.time.Instant.now().plusSeconds(1));
        io.restassured.RestAssured.given().header("X-Request-Id", "anon-probe").get(a.path()).then().statusCode(401);
        asPlatformAdmin().queryParam("tenantId", "platform").queryParam("action", "auth.missing").get(EVENTS)
                .then().body("items.requestId", hasItem("anon-probe"));
        asPlatformAdmin().queryParam("tenantId", a.id()).get(VERIFY).then().body("valid", equalTo(true));
    }

    @Test
    void tenantsReadOnlyTheirOwnAuditTrail() {
        TestTenant a = activeTenant("read-a");
        TestTenant b = activeTenant("read-b");
        String adminA = apiKey(a, "admin");
        String complianceA = apiKey(a, "audit:read");
        String memberA = apiKey(a, "rag:query");

        as(adminA).get(EVENTS).then().statusCode(200)
                .body("items.tenantId", everyItem(equalTo(a.id().toString())))
                .body("items.size()", greaterThan(0));
        as(complianceA).queryParam("tenantId", a.id()).get(EVENTS).then().statusCode(200);
        as(complianceA).queryParam("tenantId", a.id()).get(VERIFY).then().statusCode(200).body("valid", equalTo(true));
        as(memberA).get(EVENTS).then().statusCode(403);
        as(adminA).queryParam("tenantId", b.id()).get(EVENTS).then().statusCode(404);
        as(adminA).queryParam("tenantId", b.id()).get(VERIFY).then().statusCode(404);
        as(adminA).queryParam("tenantId", "platform").get(EVENTS).then().statusCode(403);
    }

    @Test
    void listFiltersAndPaginates() {
        TestTenant tenant = activeTenant("pages");
        for (int i = 0; i < 5; i++) {
            asPlatformAdmin().body(Map.of("displayName", "Name " + i)).patch(tenant.path()).then().statusCode(200);
        }
        Response first = asPlatformAdmin().queryParam("tenantId", tenant.id()).queryParam("action", "tenant.update")
                .queryParam("limit", 3).get(EVENTS);
        first.then().statusCode(200).body("items.size()", equalTo(3))
                .body("items[0].after.displayName", equalTo("Name 4"));
        Response second = asPlatformAdmin().queryParam("tenantId", tenant.id()).queryParam("action", "tenant.update")
                .queryParam("limit", 3).queryParam("cursor", (String) first.path("nextCursor")).get(EVENTS);
        second.then().statusCode(200).body("items.size()", equalTo(2)).body("nextCursor", nullValue())
                .body("items[1].after.displayName", equalTo("Name 0"));

        asPlatformAdmin().queryParam("from", "yesterday").get(EVENTS).then().statusCode(400)
                .body("errors[0].field", equalTo("from"));
        asPlatformAdmin().queryParam("from", "2030-01-01T00:00:00Z").queryParam("to", "2020-01-01T00:00:00Z").get(EVENTS)
                .then().statusCode(400);
        asPlatformAdmin().queryParam("outcome", "MAYBE").get(EVENTS).then().statusCode(400);
        asPlatformAdmin().queryParam("tenantId", tenant.id()).queryParam("from", "2000-01-01T00:00:00Z")
                .queryParam("to", "2000-01-02T00:00:00Z").get(EVENTS).then().statusCode(200).body("items.size()", equalTo(0));
    }

    @Test
    void applicationRoleCannotUpdateOrDeleteAuditRowsAndNeitherCanTheOwner() throws SQLException {
        activeTenant("appendonly");
        try (Connection app = Api.appConnection(); Statement statement = app.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate("UPDATE audit_event SET action = 'x'"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM audit_event"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> statement.executeUpdate("TRUNCATE audit_event"))
                    .hasMessageContaining("permission denied");
        }
        try (Connection owner = Api.ownerConnection(); Statement statement = owner.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate("UPDATE audit_event SET action = 'x'"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM audit_event"))
                    .hasMessageContaining("append-only");
        }
    }

    @Test
    void tamperingWithAStoredEventIsDetectedByVerify() throws SQLException {
        TestTenant tenant = activeTenant("tamper");
        asPlatformAdmin().body(Map.of("displayName", "Honest")).patch(tenant.path()).then().statusCode(200);
        asPlatformAdmin().body(Map.of("displayName", "Later")).patch(tenant.path()).then().statusCode(200);
        String victim = asPlatformAdmin().queryParam("tenantId", tenant.id()).queryParam("action", "tenant.update")
                .get(EVENTS).path("items[1].id");
        asPlatformAdmin().queryParam("tenantId", tenant.id()).get(VERIFY).then().body("valid", equalTo(true));

        // an attacker with the owner's credentials disables the guard and rewrites history
        try (Connection owner = Api.ownerConnection(); Statement statement = owner.createStatement()) {
            owner.setAutoCommit(false);
            statement.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete");
            statement.executeUpdate("UPDATE audit_event SET after_state = jsonb_set(after_state, '{displayName}', '\"Forged\"') "
                    + "WHERE id = '" + victim + "'");
            statement.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_delete");
            owner.commit();
        }
        asPlatformAdmin().queryParam("tenantId", tenant.id()).get(VERIFY).then().statusCode(200)
                .body("valid", equalTo(false))
                .body("firstBrokenEventId", equalTo(victim))
                .body("reason", containsString("event changed"));
    }

    @Test
    void whenTheAuditWriteFailsTheMutationDoesNotHappen() throws SQLException {
        String slug = uniqueSlug("auditfail");
        try (Connection owner = Api.ownerConnection(); Statement statement = owner.createStatement()) {
            statement.execute("""
                    CREATE FUNCTION test_reject_audit() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN RAISE EXCEPTION 'audit storage unavailable (injected by test)'; END $$""");
            statement.execute("CREATE TRIGGER test_reject_audit BEFORE INSERT ON audit_event FOR EACH ROW "
                    + "WHEN (NEW.after_state ->> 'slug' = '" + slug + "') EXECUTE FUNCTION test_reject_audit()");
        }
        try {
            Response response = asPlatformAdmin().body(Map.of("slug", slug, "displayName", "Never")).post("/api/v1/tenants");
            response.then().statusCode(500).body("type", equalTo("https://atrium.dev/problems/internal-error"));
            assertThat(response.asString()).doesNotContain("injected by test").doesNotContain("Exception");
            assertThat(asPlatformAdmin().queryParam("limit", 500).get("/api/v1/tenants").jsonPath().getList("items.slug"))
                    .doesNotContain(slug);
            // the slug is still free: nothing was half-created
            try (Connection owner = Api.ownerConnection(); Statement statement = owner.createStatement();
                 var rows = statement.executeQuery("SELECT count(*) FROM tenant WHERE slug = '" + slug + "'")) {
                rows.next();
                assertThat(rows.getInt(1)).isZero();
            }
        } finally {
            try (Connection owner = Api.ownerConnection(); Statement statement = owner.createStatement()) {
                statement.execute("DROP TRIGGER test_reject_audit ON audit_event");
                statement.execute("DROP FUNCTION test_reject_audit()");
            }
        }
        asPlatformAdmin().body(Map.of("slug", slug, "displayName", "Now")).post("/api/v1/tenants").then().statusCode(201);
    }

    @Test
    void unknownTenantsChainIsEmptyForPlatformAdmins() {
        asPlatformAdmin().queryParam("tenantId", UUID.randomUUID()).get(VERIFY).then().statusCode(200)
                .body("valid", equalTo(true)).body("verified", equalTo(0));
        asPlatformAdmin().queryParam("tenantId", "platform").get(VERIFY).then().statusCode(200).body("valid", equalTo(true));
    }
}
