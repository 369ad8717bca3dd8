package dev.atrium.controlplane.secret;

import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.atrium.controlplane.common.AtriumConfig;

/** Chooses the secret backend from {@code atrium.secrets.backend}. */
@ApplicationScoped
public class SecretStoreProducer {

    static final String MASTER_KEY_FILE = "secrets-master-keys";

    // @Singleton, not @ApplicationScoped: callers may check for the local store's extra operations (no client proxy)
    @Produces
    @Singleton
    SecretStore secretStore(AtriumConfig config, DataSource dataSource) {
        AtriumConfig.Secrets secrets = config.secrets();
        return switch (secrets.backend()) {
            case "local" -> new LocalEncryptedSecretStore(dataSource, secrets.masterKey()
                    .map(key -> MasterKeyRing.fromEnvironment(key, secrets.retiredMasterKeys().orElse(List.of())))
                    .orElseGet(() -> MasterKeyRing.fromFile(Path.of(config.dataDir(), MASTER_KEY_FILE))));
            case "vault" -> vault(secrets.vault());
            default -> throw new IllegalStateException("atrium.secrets.backend must be 'local' or 'vault', not '"
                    + secrets.backend() + "'");
        };
    }

    private static VaultSecretStore vault(AtriumConfig.Secrets.Vault vault) {
        String address = vault.address().orElseThrow(() ->
                new IllegalStateException("atrium.secrets.vault.address (ATRIUM_SECRETS_VAULT_ADDRESS) is required"));
        VaultSecretStore.AppRole appRole = vault.approleRoleId()
                .map(roleId -> new VaultSecretStore.AppRole(vault.approlePath(), roleId, vault.approleSecretId()
                        .orElseThrow(() -> new IllegalStateException("atrium.secrets.vault.approle-secret-id is required"))))
                .orElse(null);
        if (appRole == null && vault.token().isEmpty()) {
            throw new IllegalStateException("Vault needs atrium.secrets.vault.token or an AppRole (approle-role-id, approle-secret-id)");
        }
        return new VaultSecretStore(address, vault.namespace().orElse(null), vault.mount(), vault.pathPrefix(),
                vault.token().orElse(null), appRole);
    }
}
