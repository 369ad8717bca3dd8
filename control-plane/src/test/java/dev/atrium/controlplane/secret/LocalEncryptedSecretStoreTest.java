package dev.atrium.controlplane.secret;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.apiKey;
import static dev.atrium.controlplane.testing.Api.as;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static dev.atrium.controlplane.testing.Api.serviceKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.testing.Api.TestTenant;
import dev.atrium.controlplane.testing.Api;
import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;

@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class LocalEncryptedSecretStoreTest {

    private static final String PEPPER = "api-key-pepper";

    @Inject
    SecretStore store;

    @Inject
    SecretService secretService;

    @Inject
    javax.sql.DataSource dataSource;

    @Test
    void roundTripStoresOnlyCiphertext() throws Exception {
        TestTenant tenant = activeTenant("crypt");
        SecretLocation location = SecretLocation.of(tenant.id(), "round-trip");
        int v1 = QuarkusTransaction.requiringNew().call(() -> store.write(location, "first ✓ value"));
        int v2 = QuarkusTransaction.requiringNew().call(() -> store.write(location, "second value"));
        assertThat(v2).isEqualTo(v1 + 1);
        assertThat(store.read(location, v1)).isEqualTo("first ✓ value");
        assertThat(store.read(location, v2)).isEqualTo("second value");
        byte[] stored = ciphertext(location, v1);
        // nonce (12) + ciphertext (same length as the UTF-8 plaintext) + GCM tag (16)
        assertThat(stored).hasSize(12 + "first ✓ value".getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 16);
        assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("first");
    }

    @Test
    void tamperedCiphertextIsDetected() throws Exception {
        TestTenant tenant = activeTenant("tamper");
        SecretLocation location = SecretLocation.of(tenant.id(), "victim");
        int version = QuarkusTransaction.requiringNew().call(() -> store.write(location, "do not touch"));
        byte[] sealed = ciphertext(location, version);
        sealed[sealed.length - 20] ^= 0x01;
        try (Connection owner = Api.ownerConnection();
             PreparedStatement update = owner.prepareStatement(
                     "UPDATE secret_version SET ciphertext = ? WHERE scope = ? AND name = ? AND version = ?")) {
            update.setBytes(1, sealed);
            update.setString(2, location.scope());
            update.setString(3, location.name());
            update.setInt(4, version);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
        assertThatThrownBy(() -> store.read(location, version))
                .isInstanceOf(SecretStoreException.class).hasMessageContaining("failed authentication");
    }

    @Test
    void anotherTenantsDataKeyCannotDecrypt() throws Exception {
        TestTenant a = activeTenant("key-a");
        TestTenant b = activeTenant("key-b");
        SecretLocation inA = SecretLocation.of(a.id(), "shared-name");
        SecretLocation inB = SecretLocation.of(b.id(), "shared-name");
        int version = QuarkusTransaction.requiringNew().call(() -> store.write(inA, "belongs to A"));
        QuarkusTransaction.requiringNew().call(() -> store.write(inB, "belongs to B"));
        // copy A's ciphertext over B's row: B's data key (and B's place) must not open it
        try (Connection owner = Api.ownerConnection();
             PreparedStatement update = owner.prepareStatement(
                     "UPDATE secret_version SET ciphertext = ? WHERE scope = ? AND name = ? AND version = ?")) {
            update.setBytes(1, ciphertext(inA, version));
            update.setString(2, inB.scope());
            update.setString(3, inB.name());
            update.setInt(4, version);
            update.executeUpdate();
        }
        assertThatThrownBy(() -> store.read(inB, version)).isInstanceOf(SecretStoreException.class);
        assertThat(store.read(inA, version)).isEqualTo("belongs to A");
    }

    @Test
    void masterKeyRotationRewrapsDataKeysWithoutTouchingValues() throws Exception {
        TestTenant tenant = activeTenant("rotmk");
        asPlatformAdmin().body(Map.of("value", "survives rotation")).put(tenant.path() + "/secrets/kept").then().statusCode(201);
        SecretLocation location = SecretLocation.of(tenant.id(), "kept");
        byte[] before = ciphertext(location, 1);
        String oldMasterKeyId = masterKeyIdOf(location.scope());

        String newMasterKeyId = asPlatformAdmin().post("/api/v1/platform/secrets/master-key:rotate").then().statusCode(200)
                .body("previousKeysRetired", equalTo(true)).extract().path("masterKeyId");
        assertThat(newMasterKeyId).isNotEqualTo(oldMasterKeyId);
        assertThat(masterKeyIdOf(location.scope())).isEqualTo(newMasterKeyId);
        assertThat(ciphertext(location, 1)).isEqualTo(before);
        assertThat(store.read(location, 1)).isEqualTo("survives rotation");
        try (Connection owner = Api.ownerConnection(); Statement statement = owner.createStatement();
             ResultSet stale = statement.executeQuery("SELECT count(*) FROM secret_data_key WHERE master_key_id <> '"
                     + newMasterKeyId + "'")) {
            stale.next();
            assertThat(stale.getInt(1)).as("every data key re-wrapped").isZero();
        }
        List<String> ring = Files.readAllLines(Path.of("target", "atrium-test", "secrets-master-keys"));
        assertThat(ring).hasSize(1).allMatch(line -> line.startsWith(newMasterKeyId + ":"));
        assertThat(asPlatformAdmin().queryParam("action", "secret.master-key.rotate").get("/api/v1/audit/events")
                .jsonPath().getList("items.resource.id")).contains(newMasterKeyId);
    }

    @Test
    void aRotationWhoseCommitFailsLosesNoKeyAndALaterRotationSucceeds() throws Exception {
        TestTenant tenant = activeTenant("rotfail");
        asPlatformAdmin().body(Map.of("value", "must survive")).put(tenant.path() + "/secrets/precious").then().statusCode(201);
        SecretLocation location = SecretLocation.of(tenant.id(), "precious");
        String apiKey = apiKey(tenant, "admin");
        String pepper = secretService.readPlatformSecret(PEPPER);
        String oldMasterKeyId = masterKeyIdOf(location.scope());
        Path keyFile = Path.of("target", "atrium-test", "secrets-master-keys");

        // the re-wrap runs, then its commit fails: a deferred trigger raises when the transaction commits
        try (Connection owner = Api.ownerConnection(); Statement statement = owner.createStatement()) {
            statement.execute("""
                    CREATE FUNCTION test_fail_rewrap_commit() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN RAISE EXCEPTION 'commit refused (injected by test)'; END $$""");
            statement.execute("CREATE CONSTRAINT TRIGGER test_fail_rewrap_commit AFTER UPDATE ON secret_data_key "
                    + "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_fail_rewrap_commit()");
        }
        try {
            asPlatformAdmin().post("/api/v1/platform/secrets/master-key:rotate").then().statusCode(500)
                    .body("type", equalTo("https://atrium.dev/problems/internal-error"));
        } finally {
            try (Connection owner = Api.ownerConnection(); Statement statement = owner.createStatement()) {
                statement.execute("DROP TRIGGER test_fail_rewrap_commit ON secret_data_key");
                statement.execute("DROP FUNCTION test_fail_rewrap_commit()");
            }
        }
        assertThat(masterKeyIdOf(location.scope())).as("the re-wrap did not commit").isEqualTo(oldMasterKeyId);
        assertThat(Files.readAllLines(keyFile)).as("the old master key is still in the key file")
                .anyMatch(line -> line.startsWith(oldMasterKeyId + ":"));
        assertThat(store.read(location, 1)).isEqualTo("must survive");
        assertThat(secretService.readPlatformSecret(PEPPER)).isEqualTo(pepper);
        as(apiKey).get(tenant.path()).then().statusCode(200);
        as(apiKey(tenant, "admin")).get(tenant.path()).then().statusCode(200);
        // what a restart would load: the key file alone opens every data key, the pepper's included
        assertEveryDataKeyOpensWith(MasterKeyRing.fromFile(keyFile));
        LocalEncryptedSecretStore restarted = new LocalEncryptedSecretStore(dataSource, MasterKeyRing.fromFile(keyFile));
        assertThat(restarted.read(location, 1)).isEqualTo("must survive");
        assertThat(restarted.read(new SecretLocation(SecretLocation.PLATFORM_SCOPE, PEPPER), platformVersion(PEPPER))).isEqualTo(pepper);

        String newMasterKeyId = asPlatformAdmin().post("/api/v1/platform/secrets/master-key:rotate").then().statusCode(200)
                .body("previousKeysRetired", equalTo(true)).extract().path("masterKeyId");
        assertThat(masterKeyIdOf(location.scope())).isEqualTo(newMasterKeyId);
        assertThat(Files.readAllLines(keyFile)).hasSize(1).allMatch(line -> line.startsWith(newMasterKeyId + ":"));
        assertEveryDataKeyOpensWith(MasterKeyRing.fromFile(keyFile));
        assertThat(store.read(location, 1)).isEqualTo("must survive");
        assertThat(new LocalEncryptedSecretStore(dataSource, MasterKeyRing.fromFile(keyFile))
                .read(new SecretLocation(SecretLocation.PLATFORM_SCOPE, PEPPER), platformVersion(PEPPER))).isEqualTo(pepper);
        as(apiKey).get(tenant.path()).then().statusCode(200);
    }

    @Test
    void environmentRotationRewrapsAtStartWithTheRetiredKeyListed() throws Exception {
        TestTenant tenant = activeTenant("envrot");
        SecretLocation location = SecretLocation.of(tenant.id(), "env-rotated");
        QuarkusTransaction.requiringNew().call(() -> store.write(location, "still readable"));
        LocalEncryptedSecretStore running = (LocalEncryptedSecretStore) store;
        String fileKey = Files.readAllLines(Path.of("target", "atrium-test", "secrets-master-keys")).getFirst().split(":", 2)[1];
        String newKey = java.util.Base64.getEncoder().encodeToString(MasterKeyRing.generate().getEncoded());
        // what a restart with ATRIUM_SECRETS_MASTER_KEY=<new> and ATRIUM_SECRETS_RETIRED_MASTER_KEYS=<old> does
        MasterKeyRing envRing = MasterKeyRing.fromEnvironment(newKey, List.of(fileKey));
        LocalEncryptedSecretStore restarted = new LocalEncryptedSecretStore(
                jakarta.enterprise.inject.spi.CDI.current().select(javax.sql.DataSource.class).get(), envRing);
        try {
            int rewrapped = QuarkusTransaction.requiringNew().call(() -> restarted.rewrapAll(envRing));
            assertThat(rewrapped).isPositive();
            assertThat(masterKeyIdOf(location.scope())).isEqualTo(envRing.currentId());
            assertThat(restarted.read(location, 1)).isEqualTo("still readable");
            MasterKeyRing withoutOld = MasterKeyRing.fromEnvironment(newKey, List.of());
            assertThat(new LocalEncryptedSecretStore(jakarta.enterprise.inject.spi.CDI.current()
                    .select(javax.sql.DataSource.class).get(), withoutOld).read(location, 1)).isEqualTo("still readable");
        } finally {
            // put everything back under the running application's key for the other tests
            MasterKeyRing back = MasterKeyRing.fromEnvironment(fileKey, List.of(newKey));
            QuarkusTransaction.requiringNew().call(() -> running.rewrapAll(back));
        }
        assertThat(store.read(location, 1)).isEqualTo("still readable");
    }

    @Test
    void deletingATenantCryptoShredsItsSecrets() throws Exception {
        TestTenant tenant = activeTenant("shred");
        asPlatformAdmin().body(Map.of("value", "gone forever")).put(tenant.path() + "/secrets/doomed").then().statusCode(201);
        String service = serviceKey("test-eu-1", null);
        as(service).get("/internal/v1/tenants/" + tenant.id() + "/secrets/doomed").then().statusCode(200);
        SecretLocation location = SecretLocation.of(tenant.id(), "doomed");
        // what an attacker kept: a copy of the ciphertext, as a backup or a replica would
        byte[] stolen = ciphertext(location, 1);

        asPlatformAdmin().post(tenant.path() + ":suspend").then().statusCode(200);
        asPlatformAdmin().delete(tenant.path()).then().statusCode(202);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                asPlatformAdmin().get(tenant.path()).then().body("status", equalTo("DELETED")));

        try (Connection owner = Api.ownerConnection(); Statement statement = owner.createStatement()) {
            try (ResultSet key = statement.executeQuery("SELECT count(*) FROM secret_data_key WHERE scope = '" + location.scope() + "'")) {
                key.next();
                assertThat(key.getInt(1)).as("the tenant's data key is destroyed").isZero();
            }
            // no data key that still exists, unwrapped with the master key, opens the stolen ciphertext
            LocalEncryptedSecretStore local = (LocalEncryptedSecretStore) store;
            List<SecretKey> remaining = new ArrayList<>();
            try (ResultSet keys = statement.executeQuery("SELECT scope, master_key_id, wrapped_key FROM secret_data_key")) {
                while (keys.next()) {
                    SecretKey master = local.ring().byId(keys.getString(2)).orElseThrow();
                    remaining.add(new SecretKeySpec(Aead.open(master, keys.getBytes(3),
                            LocalEncryptedSecretStore.keyContext(keys.getString(1), keys.getString(2))), "AES"));
                }
            }
            assertThat(remaining).isNotEmpty();
            for (SecretKey key : remaining) {
                assertThatThrownBy(() -> Aead.open(key, stolen, LocalEncryptedSecretStore.valueContext(location, 1)))
                        .isInstanceOf(SecretStoreException.class);
            }
        }
        assertThatThrownBy(() -> store.read(location, 1)).isInstanceOf(SecretStoreException.class);
        as(service).get("/internal/v1/tenants/" + tenant.id() + "/secrets/doomed").then().statusCode(404);
        assertThat(asPlatformAdmin().queryParam("tenantId", tenant.id()).queryParam("action", "secret.shred")
                .get("/api/v1/audit/events").jsonPath().getList("items.after.destroyedSecrets")).containsExactly(1);
    }

    private static byte[] ciphertext(SecretLocation location, int version) throws Exception {
        try (Connection owner = Api.ownerConnection();
             PreparedStatement select = owner.prepareStatement(
                     "SELECT ciphertext FROM secret_version WHERE scope = ? AND name = ? AND version = ?")) {
            select.setString(1, location.scope());
            select.setString(2, location.name());
            select.setInt(3, version);
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).isTrue();
                return Arrays.copyOf(row.getBytes(1), row.getBytes(1).length);
            }
        }
    }

    private static void assertEveryDataKeyOpensWith(MasterKeyRing ring) throws Exception {
        try (Connection owner = Api.ownerConnection(); Statement statement = owner.createStatement();
             ResultSet keys = statement.executeQuery("SELECT scope, master_key_id, wrapped_key FROM secret_data_key")) {
            int opened = 0;
            while (keys.next()) {
                SecretKey master = ring.byId(keys.getString(2)).orElseThrow(() -> new AssertionError("master key missing"));
                Aead.open(master, keys.getBytes(3), LocalEncryptedSecretStore.keyContext(keys.getString(1), keys.getString(2)));
                opened++;
            }
            assertThat(opened).isPositive();
        }
    }

    private static int platformVersion(String name) throws Exception {
        try (Connection owner = Api.ownerConnection();
             PreparedStatement select = owner.prepareStatement("SELECT current_version FROM secret WHERE scope = ? AND name = ?")) {
            select.setString(1, SecretLocation.PLATFORM_SCOPE);
            select.setString(2, name);
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).isTrue();
                return row.getInt(1);
            }
        }
    }

    private static String masterKeyIdOf(String scope) throws Exception {
        try (Connection owner = Api.ownerConnection();
             PreparedStatement select = owner.prepareStatement("SELECT master_key_id FROM secret_data_key WHERE scope = ?")) {
            select.setString(1, scope);
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).isTrue();
                return row.getString(1);
            }
        }
    }
}
