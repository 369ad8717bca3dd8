package dev.atrium.controlplane.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Vault adapter, driven through the real jopenlibs Vault client against {@link VaultKvV2Simulation}, an HTTP
 * SIMULATION of Vault's documented KV v2 API (no Vault server can run here; docs/runbooks/vault.md repeats these
 * checks against a real `vault server -dev`).
 */
class VaultSecretStoreTest {

    private static final String ROOT_TOKEN = "hvs.root-token-for-simulation";
    private VaultKvV2Simulation vault;
    private final UUID tenant = UUID.randomUUID();

    @BeforeEach
    void start() throws Exception {
        vault = new VaultKvV2Simulation("secret", ROOT_TOKEN, "role-id-1", "secret-id-1");
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    @Test
    void writesAndReadsVersionsUnderTheTenantsPath() {
        VaultSecretStore store = new VaultSecretStore(vault.address(), null, "secret", "atrium", ROOT_TOKEN, null);
        SecretLocation location = SecretLocation.of(tenant, "openai-key");
        assertThat(store.write(location, "first")).isEqualTo(1);
        assertThat(store.write(location, "second")).isEqualTo(2);
        assertThat(store.read(location, 1)).isEqualTo("first");
        assertThat(store.read(location, 2)).isEqualTo("second");

        String logical = "atrium/tenants/" + tenant + "/openai-key";
        assertThat(vault.stored(null, logical)).hasSize(2);
        assertThat(vault.requests()).extracting(VaultKvV2Simulation.Recorded::path)
                .contains("secret/data/" + logical)
                .allMatch(p -> p.startsWith("secret/data/atrium/tenants/" + tenant + "/"));
        assertThat(vault.requests()).extracting(VaultKvV2Simulation.Recorded::token).containsOnly(ROOT_TOKEN);
        assertThat(store.path(new SecretLocation(SecretLocation.PLATFORM_SCOPE, "api-key-pepper")))
                .isEqualTo("secret/atrium/platform/api-key-pepper");
    }

    @Test
    void softDeleteHidesVersionsAndDestroyRemovesEverything() {
        VaultSecretStore store = new VaultSecretStore(vault.address(), null, "secret", "atrium", ROOT_TOKEN, null);
        SecretLocation location = SecretLocation.of(tenant, "webhook");
        store.write(location, "v1");
        store.write(location, "v2");
        store.softDelete(location, 2);
        assertThatThrownBy(() -> store.read(location, 2)).isInstanceOf(SecretStoreException.class)
                .hasMessageContaining("404");
        assertThat(vault.stored(null, "atrium/tenants/" + tenant + "/webhook")).hasSize(2);
        assertThat(vault.requests()).anyMatch(r -> r.method().equals("POST")
                && r.path().equals("secret/delete/atrium/tenants/" + tenant + "/webhook"));

        store.destroy(location);
        assertThat(vault.stored(null, "atrium/tenants/" + tenant + "/webhook")).isEmpty();
        assertThat(vault.requests()).anyMatch(r -> r.method().equals("DELETE")
                && r.path().equals("secret/metadata/atrium/tenants/" + tenant + "/webhook"));
    }

    @Test
    void destroyingATenantRemovesEachOfItsSecrets() {
        VaultSecretStore store = new VaultSecretStore(vault.address(), null, "secret", "atrium", ROOT_TOKEN, null);
        store.write(SecretLocation.of(tenant, "a"), "1");
        store.write(SecretLocation.of(tenant, "b"), "2");
        UUID other = UUID.randomUUID();
        store.write(SecretLocation.of(other, "a"), "keep");
        store.destroyScope(tenant.toString(), List.of("a", "b"));
        assertThat(vault.stored(null, "atrium/tenants/" + tenant + "/a")).isEmpty();
        assertThat(vault.stored(null, "atrium/tenants/" + tenant + "/b")).isEmpty();
        assertThat(store.read(SecretLocation.of(other, "a"), 1)).isEqualTo("keep");
    }

    @Test
    void namespacesAndMountsAreHonoured() {
        VaultSecretStore store = new VaultSecretStore(vault.address(), "team-ai", "secret", "atrium", ROOT_TOKEN, null);
        SecretLocation location = SecretLocation.of(tenant, "ns-secret");
        store.write(location, "in namespace");
        assertThat(vault.requests()).extracting(VaultKvV2Simulation.Recorded::namespace).containsOnly("team-ai");
        assertThat(vault.stored("team-ai", "atrium/tenants/" + tenant + "/ns-secret")).hasSize(1);
        assertThat(vault.stored(null, "atrium/tenants/" + tenant + "/ns-secret")).isEmpty();

        VaultSecretStore otherNamespace = new VaultSecretStore(vault.address(), "other", "secret", "atrium", ROOT_TOKEN, null);
        assertThatThrownBy(() -> otherNamespace.read(location, 1)).isInstanceOf(SecretStoreException.class);
    }

    @Test
    void appRoleLogsInAndLogsInAgainWhenTheTokenIsRevoked() {
        VaultSecretStore store = new VaultSecretStore(vault.address(), null, "secret", "atrium", null,
                new VaultSecretStore.AppRole("approle", "role-id-1", "secret-id-1"));
        SecretLocation location = SecretLocation.of(tenant, "via-approle");
        store.write(location, "hello");
        vault.revokeAllTokens();
        assertThat(store.read(location, 1)).isEqualTo("hello");
        assertThat(vault.requests().stream().filter(r -> r.path().equals("auth/approle/login")).count()).isEqualTo(2);
        assertThat(vault.requests()).filteredOn(r -> r.path().startsWith("secret/"))
                .extracting(VaultKvV2Simulation.Recorded::token).allMatch(t -> t.startsWith("hvs."));
    }

    @Test
    void wrongCredentialsFailClearlyWithoutEchoingThem() {
        assertThatThrownBy(() -> new VaultSecretStore(vault.address(), null, "secret", "atrium", null,
                new VaultSecretStore.AppRole("approle", "role-id-1", "wrong-secret-id")))
                .isInstanceOf(SecretStoreException.class)
                .hasMessageContaining("cannot authenticate to Vault")
                .hasMessageNotContaining("wrong-secret-id");
        VaultSecretStore badToken = new VaultSecretStore(vault.address(), null, "secret", "atrium", "hvs.nope", null);
        assertThatThrownBy(() -> badToken.write(SecretLocation.of(tenant, "x"), "value"))
                .isInstanceOf(SecretStoreException.class).hasMessageContaining("403")
                .hasMessageNotContaining("hvs.nope");
        assertThat(vault.versionCounts()).isEmpty();
        assertThat(new VaultSecretStore.AppRole("approle", "role-id-1", "s3cret-id").toString())
                .contains("role-id-1").doesNotContain("s3cret-id");
    }

    @Test
    void masterKeyRotationIsVaultsJob() {
        VaultSecretStore store = new VaultSecretStore(vault.address(), null, "secret", "atrium", ROOT_TOKEN, null);
        assertThatThrownBy(store::rotateMasterKey).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("vault operator rotate");
    }
}
