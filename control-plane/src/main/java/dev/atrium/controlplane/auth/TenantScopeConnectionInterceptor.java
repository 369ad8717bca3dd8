package dev.atrium.controlplane.auth;

import java.sql.Connection;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalPoolInterceptor;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.postgresql.PGConnection;

import dev.atrium.controlplane.identity.TenantScope;
import dev.atrium.tenancy.database.RowScope;

/**
 * Writes the current {@link TenantScope} into every connection handed out by the pool, as a token the application's
 * database role cannot forge ({@link RowScope}). Inside a transaction (the common case: the pool enlists the
 * connection before this runs) the setting is transaction-local, so a rollback can never leave a connection with a
 * scope nobody set for it; an auto-commit connection gets it for the session, written again on every hand-out.
 */
@ApplicationScoped
public class TenantScopeConnectionInterceptor implements AgroalPoolInterceptor {

    private volatile RowScope rowScope;

    @Override
    public void onConnectionAcquire(Connection connection) {
        try {
            RowScope signer = rowScope();
            if (signer == null) {
                RowScope.applyPlain(connection, TenantScope.current(), !connection.getAutoCommit());
            } else {
                signer.apply(connection, TenantScope.current(), connection.unwrap(PGConnection.class).getBackendPID(),
                        !connection.getAutoCommit());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not set the tenant scope on a database connection", e);
        }
    }

    /**
     * An auto-commit hand-out carried its scope for the session: clear it before the connection goes back to the pool,
     * so no pooled connection holds a valid token (least of all the platform's) for whoever borrows it next.
     */
    @Override
    public void onConnectionReturn(Connection connection) {
        try (java.sql.Statement reset = connection.createStatement()) {
            if (connection.getAutoCommit()) {
                reset.execute("SELECT set_config('atrium.tenant_scope', '', false)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not clear the tenant scope of a database connection", e);
        }
    }

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
}
