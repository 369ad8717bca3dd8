package dev.atrium.controlplane.audit;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.as;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import dev.atrium.compliance.digest.DigestSigning;
import dev.atrium.controlplane.audit.digest.AuditDigests;
import dev.atrium.controlplane.audit.retention.AuditRetention;
import dev.atrium.controlplane.testing.Api.TestTenant;
import dev.atrium.controlplane.testing.Api;
import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;
import dev.atrium.controlplane.testing.Users;

/**
 * What someone holding the application's database credentials can do to the audit trail with plain SQL: every
 * attempt to erase history, move the purge point, lift a legal hold or plant a signing key fails, or leaves a
 * chain that {@code /verify} reports as invalid. What the application role cannot do at all is simulated with the
 * owner's connection, to show that verification does not trust the database either.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class AuditTamperingTest {

    @Inject
    AuditDigests digests;

    @Inject
    AuditRetention retention;

    @Test
    void purgingInsideTheRetentionPeriodIsRefused() throws SQLException {
        TestTenant tenant = activeTenant("tamper-young");
        asPlatformAdmin().body(Map.of("displayName", "Renamed")).patch(tenant.path()).then().statusCode(200);
        digests.writeDue(Duration.ZERO, 1000);
        long head = single("SELECT sequence FROM audit_chain_head WHERE chain_id = '" + tenant.id() + "'");
        assertThat(single("SELECT count(*) FROM audit_digest WHERE chain_id = '" + tenant.id() + "' AND last_sequence = " + head))
                .isEqualTo(1);
        try (Connection app = appConnection(); Statement statement = app.createStatement()) {
            assertThatThrownBy(() -> statement.execute("SELECT atrium_purge_audit('" + tenant.id() + "', " + head + ")"))
                    .hasMessageContaining("inside the retention period");
            // nor can the application shorten the retention below the minimum to make them expire
            assertThatThrownBy(() -> statement.execute("SELECT atrium_set_audit_retention('" + tenant.id()
                    + "', 1, false, null, 'attacker')")).hasMessageContaining("400 to 36500 days");
        }
        assertThat(single("SELECT count(*) FROM audit_event WHERE chain_id = '" + tenant.id() + "'")).isEqualTo(head);
        verify(tenant.id().toString()).body("valid", equalTo(true));
    }

    @Test
    void aTemporaryTableCannotStandInForTheRetentionPolicy() throws SQLException {
        TestTenant tenant = activeTenant("tamper-temp");
        asPlatformAdmin().body(Map.of("displayName", "Renamed")).patch(tenant.path()).then().statusCode(200);
        digests.writeDue(Duration.ZERO, 1000);
        long head = single("SELECT sequence FROM audit_chain_head WHERE chain_id = '" + tenant.id() + "'");
        try (Connection app = appConnection(); Statement statement = app.createStatement()) {
            // a fake policy with no retention and no hold, in the caller's temporary schema, searched first by default
            try {
                statement.execute("""
                        CREATE TEMP TABLE audit_retention (chain_id varchar, tenant_id uuid, retention_days integer,
                            legal_hold boolean, hold_reason varchar, updated_at timestamptz, updated_by varchar)""");
                statement.execute("INSERT INTO audit_retention VALUES ('" + tenant.id() + "', '" + tenant.id()
                        + "', 0, false, null, now(), 'attacker')");
            } catch (SQLException refused) {
                assertThat(refused.getMessage()).contains("permission denied");
            }
            assertThatThrownBy(() -> statement.execute("SELECT atrium_purge_audit('" + tenant.id() + "', " + head + ")"))
                    .hasMessageContaining("inside the retention period");
        }
        assertThat(single("SELECT count(*) FROM audit_event WHERE chain_id = '" + tenant.id() + "'")).isEqualTo(head);
        verify(tenant.id().toString()).body("valid", equalTo(true));
    }

    @Test
    void purgingAtAPointThatIsNoSignedDigestBoundaryIsRefused() throws SQLException {
        ExpiredChain chain = ExpiredChain.create(6);
        digests.writeDue(Duration.ZERO, 3);
        assertThat(chain.digestBoundaries()).doesNotContain(2L).contains(6L);
        try (Connection app = appConnection(); Statement statement = app.createStatement()) {
            assertThatThrownBy(() -> statement.execute("SELECT atrium_purge_audit('" + chain.chainId() + "', 2)"))
                    .hasMessageContaining("not the last event of a signed digest");
            assertThatThrownBy(() -> statement.execute("SELECT atrium_purge_audit('" + chain.chainId() + "', 0)"))
                    .hasMessageContaining("already purged through 0");
        }
        assertThat(chain.events()).isEqualTo(6);
    }

    @Test
    void aForgedDigestCannotMakeRecentEventsPurgeableAndBreaksVerification() throws SQLException {
        ExpiredChain chain = ExpiredChain.create(4);
        digests.writeDue(Duration.ZERO, 2);
        String chainId = chain.chainId();
        try (Connection app = appConnection(); Statement statement = app.createStatement()) {
            app.setAutoCommit(false);
            // the application role may append an event and insert a digest row, but it cannot sign the row: one
            // that claims the new event ended long ago is refused by the events' own timestamps
            statement.executeUpdate("""
                    INSERT INTO audit_event (id, chain_id, sequence, tenant_id, occurred_at, actor_id, actor_type, action,
                        outcome, prev_hash, hash)
                    VALUES (gen_random_uuid(), '%1$s', 5, '%1$s', now(), 'system:atrium', 'system', 'test.recent', 'SUCCESS',
                        '%2$s', repeat('a', 64))""".formatted(chainId, chain.hashOf(4)));
            statement.executeUpdate("UPDATE audit_chain_head SET sequence = 5, head_hash = repeat('a', 64) WHERE chain_id = '"
                    + chainId + "'");
            forgeDigest(statement, chain, 1, 5, chain.hashOf(1), "a".repeat(64));
            assertThatThrownBy(() -> statement.execute("SELECT atrium_purge_audit('" + chainId + "', 5)"))
                    .hasMessageContaining("recorded after the retention cut-off");
            app.rollback();
        }
        assertThat(chain.events()).isEqualTo(4);

        // and a forged digest that stays is caught by verification
        try (Connection app = appConnection(); Statement statement = app.createStatement()) {
            forgeDigest(statement, chain, 1, 4, chain.hashOf(1), chain.hashOf(4));
        }
        verify(chainId).body("valid", equalTo(false)).body("digests.valid", equalTo(false))
                .body("reason", containsString("signature does not verify"));
    }

    @Test
    void theSessionSwitchNoLongerOpensTheAppendOnlyTrigger() throws SQLException {
        TestTenant tenant = activeTenant("tamper-switch");
        long before = single("SELECT count(*) FROM audit_event WHERE chain_id = '" + tenant.id() + "'");
        try (Connection app = appConnection(); Statement statement = app.createStatement()) {
            statement.execute("SET atrium.audit_purge = 'on'");
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM audit_event WHERE chain_id = '" + tenant.id() + "'"))
                    .hasMessageContaining("permission denied");
            // nor can it write the purge record the trigger looks for
            assertThatThrownBy(() -> statement.executeUpdate("""
                    INSERT INTO audit_purge (chain_id, purged_from, purged_through, anchor_hash, digest_sequence,
                        deleted_events, retention_days, cutoff, purged_at, purged_by, transaction_id)
                    VALUES ('%s', 1, 2, repeat('0', 64), 1, 2, 400, now(), now(), 'x', pg_current_xact_id())"""
                    .formatted(tenant.id()))).hasMessageContaining("permission denied");
        }
        // the switch no longer works even for the owner: only a purge recorded in the same transaction deletes
        try (Connection owner = Api.ownerConnection(); Statement statement = owner.createStatement()) {
            statement.execute("SET atrium.audit_purge = 'on'");
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM audit_event WHERE chain_id = '" + tenant.id() + "'"))
                    .hasMessageContaining("append-only");
        }
        assertThat(single("SELECT count(*) FROM audit_event WHERE chain_id = '" + tenant.id() + "'")).isEqualTo(before);
    }

    @Test
    void aLegalHoldCannotBeLiftedBehindTheTrailsBack() throws SQLException {
        TestTenant tenant = activeTenant("tamper-hold");
        as(Users.platformComplianceOfficer().token()).body(Map.of("retentionDays", 500, "legalHold", true, "holdReason", "case 42"))
                .put(tenant.path() + "/audit-retention").then().statusCode(200);
        String chain = tenant.id().toString();
        try (Connection app = appConnection(); Statement statement = app.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate("UPDATE audit_retention SET legal_hold = false WHERE chain_id = '" + chain + "'"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM audit_retention WHERE chain_id = '" + chain + "'"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> statement.executeUpdate("UPDATE audit_retention_history SET legal_hold = false"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM audit_retention_history WHERE chain_id = '" + chain + "'"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> statement.execute("SELECT atrium_set_audit_retention('" + chain + "', 500, true, '  ', 'attacker')"))
                    .hasMessageContaining("needs a reason");
            assertThatThrownBy(() -> statement.execute("SELECT atrium_set_audit_retention('" + chain + "', 500, false, null, '')"))
                    .hasMessageContaining("needs the actor");
        }
        asPlatformAdmin().get(tenant.path() + "/audit-retention").then().body("legalHold", equalTo(true))
                .body("holdReason", equalTo("case 42"));

        // lifting it the legitimate way leaves a trace in the history as well as in the chain
        as(Users.platformComplianceOfficer().token()).body(Map.of("retentionDays", 500, "legalHold", false))
                .put(tenant.path() + "/audit-retention")
                .then().statusCode(200);
        try (Connection owner = Api.ownerConnection(); Statement statement = owner.createStatement();
             ResultSet rows = statement.executeQuery("SELECT legal_hold, hold_reason, changed_by FROM audit_retention_history "
                     + "WHERE chain_id = '" + chain + "' ORDER BY id")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getBoolean(1)).isTrue();
            assertThat(rows.getString(2)).isEqualTo("case 42");
            assertThat(rows.next()).isTrue();
            assertThat(rows.getBoolean(1)).isFalse();
            assertThat(rows.getString(2)).isNull();
            assertThat(rows.getString(3)).isNotBlank();
            assertThat(rows.next()).isFalse();
        }
    }

    @Test
    void thePurgePointCannotBeMovedByTheApplicationAndAnUnrecordedCutFailsVerification() throws SQLException {
        TestTenant tenant = activeTenant("tamper-anchor");
        asPlatformAdmin().body(Map.of("displayName", "Renamed")).patch(tenant.path()).then().statusCode(200);
        String chain = tenant.id().toString();
        long head = single("SELECT sequence FROM audit_chain_head WHERE chain_id = '" + chain + "'");
        String headHash = text("SELECT head_hash FROM audit_chain_head WHERE chain_id = '" + chain + "'");
        try (Connection app = appConnection(); Statement statement = app.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate("UPDATE audit_chain_head SET purged_through = " + head
                    + ", anchor_hash = '" + headHash + "' WHERE chain_id = '" + chain + "'"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> statement.executeUpdate("UPDATE audit_chain_head SET anchor_hash = '" + headHash
                    + "' WHERE chain_id = '" + chain + "'")).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM audit_chain_head WHERE chain_id = '" + chain + "'"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> statement.executeUpdate("INSERT INTO audit_chain_head (chain_id, sequence, head_hash, "
                    + "purged_through) VALUES ('planted', 1, repeat('0', 64), 1)")).hasMessageContaining("permission denied");
        }
        verify(chain).body("valid", equalTo(true));

        // what the application role can no longer do, done by the owner: erase the whole chain and re-anchor it
        try (Connection owner = Api.ownerConnection(); Statement statement = owner.createStatement()) {
            owner.setAutoCommit(false);
            statement.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete");
            statement.executeUpdate("DELETE FROM audit_event WHERE chain_id = '" + chain + "'");
            statement.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_delete");
            statement.executeUpdate("UPDATE audit_chain_head SET purged_through = " + head + ", anchor_hash = '" + headHash
                    + "' WHERE chain_id = '" + chain + "'");
            owner.commit();
        }
        verify(chain).body("valid", equalTo(false)).body("reason", containsString("no purge record"));
    }

    @Test
    void signingKeysCannotBePlantedOrBackdated() throws Exception {
        digests.writeDue(Duration.ZERO, 1000);
        List<String> published = asPlatformAdmin().get("/api/v1/audit/public-keys").jsonPath().getList("items.keyId");
        String current = text("SELECT key_id FROM audit_signing_key WHERE valid_to IS NULL");
        String publicKey = DigestSigning.encodePublicKey(DigestSigning.generateKeyPair().getPublic());
        String keyId = "ed25519-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(publicKey.getBytes(StandardCharsets.US_ASCII))).substring(0, 16);
        try (Connection app = appConnection(); Statement statement = app.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate("INSERT INTO audit_signing_key (key_id, algorithm, public_key, "
                    + "valid_from) VALUES ('" + keyId + "', 'Ed25519', '" + publicKey + "', '2000-01-01T00:00:00Z')"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> statement.executeUpdate("UPDATE audit_signing_key SET valid_from = '2000-01-01T00:00:00Z'"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> statement.executeUpdate("UPDATE audit_signing_key SET valid_to = NULL"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM audit_signing_key"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> statement.execute("SELECT atrium_add_audit_signing_key('ed25519-0000000000000000', "
                    + "'Ed25519', '" + publicKey + "')")).hasMessageContaining("not derived from the public key");
            assertThatThrownBy(() -> statement.execute("SELECT atrium_add_audit_signing_key('" + keyId + "', 'RSA', '"
                    + publicKey + "')")).hasMessageContaining("are Ed25519");

            // the function the application rotates with: valid from the database's now(), the current key retired
            app.setAutoCommit(false);
            try (ResultSet added = statement.executeQuery("SELECT atrium_add_audit_signing_key('" + keyId + "', 'Ed25519', '"
                    + publicKey + "') = now()")) {
                added.next();
                assertThat(added.getBoolean(1)).isTrue();
            }
            try (ResultSet keys = statement.executeQuery("SELECT key_id, valid_from = now(), valid_to = now() "
                    + "FROM audit_signing_key WHERE key_id IN ('" + keyId + "', '" + current + "') ORDER BY valid_from")) {
                assertThat(keys.next()).isTrue();
                assertThat(keys.getString(1)).isEqualTo(current);
                assertThat(keys.getBoolean(3)).as("the current key is retired now").isTrue();
                assertThat(keys.next()).isTrue();
                assertThat(keys.getString(1)).isEqualTo(keyId);
                assertThat(keys.getBoolean(2)).as("the new key is valid from now, not earlier").isTrue();
            }
            app.rollback();
        }
        assertThat(asPlatformAdmin().get("/api/v1/audit/public-keys").jsonPath().getList("items.keyId"))
                .isEqualTo(published);
    }

    @Test
    void aPurgedChainWithoutItsPurgeRecordFailsVerification() throws SQLException {
        ExpiredChain chain = legitimatelyPurged();
        try (Connection owner = Api.ownerConnection(); Statement statement = owner.createStatement()) {
            owner.setAutoCommit(false);
            statement.execute("ALTER TABLE audit_purge DISABLE TRIGGER audit_purge_no_update_delete");
            statement.executeUpdate("DELETE FROM audit_purge WHERE chain_id = '" + chain.chainId() + "'");
            statement.execute("ALTER TABLE audit_purge ENABLE TRIGGER audit_purge_no_update_delete");
            owner.commit();
        }
        verify(chain.chainId()).body("valid", equalTo(false)).body("reason", containsString("no purge record"));
    }

    @Test
    void aPurgeWithoutItsAuditEventFailsVerification() throws SQLException {
        ExpiredChain chain = ExpiredChain.create(6);
        digests.writeDue(Duration.ZERO, 3);
        // a purge the database allows (expired, at a digest boundary) but made with plain SQL: no audit.purge event
        try (Connection app = appConnection(); Statement statement = app.createStatement();
             ResultSet deleted = statement.executeQuery("SELECT atrium_purge_audit('" + chain.chainId() + "', 6)")) {
            deleted.next();
            assertThat(deleted.getLong(1)).isEqualTo(6);
        }
        assertThat(chain.single("SELECT count(*) FROM audit_purge WHERE chain_id = '" + chain.chainId()
                + "' AND purged_through = 6 AND anchor_hash = '" + chain.hashOf(6) + "'")).isEqualTo(1);
        verify(chain.chainId()).body("valid", equalTo(false)).body("reason", containsString("no audit.purge event"));
    }

    @Test
    void aPurgePointMovedPastItsRecordFailsVerification() throws SQLException {
        ExpiredChain chain = ExpiredChain.create(6);
        digests.writeDue(Duration.ZERO, 3);
        as(Users.platformComplianceOfficer().token()).body(Map.of("retentionDays", 400, "legalHold", false))
                .put(chain.path() + "/audit-retention")
                .then().statusCode(200);
        digests.writeDue(Duration.ZERO, 1000);
        assertThat(chain.digestBoundaries()).contains(6L, 7L);
        retention.purgeExpired();
        verify(chain.chainId()).body("valid", equalTo(true));
        String recentHash = text("SELECT hash FROM audit_event WHERE chain_id = '" + chain.chainId() + "' AND sequence = 7");

        // the owner also removes the recent event, re-anchored on its genuine digest boundary
        try (Connection owner = Api.ownerConnection(); Statement statement = owner.createStatement()) {
            owner.setAutoCommit(false);
            statement.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete");
            statement.executeUpdate("DELETE FROM audit_event WHERE chain_id = '" + chain.chainId() + "' AND sequence = 7");
            statement.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_delete");
            statement.executeUpdate("UPDATE audit_chain_head SET purged_through = 7, anchor_hash = '" + recentHash
                    + "' WHERE chain_id = '" + chain.chainId() + "'");
            owner.commit();
        }
        verify(chain.chainId()).body("valid", equalTo(false)).body("reason", containsString("does not match the last purge record"));
    }

    /** A chain purged through event 6 the legitimate way, which verifies. */
    private ExpiredChain legitimatelyPurged() {
        ExpiredChain chain = ExpiredChain.create(6);
        digests.writeDue(Duration.ZERO, 3);
        retention.purgeExpired();
        assertThat(chain.events()).isEqualTo(1);
        verify(chain.chainId()).body("valid", equalTo(true));
        return chain;
    }

    private static void forgeDigest(Statement statement, ExpiredChain chain, long first, long last, String firstHash,
                                    String lastHash) throws SQLException {
        statement.executeUpdate("""
                INSERT INTO audit_digest (chain_id, digest_sequence, tenant_id, period_start, period_end, event_count,
                    first_sequence, last_sequence, first_event_hash, last_event_hash, previous_digest_hash, digest_hash,
                    key_id, signature, created_at)
                SELECT '%1$s', coalesce(max(digest_sequence), 0) + 1, '%1$s', '2001-01-01T00:00:00Z', '2001-01-02T00:00:00Z',
                    %3$d - %2$d + 1, %2$d, %3$d, '%4$s', '%5$s', repeat('0', 64), repeat('1', 64),
                    (SELECT key_id FROM audit_signing_key WHERE valid_to IS NULL), 'Zm9yZ2Vk', now()
                FROM audit_digest WHERE chain_id = '%1$s'""".formatted(chain.chainId(), first, last, firstHash, lastHash));
    }

    private static ValidatableResponse verify(String chain) {
        return asPlatformAdmin().queryParam("tenantId", chain).get("/api/v1/audit/verify").then().statusCode(200);
    }

    private static Connection appConnection() throws SQLException {
        Connection app = Api.appConnection();
        try (Statement statement = app.createStatement()) {
            Api.scope(app, "*");
        }
        return app;
    }

    private static long single(String sql) {
        try (Connection owner = Api.ownerConnection(); Statement statement = owner.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(String sql) {
        try (Connection owner = Api.ownerConnection(); Statement statement = owner.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
