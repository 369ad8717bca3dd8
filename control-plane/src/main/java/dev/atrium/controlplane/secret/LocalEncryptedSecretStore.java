package dev.atrium.controlplane.secret;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

import dev.atrium.controlplane.common.RowMapper;

/**
 * Envelope encryption in PostgreSQL: each scope (tenant) has its own AES-256 data key, stored only wrapped by the
 * master key; values are sealed with AES-256-GCM under the data key, bound to scope, name and version. Rotating
 * the master key re-wraps the data keys and leaves the values untouched; deleting a scope's data key makes its
 * values unrecoverable (crypto-shredding), wherever copies of the ciphertexts went.
 */
public class LocalEncryptedSecretStore implements SecretStore {

    private static final String DATA_KEY_COLUMNS = "scope, master_key_id, wrapped_key";

    /** A scope's data key as stored: wrapped by the master key {@code masterKeyId}. */
    private record WrappedDataKey(String scope, String masterKeyId, byte[] wrappedKey) {
    }

    private static final RowMapper<WrappedDataKey> WRAPPED_DATA_KEY = rows -> new WrappedDataKey(rows.getString("scope"),
            rows.getString("master_key_id"), rows.getBytes("wrapped_key"));

    private final DataSource dataSource;
    private final AtomicReference<MasterKeyRing> ring;

    public LocalEncryptedSecretStore(DataSource dataSource, MasterKeyRing ring) {
        this.dataSource = dataSource;
        this.ring = new AtomicReference<>(ring);
    }

    @Override
    public String backend() {
        return "local";
    }

