package dev.atrium.controlplane.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An external database with a single role: the application connects as the schema owner, so the migrations grant
 * nothing ({@code appRole} is the owner) and the audit functions run as their own caller. Purges must still work
 * through {@code atrium_purge_audit} only, with the same checks, and the old session switch must not open the
 * append-only trigger.
 */
class SingleRoleAuditDatabaseTest {

    private static final String ROLE = "atrium_single";
    private static EmbeddedPostgres postgres;
    private static String url;

    @BeforeAll
    static void migrateAsTheOnlyRole() throws Exception {
        Path cache = Path.of(System.getProperty("atrium.cache-dir", System.getProperty("java.io.tmpdir") + "/atrium-cache"));
        Files.createDirectories(cache);
        postgres = EmbeddedPostgres.builder().setOverrideWorkingDirectory(cache.toFile())
                .setServerConfig("listen_addresses", "127.0.0.1").start();
        try (Connection superuser = postgres.getPostgresDatabase().getConnection();
             Statement statement = superuser.createStatement()) {
            statement.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + ROLE + "' NOSUPERUSER NOBYPASSRLS");
            statement.execute("CREATE DATABASE single_role OWNER " + ROLE);
        }
        url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/single_role";
        Flyway.configure().dataSource(url, ROLE, ROLE).locations("classpath:db/migration")
                .placeholders(Map.of("appRole", ROLE)).load().migrate();
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void purgesGoThroughTheFunctionWithItsChecksAndTheSessionSwitchIsGone() throws Exception {
        String chain = UUID.randomUUID().toString();
        try (Connection connection = DriverManager.getConnection(url, ROLE, ROLE); Statement statement = connection.createStatement()) {
            statement.execute("SELECT set_config('atrium.tenant_scope', '*', false)");
            String publicKey = "MCowBQYDK2VwAyEA" + UUID.randomUUID();
            String keyId = "ed25519-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(publicKey.getBytes(StandardCharsets.US_ASCII))).substring(0, 16);
            statement.execute("SELECT atrium_add_audit_signing_key('" + keyId + "', 'Ed25519', '" + publicKey + "')");
            // four events 500 days old, two digests (1..2, 3..4)
            for (int sequence = 1; sequence <= 4; sequence++) {
                statement.executeUpdate("""
                        INSERT INTO audit_event (id, chain_id, sequence, tenant_id, occurred_at, actor_id, actor_type, action,
                            outcome, prev_hash, hash)
                        VALUES (gen_random_uuid(), '%1$s', %2$d, '%1$s', now() - interval '500 days' + %2$d * interval '1 minute',
                            'system:atrium', 'system', 'test.old-event', 'SUCCESS', lpad('%3$d', 64, '0'), lpad('%2$d', 64, '0'))"""
                        .formatted(chain, sequence, sequence - 1));
            }
            statement.executeUpdate("INSERT INTO audit_chain_head (chain_id, sequence, head_hash) VALUES ('" + chain
                    + "', 4, lpad('4', 64, '0'))");
            for (int digest = 1; digest <= 2; digest++) {
                int first = digest * 2 - 1;
                int last = digest * 2;
                statement.executeUpdate("""
                        INSERT INTO audit_digest (chain_id, digest_sequence, tenant_id, period_start, period_end, event_count,
                            first_sequence, last_sequence, first_event_hash, last_event_hash, previous_digest_hash, digest_hash,
                            key_id, signature, created_at)
                        SELECT '%1$s', %2$d, '%1$s', min(occurred_at), max(occurred_at), 2, %3$d, %4$d, lpad('%3$d', 64, '0'),
                            lpad('%4$d', 64, '0'), repeat('0', 64), repeat('%2$d', 64), '%5$s', 'c2lnbmVk', now()
                        FROM audit_event WHERE chain_id = '%1$s' AND sequence BETWEEN %3$d AND %4$d"""
                        .formatted(chain, digest, first, last, keyId));
            }

            statement.execute("SET atrium.audit_purge = 'on'");
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM audit_event WHERE chain_id = '" + chain + "'"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> statement.execute("SELECT atrium_purge_audit('" + chain + "', 3)"))
                    .hasMessageContaining("not the last event of a signed digest");
            statement.execute("SELECT atrium_set_audit_retention('" + chain + "', 400, true, 'litigation', 'tester')");
            assertThatThrownBy(() -> statement.execute("SELECT atrium_purge_audit('" + chain + "', 4)"))
                    .hasMessageContaining("legal hold");
            statement.execute("SELECT atrium_set_audit_retention('" + chain + "', 400, false, null, 'tester')");

            assertThat(single(statement, "SELECT atrium_purge_audit('" + chain + "', 4)")).isEqualTo(4);
            assertThat(single(statement, "SELECT count(*) FROM audit_event WHERE chain_id = '" + chain + "'")).isZero();
            assertThat(single(statement, "SELECT count(*) FROM audit_purge WHERE chain_id = '" + chain
                    + "' AND purged_from = 1 AND purged_through = 4 AND anchor_hash = lpad('4', 64, '0')")).isEqualTo(1);
            assertThat(single(statement, "SELECT count(*) FROM audit_chain_head WHERE chain_id = '" + chain
                    + "' AND purged_through = 4 AND anchor_hash = lpad('4', 64, '0')")).isEqualTo(1);
            assertThat(single(statement, "SELECT count(*) FROM audit_retention_history WHERE chain_id = '" + chain + "'"))
                    .isEqualTo(2);
        }
    }

    private static long single(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
