package dev.atrium.dataplane.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.postgresql.PGConnection;

import dev.atrium.tenancy.database.RowScope;

/**
 * Transactions bound to one tenant: each sets the row scope for its own duration, so row-level security shows and
 * accepts only that tenant's rows, whatever the SQL inside says. The scope is a token the application's database
 * role cannot forge ({@link RowScope}), so SQL injected into one tenant's transaction cannot widen it.
 */
@ApplicationScoped
public class TenantDatabase {

    private static final String PLATFORM = RowScope.ALL;

    @Inject
    DataSource dataSource;

    private volatile RowScope rowScope;

    /** Work done in one transaction on one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    public <T> T inTenant(UUID tenantId, Work<T> work) {
        return transaction(tenantId.toString(), work);
    }

    /** For platform work that must cross tenants (shipping the usage outbox, rebuilding indexes at start). */
    public <T> T asPlatform(Work<T> work) {
        return transaction(PLATFORM, work);
    }

    private <T> T transaction(String scope, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                RowScope signer = rowScope();
                if (signer == null) {
                    RowScope.applyPlain(connection, scope, true);
                } else {
                    signer.apply(connection, scope, connection.unwrap(PGConnection.class).getBackendPID(), true);
                }
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StorageException(e);
        }
    }

    /** The key, read once as the schema owner (the credentials the schema is migrated with). */
    private RowScope rowScope() {
        RowScope scope = rowScope;
        if (scope == null) {
            synchronized (this) {
                if (rowScope == null) {
                    Config config = ConfigProvider.getConfig();
                    String url = config.getValue("quarkus.datasource.jdbc.url", String.class);
                    String user = config.getOptionalValue("quarkus.flyway.username", String.class)
                            .orElseGet(() -> config.getValue("quarkus.datasource.username", String.class));
                    String password = config.getOptionalValue("quarkus.flyway.password", String.class)
                            .orElseGet(() -> config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
                    rowScope = RowScope.load(url, user, password);
                }
                scope = rowScope;
            }
        }
        return scope;
    }

    /** A database failure: not the caller's fault, reported as an internal error. */
    public static final class StorageException extends RuntimeException {
        StorageException(SQLException cause) {
            super("database operation failed: " + cause.getMessage(), cause);
        }
    }
}
