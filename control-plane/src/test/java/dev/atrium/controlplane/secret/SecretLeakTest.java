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

import dev.atrium.controlplane.testing.Api;
import dev.atrium.controlplane.testing.Api.TestTenant;
import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;

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
            for (String table : List.of("audit_event", "secret", "secret_version", "secret_data_key", "api_key",
                    "idempotency_record", "tenant")) {
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
}
