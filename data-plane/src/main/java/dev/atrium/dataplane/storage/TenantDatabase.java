package dev.atrium.dataplane.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Transactions bound to one tenant: each sets {@code atrium.tenant_id} for its own duration, so row-level
 * security shows and accepts only that tenant's rows, whatever the SQL inside says.
 */
@ApplicationScoped
public class TenantDatabase {

    private static final String PLATFORM = "*";

    @Inject
    DataSource dataSource;

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
                try (PreparedStatement set = connection.prepareStatement("SELECT set_config('atrium.tenant_id', ?, true)")) {
                    set.setString(1, scope);
                    set.execute();
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

    /** A database failure: not the caller's fault, reported as an internal error. */
    public static final class StorageException extends RuntimeException {
        StorageException(SQLException cause) {
            super("database operation failed: " + cause.getMessage(), cause);
        }
    }
}
