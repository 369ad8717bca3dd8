package dev.atrium.controlplane.apikey;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.apiKey;
import static dev.atrium.controlplane.testing.Api.as;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
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

@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class ApiKeyResourceTest {

    private static String keys(TestTenant tenant) {
        return tenant.path() + "/api-keys";
    }

    @Test
    void createdKeyShowsItsSecretOnceAndAuthenticates() {
        TestTenant tenant = activeTenant("keys");
        Instant expiry = Instant.now().plus(Duration.ofDays(30));
        Response created = asPlatformAdmin()
                .body(Map.of("name", "ci pipeline", "scopes", List.of("rag:query", "admin"), "expiresAt", expiry.toString()))
                .post(keys(tenant));
        created.then().statusCode(201)
                .header("Location", containsString("/api-keys/" + created.path("id")))
                .header("Cache-Control", "no-store")
                .body("name", equalTo("ci pipeline"))
                .body("scopes", equalTo(List.of("admin", "rag:query")))
                .body("status", equalTo("ACTIVE"))
                .body("tenantId", equalTo(tenant.id().toString()))
                .body("expiresAt", notNullValue());
        String secret = created.path("secret");
        String prefix = created.path("prefix");
        assertThat(ApiKeyFormat.parse(secret).displayPrefix()).isEqualTo(prefix);
        assertThat(prefix).hasSize(12).startsWith("atr_");

        as(secret).get(tenant.path()).then().statusCode(200);

        Response listed = asPlatformAdmin().get(keys(tenant));
        listed.then().statusCode(200)
                .body("items[0].prefix", equalTo(prefix))
                .body("items[0].secret", nullValue())
                .body("items[0].lastUsedAt", notNullValue());
        assertThat(listed.asString()).doesNotContain(secret.substring(12));
        asPlatformAdmin().get(keys(tenant) + "/" + created.path("id")).then().statusCode(200)
                .body("secret", nullValue()).body("prefix", equalTo(prefix));
    }

    @Test
    void aReplayedCreateReturnsTheKeyWithoutItsSecretAndNothingStoresIt() throws Exception {
        TestTenant tenant = activeTenant("keys-replay");
        Map<String, Object> body = Map.of("name", "retried", "scopes", List.of("rag:query"));
        Response first = asPlatformAdmin().header("Idempotency-Key", "create-retried").body(body).post(keys(tenant));
        first.then().statusCode(201).body("secretAlreadyShown", nullValue());
        String secret = first.path("secret");
        assertThat(ApiKeyFormat.parse(secret).displayPrefix()).isEqualTo(first.path("prefix"));

        Response replay = asPlatformAdmin().header("Idempotency-Key", "create-retried").body(body).post(keys(tenant));
        replay.then().statusCode(201).header("Idempotent-Replayed", "true")
                .body("id", equalTo(first.path("id"))).body("prefix", equalTo(first.path("prefix")))
                .body("secret", nullValue()).body("secretAlreadyShown", equalTo(true));
        assertThat(replay.asString()).doesNotContain(secret);
        assertThat(asPlatformAdmin().get(keys(tenant)).path("items.size()").toString()).isEqualTo("1");

        try (var owner = Api.ownerConnection();
             var rows = owner.createStatement().executeQuery("SELECT response_body FROM idempotency_record WHERE idempotency_key = 'create-retried'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).contains(first.path("id").toString()).doesNotContain(secret)
                    .doesNotContain(secret.substring(12));
        }
    }

    @Test
    void tenantAdminManagesItsOwnKeysOnly() {
        TestTenant a = activeTenant("keys-a");
        TestTenant b = activeTenant("keys-b");
        String adminA = apiKey(a, "admin");
        String keyOfB = apiKey(b, "rag:query");
        String keyOfBId = asPlatformAdmin().get(keys(b)).path("items[0].id");

        as(adminA).body(Map.of("name", "mine", "scopes", List.of("rag:query"))).post(keys(a)).then().statusCode(201);
        as(adminA).get(keys(a)).then().statusCode(200).body("items.name", hasItem("mine"));

        as(adminA).get(keys(b)).then().statusCode(404);
        as(adminA).body(Map.of("name", "intruder", "scopes", List.of("admin"))).post(keys(b)).then().statusCode(404);
        as(adminA).get(keys(b) + "/" + keyOfBId).then().statusCode(404);
        as(adminA).delete(keys(b) + "/" + keyOfBId).then().statusCode(404);
        // the key id of B through A's path is also invisible
        as(adminA).delete(keys(a) + "/" + keyOfBId).then().statusCode(404);
        as(keyOfB).get(b.path()).then().statusCode(200);
        assertThat(asPlatformAdmin().get(keys(b)).jsonPath().getList("items.name")).doesNotContain("intruder");
    }

    @Test
    void keysWithoutAdminScopeCannotManageKeys() {
        TestTenant tenant = activeTenant("member");
        String member = apiKey(tenant, "rag:query", "models:invoke");
        as(member).get(keys(tenant)).then().statusCode(403).body("type", equalTo("https://atrium.dev/problems/forbidden"));
        as(member).body(Map.of("name", "escalate", "scopes", List.of("admin"))).post(keys(tenant)).then().statusCode(403);
        as(member).get(tenant.path()).then().statusCode(200);
    }

    @Test
    void revokedKeyStopsWorkingImmediately() {
        TestTenant tenant = activeTenant("revoke");
        String admin = apiKey(tenant, "admin");
        Response created = as(admin).body(Map.of("name", "short-lived", "scopes", List.of("rag:query"))).post(keys(tenant));
        String victim = created.path("secret");
        String victimId = created.path("id");
        as(victim).get(tenant.path()).then().statusCode(200);

        as(admin).delete(keys(tenant) + "/" + victimId).then().statusCode(204);
        as(victim).get(tenant.path()).then().statusCode(401)
                .body("detail", equalTo("API key revoked"))
                .header("WWW-Authenticate", containsString("invalid_token"));
        asPlatformAdmin().get(keys(tenant) + "/" + victimId).then().body("status", equalTo("REVOKED"))
                .body("revokedAt", notNullValue());
        as(admin).delete(keys(tenant) + "/" + victimId).then().statusCode(204);
        as(admin).delete(keys(tenant) + "/" + UUID.randomUUID()).then().statusCode(404);
        as(admin).delete(keys(tenant) + "/not-a-uuid").then().statusCode(404);
    }

    @Test
    void expiredKeyIsRefused() {
        TestTenant tenant = activeTenant("expiry");
        String secret = asPlatformAdmin()
                .body(Map.of("name", "expiring", "scopes", List.of("admin"),
                        "expiresAt", Instant.now().plusSeconds(2).toString()))
                .post(keys(tenant)).then().statusCode(201).extract().path("secret");
        as(secret).get(tenant.path()).then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                as(secret).get(tenant.path()).then().statusCode(401).body("detail", equalTo("API key expired")));
        asPlatformAdmin().get(keys(tenant)).then().body("items[0].status", equalTo("EXPIRED"));
    }

    @Test
    void badInputIsRefusedAndCreatesNothing() {
        TestTenant tenant = activeTenant("badkeys");
        asPlatformAdmin().body(Map.of("name", "x", "scopes", List.of("rag:query", "root"))).post(keys(tenant))
                .then().statusCode(422).body("errors[0].field", equalTo("scopes")).body("detail", containsString("root"));
        asPlatformAdmin().body(Map.of("name", "x", "scopes", List.of("admin"), "expiresAt", "2020-01-01T00:00:00Z"))
                .post(keys(tenant)).then().statusCode(422).body("errors[0].field", equalTo("expiresAt"));
        asPlatformAdmin().body(Map.of("name", "x", "scopes", List.of("admin"), "expiresAt", "next tuesday"))
                .post(keys(tenant)).then().statusCode(400).body("errors[0].field", equalTo("expiresAt"));
        asPlatformAdmin().body(Map.of("name", "", "scopes", List.of())).post(keys(tenant))
                .then().statusCode(400).body("errors.field", hasItem("name")).body("errors.field", hasItem("scopes"));
        asPlatformAdmin().body(Map.of("name", "x", "scopes", "admin")).post(keys(tenant)).then().statusCode(400);
        asPlatformAdmin().get(keys(tenant)).then().body("items.size()", equalTo(0));
        asPlatformAdmin().body(Map.of("name", "x", "scopes", List.of("admin"))).post("/api/v1/tenants/" + UUID.randomUUID() + "/api-keys")
                .then().statusCode(404);
    }

    @Test
    void planQuotaLimitsActiveKeys() {
        TestTenant tenant = activeTenant("quota", "free");
        for (int i = 0; i < 5; i++) {
            apiKey(tenant, "rag:query");
        }
        asPlatformAdmin().body(Map.of("name", "sixth", "scopes", List.of("rag:query"))).post(keys(tenant))
                .then().statusCode(409).body("type", equalTo("https://atrium.dev/problems/quota-exceeded"));
        String firstId = asPlatformAdmin().get(keys(tenant)).path("items[0].id");
        asPlatformAdmin().delete(keys(tenant) + "/" + firstId).then().statusCode(204);
        asPlatformAdmin().body(Map.of("name", "sixth", "scopes", List.of("rag:query"))).post(keys(tenant)).then().statusCode(201);
    }

    @Test
    void keysCannotBeIssuedForSuspendedTenants() {
        TestTenant tenant = activeTenant("nokeys");
        asPlatformAdmin().post(tenant.path() + ":suspend").then().statusCode(200);
        asPlatformAdmin().body(Map.of("name", "x", "scopes", List.of("admin"))).post(keys(tenant))
                .then().statusCode(409).body("detail", containsString("SUSPENDED"));
    }

    @Test
    void idempotentKeyCreationReturnsTheSameKeyOnce() {
        TestTenant tenant = activeTenant("idemkey");
        String idempotencyKey = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("name", "retry-safe", "scopes", List.of("rag:query"));
        Response first = asPlatformAdmin().header("Idempotency-Key", idempotencyKey).body(body).post(keys(tenant));
        Response second = asPlatformAdmin().header("Idempotency-Key", idempotencyKey).body(body).post(keys(tenant));
        first.then().statusCode(201);
        second.then().statusCode(201).header("Idempotent-Replayed", "true").body("id", equalTo(first.path("id")));
        asPlatformAdmin().get(keys(tenant)).then().body("items.size()", equalTo(1));
        // the same Idempotency-Key from another caller is a different request
        String admin = apiKey(tenant, "admin");
        as(admin).header("Idempotency-Key", idempotencyKey).body(body).post(keys(tenant)).then().statusCode(201)
                .body("id", not(equalTo(first.path("id"))));
    }

    @Test
    void malformedAndUnknownKeysAre401() {
        TestTenant tenant = activeTenant("unknown");
        String real = apiKey(tenant, "admin");
        String typo = real.substring(0, 20) + (real.charAt(20) == 'a' ? 'b' : 'a') + real.substring(21);
        as(typo).get(tenant.path()).then().statusCode(401).body("detail", containsString("checksum"));
        as(ApiKeyFormat.generate(new java.security.SecureRandom())).get(tenant.path()).then().statusCode(401)
                .body("detail", equalTo("unknown API key"));
        io.restassured.RestAssured.given().header("Authorization", "Basic dXNlcjpwYXNz").get(tenant.path())
                .then().statusCode(401);
        io.restassured.RestAssured.given().header("Authorization", "Bearer eyJhbGciOi.not.a.key").get(tenant.path())
                .then().statusCode(401);
    }
}
