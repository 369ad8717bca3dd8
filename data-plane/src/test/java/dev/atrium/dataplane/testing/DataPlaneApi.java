package dev.atrium.dataplane.testing;

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

/** The shared test client: tenants and keys made through the real control plane, requests to the data plane. */
public final class DataPlaneApi {

    private DataPlaneApi() {
    }

    /** A tenant made through the control plane's public API, ACTIVE. */
    public record Tenant(UUID id, String slug) {
        public String path() {
            return "/api/v1/tenants/" + id;
        }
    }

    public static RequestSpecification controlPlane() {
        return controlPlaneAs(ConfigProvider.getConfig().getValue(ControlPlaneTestResource.PLATFORM_KEY_PROPERTY, String.class));
    }

    /** A request to the control plane with the given key (a tenant admin's, a compliance officer's). */
    public static RequestSpecification controlPlaneAs(String apiKey) {
        return given().baseUri(ControlPlaneTestResource.url()).port(-1).contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + apiKey);
    }

    /** A request to the data plane under test with the given tenant API key. */
    public static RequestSpecification as(String apiKey) {
        return given().header("Authorization", "Bearer " + apiKey).contentType(ContentType.JSON);
    }

    public static Tenant tenant(String prefix) {
        return tenant(prefix, "enterprise");
    }

    public static Tenant tenant(String prefix, String plan) {
        return tenant(prefix, plan, "eu");
    }

    /** A tenant of a residency zone: in {@code eu} it is placed in local-a, the data plane under test. */
    public static Tenant tenant(String prefix, String plan, String residency) {
        String slug = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String id = controlPlane().body(Map.of("slug", slug, "displayName", "Tenant " + slug, "plan", plan, "residency", residency))
                .post("/api/v1/tenants").then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> "ACTIVE".equals(controlPlane().get("/api/v1/tenants/" + id).path("status")));
        return new Tenant(UUID.fromString(id), slug);
    }

    public static String apiKey(Tenant tenant, String... scopes) {
        return controlPlane().body(Map.of("name", "test key", "scopes", List.of(scopes)))
                .post(tenant.path() + "/api-keys").then().statusCode(201).extract().path("secret");
    }

    /**
     * A person who is a compliance officer of the tenant (reviewer rights belong to people, never to keys): created
     * in the test realm, added by the platform admin; returns their access token.
     */
    public static String complianceOfficer(Tenant tenant) {
        String username = "officer-" + UUID.randomUUID().toString().substring(0, 8);
        String userId = ControlPlaneTestResource.keycloak().createUser(username, ControlPlaneTestResource.PASSWORD);
        controlPlane().body(Map.of("userId", userId, "role", "compliance-officer")).post(tenant.path() + "/members")
                .then().statusCode(201);
        return ControlPlaneTestResource.keycloak().token(username, ControlPlaneTestResource.PASSWORD);
    }

    /** A key with every data-plane scope. */
    public static String fullKey(Tenant tenant) {
        return apiKey(tenant, "rag:query", "rag:ingest", "models:invoke", "admin");
    }

    public static String knowledgeBase(String key, String name) {
        return as(key).body(Map.of("name", name)).post("/v1/knowledge-bases").then().statusCode(201).extract().path("id");
    }

    /**
     * Scopes the open transaction of {@code connection} to {@code tenant} the way the data plane does: a row-scope
     * token signed with the key only the schema owner can read (a plain tenant id would see nothing).
     */
    public static void scopeTransactionTo(Connection connection, String tenant) throws SQLException {
        RowScope signer = RowScope.load(ConfigProvider.getConfig().getValue(DataPlanePostgresTestResource.OWNER_URL_PROPERTY, String.class),
                EmbeddedDatabase.OWNER_ROLE, ConfigProvider.getConfig().getValue("quarkus.flyway.password", String.class));
        signer.apply(connection, tenant, connection.unwrap(org.postgresql.PGConnection.class).getBackendPID(), true);
    }

    /** A connection to the region database as the application's role, which row-level security binds. */
    /** How many rows of {@code table} belong to the tenant, read as the application's role across every tenant. */
    public static long rowsOf(Tenant tenant, String table) throws SQLException {
        try (Connection connection = appConnection()) {
            connection.setAutoCommit(false);
            scopeTransactionTo(connection, "*");
            try (java.sql.ResultSet row = connection.createStatement().executeQuery(
                    "SELECT count(*) AS n FROM " + table + " WHERE tenant_id = '" + tenant.id() + "'")) {
                row.next();
                return row.getLong("n");
            } finally {
                connection.rollback();
            }
        }
    }

    public static Connection appConnection() throws SQLException {
        String url = ConfigProvider.getConfig().getValue(DataPlanePostgresTestResource.OWNER_URL_PROPERTY, String.class);
        return DriverManager.getConnection(url, EmbeddedDatabase.APP_ROLE,
                ConfigProvider.getConfig().getValue("quarkus.datasource.password", String.class));
    }
}
