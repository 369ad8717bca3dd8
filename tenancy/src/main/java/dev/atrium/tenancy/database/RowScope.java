package dev.atrium.tenancy.database;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The row scope of a database transaction, written so that the application's own database role cannot forge or
 * widen it (see the {@code row_scope_tokens} migration of each plane): the scope (tenant ids, or {@link #ALL}), the
 * connection's backend pid and the time, with a MAC under a key that only the schema owner can read. The
 * application reads the key once, as the owner, with the credentials it migrates the schema with.
 */
public final class RowScope {

    /** The setting every row-level security policy reads. */
    public static final String SETTING = "atrium.tenant_scope";
    /** The platform's own cross-tenant work. */
    public static final String ALL = "*";

    private final byte[] key;

    private RowScope(byte[] key) {
        this.key = key.clone();
    }

    /**
     * Reads the scope key as the schema owner; null while the migration that creates it has not run yet (then only
     * the owner, migrating, is connected, and it may set scopes in plain text: {@link #applyPlain}).
     */
    public static RowScope load(String jdbcUrl, String ownerUser, String ownerPassword) {
        try (Connection owner = DriverManager.getConnection(jdbcUrl, ownerUser, ownerPassword);
             PreparedStatement select = owner.prepareStatement(
                     "SELECT key FROM atrium_scope_key WHERE id = 1 AND to_regclass('atrium_scope_key') IS NOT NULL");
             ResultSet row = select.executeQuery()) {
            return row.next() ? new RowScope(row.getBytes(1)) : null;
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) { // undefined table: not migrated yet
                return null;
            }
            throw new IllegalStateException("could not read the row-scope key as the schema owner " + ownerUser, e);
        }
    }

    /** The scope in plain text, which only the schema owner's own sessions honour (before the key exists). */
    public static void applyPlain(Connection connection, String scope, boolean transactionLocal) throws SQLException {
        try (PreparedStatement set = connection.prepareStatement("SELECT set_config('" + SETTING + "', ?, ?)")) {
            set.setString(1, scope);
            set.setBoolean(2, transactionLocal);
            set.execute();
        }
    }

    /** For tests: a scope signer with a known key. */
    static RowScope withKey(byte[] key) {
        return new RowScope(key);
    }

    /** {@code scope|pid|epochSeconds|mac}, with mac = SHA-256(key || SHA-256(key || scope|pid|epochSeconds)) in hex. */
    public String token(String scope, int backendPid, Instant now) {
        if (scope.indexOf('|') >= 0) {
            throw new IllegalArgumentException("a scope never contains '|'");
        }
        String message = scope + "|" + backendPid + "|" + now.getEpochSecond();
        try {
            MessageDigest inner = MessageDigest.getInstance("SHA-256");
            inner.update(key);
            byte[] innerHash = inner.digest(message.getBytes(StandardCharsets.UTF_8));
            MessageDigest outer = MessageDigest.getInstance("SHA-256");
            outer.update(key);
            return message + "|" + HexFormat.of().formatHex(outer.digest(innerHash));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sets the scope on a connection: for the rest of the transaction when one is open ({@code transactionLocal}),
     * otherwise for the session (an auto-commit connection runs each statement in its own transaction).
     */
    public void apply(Connection connection, String scope, int backendPid, boolean transactionLocal) throws SQLException {
        try (PreparedStatement set = connection.prepareStatement("SELECT set_config('" + SETTING + "', ?, ?)")) {
            set.setString(1, token(scope, backendPid, Instant.now()));
            set.setBoolean(2, transactionLocal);
            set.execute();
        }
    }
}