    @Override
    public int write(SecretLocation location, String value) {
        try (Connection connection = dataSource.getConnection()) {
            SecretKey dataKey = dataKey(connection, location.scope(), true);
            int version;
            try (PreparedStatement next = connection.prepareStatement(
                    "SELECT coalesce(max(version), 0) + 1 AS next_version FROM secret_version WHERE scope = ? AND name = ?")) {
                next.setString(1, location.scope());
                next.setString(2, location.name());
                try (ResultSet row = next.executeQuery()) {
                    row.next();
                    version = row.getInt("next_version");
                }
            }
            byte[] sealed = Aead.seal(dataKey, value.getBytes(StandardCharsets.UTF_8), valueContext(location, version));
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO secret_version (scope, name, version, ciphertext, created_at) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, location.scope());
                insert.setString(2, location.name());
                insert.setInt(3, version);
                insert.setBytes(4, sealed);
                insert.setTimestamp(5, Timestamp.from(Instant.now()));
                insert.executeUpdate();
            }
            return version;
        } catch (SQLException e) {
            throw new SecretStoreException("could not store the secret", e);
        }
    }

    @Override
    public boolean transactional() {
        return true;
    }

    @Override
    public void discard(SecretLocation location, int version) {
        update("DELETE FROM secret_version WHERE scope = ? AND name = ? AND version = CAST(? AS integer)", location.scope(), location.name(),
                String.valueOf(version));
    }

    @Override
    public String read(SecretLocation location, int version) {
        try (Connection connection = dataSource.getConnection()) {
            byte[] sealed;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT ciphertext FROM secret_version WHERE scope = ? AND name = ? AND version = ?")) {
                select.setString(1, location.scope());
                select.setString(2, location.name());
                select.setInt(3, version);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        throw new SecretStoreException("no stored value for " + location.name() + " version " + version);
                    }
                    sealed = row.getBytes("ciphertext");
                }
            }
            SecretKey dataKey = dataKey(connection, location.scope(), false);
            return new String(Aead.open(dataKey, sealed, valueContext(location, version)), StandardCharsets.UTF_8);
        } catch (SQLException e) {
            throw new SecretStoreException("could not read the secret", e);
        }
    }

    @Override
    public void softDelete(SecretLocation location, int upToVersion) {
        // the metadata marks the secret deleted; ciphertexts stay until destroy, like Vault's soft delete
    }

    @Override
    public void destroy(SecretLocation location) {
        update("DELETE FROM secret_version WHERE scope = ? AND name = ?", location.scope(), location.name());
    }

    @Override
    public void destroyScope(String scope, Collection<String> names) {
        update("DELETE FROM secret_data_key WHERE scope = ?", scope);
        update("DELETE FROM secret_version WHERE scope = ?", scope);
    }

    /**
     * Rotation, first part, inside the caller's transaction: a new current key goes in front of the key file (the
     * old keys stay in it) and every data key is re-wrapped. The old keys are dropped only by
     * {@link #retireOldMasterKeys()}, once the re-wrap has committed: until then they are the only keys that open
     * the committed data keys.
     */
    @Override
    public MasterKeyRotation rotateMasterKey() {
        MasterKeyRing rotated = ring.get().withNewCurrentKey();
        ring.set(rotated);
        int rewrapped = rewrapAll(rotated);
        return new MasterKeyRotation(rotated.currentId(), rewrapped, false);
    }

    /**
     * Rotation, last part, after the re-wrap committed (and at start): forgets the retired master keys, in memory
     * and in the key file, but only when every data key in the database is wrapped by the current key and opens
     * with it. Otherwise (a data key created under an old key while the rotation ran, a re-wrap that did not
     * commit) nothing is forgotten and the next start or rotation re-wraps. Must see every scope (platform scope).
     *
     * @return whether no retired key is left
     */
    public synchronized boolean retireOldMasterKeys() {
        MasterKeyRing keys = ring.get();
        if (!keys.hasRetiredKeys()) {
            return true;
        }
        int verified = 0;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT " + DATA_KEY_COLUMNS + " FROM secret_data_key");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                WrappedDataKey stored = WRAPPED_DATA_KEY.map(rows);
                if (!keys.currentId().equals(stored.masterKeyId())) {
                    return false;
                }
                Aead.open(keys.current(), stored.wrappedKey(), keyContext(stored.scope(), keys.currentId()));
                verified++;
            }
        } catch (SQLException | SecretStoreException e) {
            return false;
        }
        if (verified == 0) {
            // every installation has the platform's data key: seeing none means this connection cannot see them all
            return false;
        }
        ring.set(keys.withoutRetiredKeys());
        return true;
    }

    /** Re-wraps every data key not yet wrapped by the current master key (also used at start after an env rotation). */
    public int rewrapAll(MasterKeyRing keys) {
        int rewrapped = 0;
        try (Connection connection = dataSource.getConnection()) {
            List<WrappedDataKey> stale = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + DATA_KEY_COLUMNS + " FROM secret_data_key WHERE master_key_id <> ? FOR UPDATE")) {
                select.setString(1, keys.currentId());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        stale.add(WRAPPED_DATA_KEY.map(rows));
                    }
                }
            }
            for (WrappedDataKey row : stale) {
                SecretKey oldMaster = keys.byId(row.masterKeyId()).orElseThrow(() -> new SecretStoreException(
                        "data key of scope " + row.scope() + " is wrapped by unknown master key " + row.masterKeyId()));
                byte[] dataKey = Aead.open(oldMaster, row.wrappedKey(), keyContext(row.scope(), row.masterKeyId()));
                byte[] rewrappedKey = Aead.seal(keys.current(), dataKey, keyContext(row.scope(), keys.currentId()));
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE secret_data_key SET master_key_id = ?, wrapped_key = ?, rewrapped_at = ? WHERE scope = ?")) {
                    update.setString(1, keys.currentId());
                    update.setBytes(2, rewrappedKey);
                    update.setTimestamp(3, Timestamp.from(Instant.now()));
                    update.setString(4, row.scope());
                    update.executeUpdate();
                }
                rewrapped++;
            }
            return rewrapped;
        } catch (SQLException e) {
            throw new SecretStoreException("could not re-wrap data keys", e);
        }
    }

    public MasterKeyRing ring() {
        return ring.get();
    }

    private SecretKey dataKey(Connection connection, String scope, boolean createIfMissing) throws SQLException {
        MasterKeyRing keys = ring.get();
        if (createIfMissing) {
            byte[] fresh = MasterKeyRing.generate().getEncoded();
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO secret_data_key (scope, master_key_id, wrapped_key, created_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (scope) DO NOTHING""")) {
                insert.setString(1, scope);
                insert.setString(2, keys.currentId());
                insert.setBytes(3, Aead.seal(keys.current(), fresh, keyContext(scope, keys.currentId())));
                insert.setTimestamp(4, Timestamp.from(Instant.now()));
                insert.executeUpdate();
            }
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + DATA_KEY_COLUMNS + " FROM secret_data_key WHERE scope = ?")) {
            select.setString(1, scope);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new SecretStoreException("scope " + scope + " has no data key (destroyed?)");
                }
                WrappedDataKey stored = WRAPPED_DATA_KEY.map(row);
                SecretKey master = keys.byId(stored.masterKeyId()).orElseThrow(() ->
                        new SecretStoreException("data key is wrapped by unknown master key " + stored.masterKeyId()));
                return new SecretKeySpec(Aead.open(master, stored.wrappedKey(), keyContext(scope, stored.masterKeyId())), "AES");
            }
        }
    }

    private void update(String sql, String... args) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setString(i + 1, args[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new SecretStoreException("secret store update failed", e);
        }
    }

    static String valueContext(SecretLocation location, int version) {
        return "atrium-secret|" + location.scope() + "|" + location.name() + "|" + version;
    }

    static String keyContext(String scope, String masterKeyId) {
        return "atrium-data-key|" + scope + "|" + masterKeyId;
    }
}
