package dev.atrium.controlplane.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import jakarta.inject.Inject;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;

/**
 * A value written to Vault inside a transaction that then fails (the audit write, say) is destroyed; one whose
 * transaction commits stays. Vault is the KV v2 SIMULATION; the transaction manager is the application's real one.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class OrphanedVersionsTest {

    private static final String TOKEN = "hvs.orphans";

    @Inject
    OrphanedVersions orphans;

    private VaultKvV2Simulation vault;
    private VaultSecretStore store;

    @BeforeEach
    void start() throws Exception {
        vault = new VaultKvV2Simulation("secret", TOKEN, "role", "secret");
        store = new VaultSecretStore(vault.address(), null, "secret", "atrium", TOKEN, null);
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    @Test
    void aVersionWrittenInARolledBackTransactionIsDestroyed() {
        SecretLocation location = SecretLocation.of(UUID.randomUUID(), "upstream-key");
        store.write(location, "kept");
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            int version = store.write(location, "orphan");
            orphans.discardUnlessCommitted(store, location, version);
            throw new IllegalStateException("the audit write failed (injected by test)");
        })).hasMessageContaining("injected by test");
        assertThat(store.read(location, 1)).isEqualTo("kept");
        assertThatThrownBy(() -> store.read(location, 2)).isInstanceOf(SecretStoreException.class);
        assertThat(vault.stored(null, "atrium/tenants/" + location.scope() + "/upstream-key").get(1).path("data").isNull()).isTrue();

        QuarkusTransaction.requiringNew().run(() -> {
            int version = store.write(location, "committed");
            orphans.discardUnlessCommitted(store, location, version);
        });
        assertThat(store.read(location, 3)).isEqualTo("committed");
    }
}
