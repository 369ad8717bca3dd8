package dev.atrium.controlplane.secret;

import java.util.Collection;

/**
 * Port to where secret values live. Values go in and come out only through here; names, versions and history
 * are kept by {@link SecretService} for every backend. Implementations: {@link LocalEncryptedSecretStore}
 * (default, envelope encryption in PostgreSQL) and {@link VaultSecretStore} (HashiCorp Vault KV v2).
 */
public interface SecretStore {

    /**
     * Stores {@code value} as the next version and returns the version number. A {@link #transactional()} store
     * joins the caller's transaction; any other keeps the version even if the caller's transaction then rolls back,
     * so the caller {@link #discard}s it.
     */
    int write(SecretLocation location, String value);

    /** Whether writes commit or roll back with the caller's database transaction. */
    boolean transactional();

    /** Removes one version for good (a write whose transaction rolled back). */
    void discard(SecretLocation location, int version);

    /** Returns one version's value. */
    String read(SecretLocation location, int version);

    /** Marks versions 1..{@code upToVersion} deleted; the backend may keep them for recovery. */
    void softDelete(SecretLocation location, int upToVersion);

    /** Removes every version permanently. */
    void destroy(SecretLocation location);

    /** Removes a whole scope (a deleted tenant) so that none of its values can ever be recovered. */
    void destroyScope(String scope, Collection<String> names);

    /**
     * Re-wraps stored data keys under a new master key, joining the caller's transaction; returns the new key id and
     * how many were re-wrapped. The previous master keys are kept: they are retired only after the commit.
     */
    MasterKeyRotation rotateMasterKey();

    String backend();

    /** @param previousKeysRetired whether the old master keys are gone (only after the re-wrap committed and verified) */
    record MasterKeyRotation(String masterKeyId, int rewrappedDataKeys, boolean previousKeysRetired) {
        public MasterKeyRotation withPreviousKeysRetired(boolean retired) {
            return new MasterKeyRotation(masterKeyId, rewrappedDataKeys, retired);
        }
    }
}
