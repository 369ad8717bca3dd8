package dev.atrium.controlplane.secret;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.as;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static dev.atrium.controlplane.testing.Api.serviceKey;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
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
import dev.atrium.tenancy.ApiKeyFormat;

/**
 * Writes a distinctive value through every path that handles secrets, then looks for it everywhere it must not
 * be: every API response (except the internal read that exists to return it), error bodies, the audit trail, the
 * database, and every line the application logged during the test run.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class SecretLeakTest {

    @Test
    void aSecretValueNeverAppearsOutsideTheInternalRead() throws Exception {
        String marker = "LEAK-CANARY-" + UUID.randomUUID();
        TestTenant tenant = activeTenant("leak");
        String secrets = tenant.path() + "/secrets";
        List<Response> responses = new ArrayList<>();

        responses.add(asPlatformAdmin().body(Map.of("value", marker)).put(secrets + "/canary"));
        responses.add(asPlatformAdmin().body(Map.of("value", marker + "-v2")).put(secrets + "/canary"));
        responses.add(asPlatformAdmin().get(secrets));
        responses.add(asPlatformAdmin().get(secrets + "/canary"));
        // error paths that carry the value in the request
        responses.add(asPlatformAdmin().body(Map.of("value", marker + "x".repeat(70_000))).put(secrets + "/too-big"));
        responses.add(asPlatformAdmin().body(Map.of("value", marker)).put(secrets + "/bad..name"));
        responses.add(asPlatformAdmin().body(Map.of("value", marker, "extra", marker)).put(secrets + "/unknown-field"));
        responses.add(asPlatformAdmin().body("{\"value\": \"" + marker + "\"").put(secrets + "/broken-json"));
        responses.add(asPlatformAdmin().body(Map.of("value", marker)).put("/api/v1/tenants/" + UUID.randomUUID() + "/secrets/x"));
        responses.add(as("atr_" + marker).get(secrets));
        responses.add(asPlatformAdmin().queryParam("tenantId", tenant.id()).get("/api/v1/audit/events"));

        String service = serviceKey("local-a", tenant.id());
        Response internal = as(service).get("/internal/v1/tenants/" + tenant.id() + "/secrets/canary");
        assertThat(internal.statusCode()).isEqualTo(200);
        assertThat(internal.path("value").toString()).isEqualTo(marker + "-v2");
        responses.add(asPlatformAdmin().queryParam("tenantId", tenant.id()).get("/api/v1/audit/events"));

        for (Response response : responses) {
            assertThat(response.asString()).as("response %s", response.statusLine()).doesNotContain(marker);
            response.headers().forEach(h -> assertThat(h.getValue()).doesNotContain(marker));
        }

        try (Connection owner = Api.ownerConnection(); Statement statement = owner.createStatement()) {
            for (String table : allTables(owner)) {
                try (ResultSet rows = statement.executeQuery("SELECT t::text FROM " + table + " t")) {
                    while (rows.next()) {
                        assertThat(rows.getString(1)).as("row of %s", table).doesNotContain(marker);
                    }
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT ciphertext FROM secret_version")) {
                while (rows.next()) {
                    assertThat(new String(rows.getBytes(1), StandardCharsets.ISO_8859_1)).doesNotContain(marker);
                }
            }
        }

        Path log = Path.of("target", "quarkus-test.log");
        assertThat(log).exists();
        String logged = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(logged).as("the log of this test run").contains("/secrets/canary").doesNotContain(marker);
    }

    /**
     * API-key secrets (tenant keys, service keys, retried creations) are in their creating response and nowhere
     * else: not in any table, any later response, or the log.
     */
    @Test
    void apiKeySecretsNeverAppearOutsideTheirCreatingResponse() throws Exception {
        TestTenant tenant = activeTenant("key-leak");
        List<String> secrets = new ArrayList<>();
        List<Response> later = new ArrayList<>();
        Map<String, Object> keyBody = Map.of("name", "leak check", "scopes", List.of("rag:query"));
        Response created = asPlatformAdmin().header("Idempotency-Key", "leak-" + tenant.id()).body(keyBody)
                .post(tenant.path() + "/api-keys");
        secrets.add(created.path("secret"));
        later.add(asPlatformAdmin().header("Idempotency-Key", "leak-" + tenant.id()).body(keyBody).post(tenant.path() + "/api-keys"));
        Response service = asPlatformAdmin().header("Idempotency-Key", "leak-service-" + tenant.id())
                .body(Map.of("name", "leak check", "region", "local-a", "tenantId", tenant.id().toString()))
                .post("/api/v1/service-keys");
        secrets.add(service.path("secret"));
        later.add(asPlatformAdmin().header("Idempotency-Key", "leak-service-" + tenant.id())
                .body(Map.of("name", "leak check", "region", "local-a", "tenantId", tenant.id().toString()))
                .post("/api/v1/service-keys"));
        for (String secret : secrets) {
            later.add(as(secret).get(tenant.path()));
            later.add(as(secret).body(Map.of("key", secret)).post("/internal/v1/api-keys:introspect"));
        }
        later.add(asPlatformAdmin().get(tenant.path() + "/api-keys"));
        later.add(asPlatformAdmin().get("/api/v1/service-keys"));
        later.add(asPlatformAdmin().queryParam("tenantId", tenant.id()).get("/api/v1/audit/events"));
        later.add(asPlatformAdmin().queryParam("tenantId", "platform").get("/api/v1/audit/events"));
        asPlatformAdmin().delete(tenant.path() + "/api-keys/" + created.path("id")).then().statusCode(204);
        later.add(as(secrets.getFirst()).get(tenant.path()));

        assertThat(secrets).allSatisfy(secret -> assertThat(ApiKeyFormat.parse(secret)).isNotNull());
        for (Response response : later) {
            for (String secret : secrets) {
                assertThat(response.asString()).as("response %s", response.statusLine()).doesNotContain(secret)
                        .doesNotContain(secret.substring(12));
                response.headers().forEach(h -> assertThat(h.getValue()).doesNotContain(secret));
            }
        }
        try (Connection owner = Api.ownerConnection(); Statement statement = owner.createStatement()) {
            for (String table : allTables(owner)) {
                try (ResultSet rows = statement.executeQuery("SELECT t::text FROM " + table + " t")) {
                    while (rows.next()) {
                        String row = rows.getString(1);
                        assertThat(ApiKeyFormat.containsKey(row)).as("an API key in a row of %s", table).isFalse();
                        for (String secret : secrets) {
                            assertThat(row).as("row of %s", table).doesNotContain(secret.substring(12));
                        }
                    }
                }
            }
        }
        String logged = Files.readString(Path.of("target", "quarkus-test.log"), StandardCharsets.UTF_8);
        for (String secret : secrets) {
            assertThat(logged).as("the log of this test run").doesNotContain(secret.substring(12));
        }
        assertThat(ApiKeyFormat.containsKey(logged)).as("any API key in the log of this test run").isFalse();
    }

    /** Every table of the application's schema, so that a new table is scanned without anyone remembering to. */
    private static List<String> allTables(Connection owner) throws Exception {
        List<String> tables = new ArrayList<>();
        try (ResultSet rows = owner.createStatement().executeQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        assertThat(tables).contains("api_key", "idempotency_record", "audit_event", "secret_version");
        return tables;
    }
}
