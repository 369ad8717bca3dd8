package dev.atrium.dataplane.storage;

import static dev.atrium.dataplane.testing.DataPlaneApi.appConnection;
import static dev.atrium.dataplane.testing.DataPlaneApi.as;
import static dev.atrium.dataplane.testing.DataPlaneApi.fullKey;
import static dev.atrium.dataplane.testing.DataPlaneApi.knowledgeBase;
import static dev.atrium.dataplane.testing.DataPlaneApi.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.atrium.dataplane.DataPlaneStack;
import dev.atrium.dataplane.testing.DataPlaneApi.Tenant;
import dev.atrium.dataplane.testing.DataPlanePostgresTestResource;
import dev.atrium.tenancy.database.EmbeddedDatabase;
import dev.atrium.tenancy.database.RowScope;

/** The second wall: even SQL without a tenant filter sees and writes only the tenant set on the connection. */
@DataPlaneStack
class RowLevelSecurityTest {

    private static long count(Connection connection, String table) throws SQLException {
        try (ResultSet row = connection.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Sets the scope the way the data plane does: a token signed with the key only the schema owner can read. */
    private static void scope(Connection connection, String tenant) throws SQLException {
        RowScope signer = RowScope.load(ConfigProvider.getConfig().getValue(DataPlanePostgresTestResource.OWNER_URL_PROPERTY, String.class),
                EmbeddedDatabase.OWNER_ROLE, ConfigProvider.getConfig().getValue("quarkus.flyway.password", String.class));
        signer.apply(connection, tenant, connection.unwrap(org.postgresql.PGConnection.class).getBackendPID(), false);
    }

    @Test
    void anUnfilteredQuerySeesOnlyTheScopedTenantAndCannotWriteForAnother() throws Exception {
        Tenant a = tenant("rls-a");
        Tenant b = tenant("rls-b");
        String keyA = fullKey(a);
        String kb = knowledgeBase(keyA, "rls");
        as(keyA).body(Map.of("title", "Doc", "text", "Row-level security is the second wall.")).post("/v1/knowledge-bases/" + kb + "/documents")
                .then().statusCode(201);
        knowledgeBase(fullKey(b), "rls-b");

        try (Connection connection = appConnection()) {
            assertThat(count(connection, "knowledge_base")).as("no scope, no rows").isZero();
            scope(connection, b.id().toString());
            assertThat(count(connection, "knowledge_base")).isEqualTo(1);
            assertThat(count(connection, "chunk")).isZero();
            scope(connection, a.id().toString());
            assertThat(count(connection, "chunk")).isPositive();
            assertThat(count(connection, "document")).isEqualTo(1);

            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO knowledge_base (id, tenant_id, name, chunk_size, chunk_overlap, embedding_model, created_at)
                    VALUES (?, ?, 'smuggled', 128, 16, 'all-minilm-l6-v2-q', now())""")) {
                insert.setObject(1, UUID.randomUUID());
                insert.setObject(2, b.id());
                assertThatThrownBy(insert::executeUpdate).isInstanceOf(SQLException.class).hasMessageContaining("row-level security");
            }
            // what SQL injected into tenant A's transaction could try: a plain scope is worth nothing to this role
            try (PreparedStatement widen = connection.prepareStatement("SELECT set_config('atrium.tenant_scope', ?, false)")) {
                widen.setString(1, "*");
                widen.execute();
            }
            assertThat(count(connection, "knowledge_base")).as("a plain '*' from the application's role").isZero();
        }
    }
}
