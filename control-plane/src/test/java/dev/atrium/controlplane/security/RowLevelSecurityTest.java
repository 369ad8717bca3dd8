package dev.atrium.controlplane.security;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.apiKey;
import static dev.atrium.controlplane.testing.Api.as;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.testing.Api.TestTenant;
import dev.atrium.controlplane.testing.Api;
import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;

/** PostgreSQL row-level security, the wall behind the service checks, queried directly as the application's role. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class RowLevelSecurityTest {

    @jakarta.inject.Inject
    dev.atrium.controlplane.auth.TenantScopeConnectionInterceptor interceptor;


    private static final List<String> TENANT_OWNED = List.of("tenant", "api_key", "audit_event", "audit_chain_head",
            "secret", "secret_version", "secret_data_key");

    @Test
    void withoutATenantScopeNoTenantRowIsVisible() throws SQLException {
        TestTenant tenant = populated("rls-none");
        try (Connection owner = Api.ownerConnection(); Connection app = Api.appConnection()) {
            for (String table : TENANT_OWNED) {
                assertThat(count(owner, table, "true")).as("rows in %s (platform scope)", table).isPositive();
                assertThat(count(app, table, "true")).as("rows in %s without a scope", table).isZero();
            }
        }
        assertThat(tenant).isNotNull();
    }

    @Test
    void aTenantScopeSeesAndWritesOnlyThatTenant() throws SQLException {
        TestTenant a = populated("rls-a");
        TestTenant b = populated("rls-b");
        try (Connection app = Api.appConnection(); Statement statement = app.createStatement()) {
            Api.scope(app, a.id().toString());
            assertThat(ids(app, "SELECT id::text FROM tenant")).containsExactly(a.id().toString());
            assertThat(ids(app, "SELECT DISTINCT tenant_id::text FROM api_key")).containsExactly(a.id().toString());
            assertThat(ids(app, "SELECT DISTINCT tenant_id::text FROM audit_event")).containsExactly(a.id().toString());
            assertThat(ids(app, "SELECT DISTINCT scope FROM secret")).containsExactly(a.id().toString());
            assertThat(count(app, "tenant", "id = '" + b.id() + "'")).isZero();

            assertThat(statement.executeUpdate("UPDATE tenant SET display_name = 'hijacked' WHERE id = '" + b.id() + "'"))
                    .as("rows of another tenant cannot even be addressed").isZero();
            assertThatThrownBy(() -> statement.executeUpdate("INSERT INTO secret (scope, name, tenant_id, current_version, "
                    + "generated, created_at, created_by, updated_at, updated_by) VALUES ('" + b.id() + "', 'planted', '"
                    + b.id() + "', 1, false, now(), 'x', now(), 'x')"))
                    .hasMessageContaining("row-level security");
        }
        asPlatformAdmin().get(b.path()).then().statusCode(200)
                .body("displayName", org.hamcrest.Matchers.equalTo("Tenant " + b.slug()));
    }

    @Test
    void theApplicationsRoleCannotWidenOrForgeItsScope() throws SQLException {
        TestTenant a = populated("rls-widen-a");
        TestTenant b = populated("rls-widen-b");
        try (Connection app = Api.appConnection(); Statement statement = app.createStatement()) {
            Api.scope(app, a.id().toString());
            assertThat(ids(app, "SELECT id::text FROM tenant")).containsExactly(a.id().toString());
            // what injected SQL in tenant A's request could try
            statement.execute("SELECT set_config('atrium.tenant_scope', '*', false)");
            assertThat(count(app, "tenant", "true")).as("a plain '*' from the app role").isZero();
            statement.execute("SELECT set_config('atrium.tenant_scope', '" + b.id() + "', false)");
            assertThat(count(app, "tenant", "true")).as("a plain other tenant").isZero();
            int pid = app.unwrap(org.postgresql.PGConnection.class).getBackendPID();
            String forged = "*|" + pid + "|" + java.time.Instant.now().getEpochSecond() + "|" + "0".repeat(64);
            statement.execute("SELECT set_config('atrium.tenant_scope', '" + forged + "', false)");
            assertThat(count(app, "tenant", "true")).as("a token with a made-up MAC").isZero();
            String forAnotherConnection = Api.rowScope().token("*", pid + 1, java.time.Instant.now());
            statement.execute("SELECT set_config('atrium.tenant_scope', '" + forAnotherConnection + "', false)");
            assertThat(count(app, "tenant", "true")).as("a valid token of another connection").isZero();
            String old = Api.rowScope().token("*", pid, java.time.Instant.now().minusSeconds(600));
            statement.execute("SELECT set_config('atrium.tenant_scope', '" + old + "', false)");
            assertThat(count(app, "tenant", "true")).as("a valid token ten minutes old").isZero();
            String widened = Api.rowScope().token(a.id() + "," + b.id(), pid, java.time.Instant.now())
                    .replace(a.id() + "," + b.id(), a.id().toString());
            statement.execute("SELECT set_config('atrium.tenant_scope', '" + widened + "', false)");
            assertThat(count(app, "tenant", "true")).as("a token whose scope was edited").isZero();
            assertThatThrownBy(() -> statement.executeQuery("SELECT key FROM atrium_scope_key"))
                    .hasMessageContaining("permission denied");
        }
    }

    @Test
    void aScopeSetInATransactionEndsWithIt() throws SQLException {
        TestTenant a = populated("rls-tx");
        try (Connection app = Api.appConnection()) {
            app.setAutoCommit(false);
            Api.scope(app, a.id().toString());
            assertThat(count(app, "tenant", "true")).isEqualTo(1);
            app.rollback();
            assertThat(count(app, "tenant", "true")).as("after the rollback nothing of the scope remains").isZero();
            Api.scope(app, a.id().toString());
            app.commit();
            assertThat(count(app, "tenant", "true")).as("nor after a commit").isZero();
        }
    }

    @Test
    void aPooledConnectionKeepsNoScopeFromItsLastBorrower() throws SQLException {
        TestTenant a = populated("rls-pool");
        try (Connection app = Api.appConnection()) {
            // borrowed outside a transaction for platform work, as authentication does: the scope is session-wide
            // (outside a request the current scope is the platform's)
            interceptor.onConnectionAcquire(app);
            assertThat(count(app, "tenant", "true")).as("the platform sees every tenant").isGreaterThan(1);
            interceptor.onConnectionReturn(app);
            // the next borrower works for tenant A in a transaction; SQL smuggled into its request ends the transaction
            app.setAutoCommit(false);
            Api.scope(app, a.id().toString());
            assertThat(count(app, "tenant", "true")).isEqualTo(1);
            app.commit();
            app.setAutoCommit(true);
            assertThat(count(app, "tenant", "true")).as("after the transaction nothing of anyone's scope remains").isZero();
        }
    }

    @Test
    void everyPolicyChecksTheScopeOncePerStatement() throws SQLException {
        try (Connection owner = Api.ownerConnection(); Statement statement = owner.createStatement();
             ResultSet policies = statement.executeQuery("SELECT tablename, qual, with_check FROM pg_policies WHERE policyname = 'tenant_isolation'")) {
            int seen = 0;
            while (policies.next()) {
                seen++;
                assertThat(policies.getString(2) + " " + policies.getString(3)).as("policy of %s", policies.getString(1))
                        .doesNotContain("atrium_tenant_visible(").contains("atrium_scope()");
            }
            assertThat(seen).isGreaterThanOrEqualTo(15);
        }
    }

    @Test
    void theApplicationNarrowsTenantPrincipalsAndKeepsWorking() {
        TestTenant tenant = populated("rls-api");
        String admin = apiKey(tenant, "admin");
        as(admin).get(tenant.path() + "/api-keys").then().statusCode(200);
        as(admin).body(Map.of("value", "scoped")).put(tenant.path() + "/secrets/scoped").then().statusCode(201);
        as(admin).get("/api/v1/audit/events").then().statusCode(200);
    }

    private static TestTenant populated(String prefix) {
        TestTenant tenant = activeTenant(prefix);
        apiKey(tenant, "admin");
        asPlatformAdmin().body(Map.of("value", "v")).put(tenant.path() + "/secrets/s").then().statusCode(201);
        return tenant;
    }

    private static long count(Connection connection, String table, String where) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table + " WHERE " + where)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static Set<String> ids(Connection connection, String query) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }
}
