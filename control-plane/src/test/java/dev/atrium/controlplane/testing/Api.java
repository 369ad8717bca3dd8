package dev.atrium.controlplane.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

import dev.atrium.tenancy.database.EmbeddedDatabase;
import dev.atrium.tenancy.database.RowScope;

/** The shared test client: credentials, fixtures built through the public API, and direct database access. */
public final class Api {

    private Api() {
    }

    public static String platformKey() {
        return ConfigProvider.getConfig().getValue(EmbeddedPostgresTestResource.BOOTSTRAP_KEY_PROPERTY, String.class);
    }

    /** A request authenticated with the given API key. */
    public static RequestSpecification as(String apiKey) {
        return given().header("Authorization", "Bearer " + apiKey).contentType(ContentType.JSON);
    }

    public static RequestSpecification asPlatformAdmin() {
        return as(platformKey());
    }

    public static String uniqueSlug(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a tenant through the API and waits until provisioning made it ACTIVE. */
    public static TestTenant activeTenant(String prefix, String plan) {
        return activeTenant(prefix, plan, null);
    }

    /** A tenant of the given residency zone (null: the default zone, eu). */
    public static TestTenant activeTenant(String prefix, String plan, String residency) {
        String slug = uniqueSlug(prefix);
        Map<String, Object> body = new java.util.HashMap<>(Map.of("slug", slug, "displayName", "Tenant " + slug, "plan", plan));
        if (residency != null) {
            body.put("residency", residency);
        }
        String id = asPlatformAdmin()
                .body(body)
                .post("/api/v1/tenants")
                .then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(15)).until(() ->
                "ACTIVE".equals(asPlatformAdmin().get("/api/v1/tenants/" + id).path("status")));
        return new TestTenant(UUID.fromString(id), slug);
    }

    public static TestTenant activeTenant(String prefix) {
        return activeTenant(prefix, "standard");
    }

    /** Issues a key for the tenant with the given scopes and returns its secret. */
    public static String apiKey(TestTenant tenant, String... scopes) {
        return asPlatformAdmin()
                .body(Map.of("name", "test key", "scopes", List.of(scopes)))
                .post("/api/v1/tenants/" + tenant.id() + "/api-keys")
                .then().statusCode(201).extract().path("secret");
    }

    /**
     * A data-plane service key: bound to {@code tenantId} (issued through the API), or with a null tenant the
     * operator-configured key of region test-eu-1, test-us-1 or k8s-shared-eu, which acts for the tenants placed in that region
     * (tenants created by these tests without a residency are placed in test-eu-1).
     */
    public static String serviceKey(String region, UUID tenantId) {
        if (tenantId == null) {
            return ConfigProvider.getConfig().getValue(EmbeddedPostgresTestResource.OPERATOR_SERVICE_KEY_PROPERTY + "." + region, String.class);
        }
        Map<String, Object> body = Map.of("name", "data-plane " + region, "region", region, "tenantId", tenantId.toString());
        return asPlatformAdmin().body(body).post("/api/v1/service-keys").then().statusCode(201).extract().path("secret");
    }

    /**
     * A connection as the schema owner, for what the API must never do (tampering, fault injection), with the
     * platform-wide tenant scope (row-level security is forced on the owner too).
     */
    public static Connection ownerConnection() throws SQLException {
        Connection connection = connection(EmbeddedDatabase.OWNER_ROLE);
        try (var statement = connection.createStatement()) {
            statement.execute("SELECT set_config('atrium.tenant_scope', '*', false)");
        }
        return connection;
    }

    /** A connection as the application's own database role, with no tenant scope set. */
    public static Connection appConnection() throws SQLException {
        return connection(EmbeddedDatabase.APP_ROLE);
    }

    /** Signs row scopes as the application does (with the key only the owner can read). */
    public static RowScope rowScope() {
        String url = ConfigProvider.getConfig().getValue(EmbeddedPostgresTestResource.OWNER_URL_PROPERTY, String.class);
        return RowScope.load(url, EmbeddedDatabase.OWNER_ROLE, ownerPassword());
    }

    /** Applies a signed scope for the session of an application-role connection, as the application would. */
    public static void scope(Connection app, String scope) throws SQLException {
        rowScope().apply(app, scope, app.unwrap(org.postgresql.PGConnection.class).getBackendPID(), !app.getAutoCommit());
    }

    private static Connection connection(String role) throws SQLException {
        String url = ConfigProvider.getConfig().getValue(EmbeddedPostgresTestResource.OWNER_URL_PROPERTY, String.class);
        return DriverManager.getConnection(url, role, EmbeddedDatabase.APP_ROLE.equals(role) ? appPassword() : ownerPassword());
    }

    static String ownerPassword() {
        return ConfigProvider.getConfig().getValue("quarkus.flyway.password", String.class);
    }

    static String appPassword() {
        return ConfigProvider.getConfig().getValue("quarkus.datasource.password", String.class);
    }

    public record TestTenant(UUID id, String slug) {
        public String path() {
            return "/api/v1/tenants/" + id;
        }
    }
}
