package dev.atrium.controlplane.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalPoolInterceptor;

/** Stamps every pooled connection with the current {@link TenantScope} when it is handed out, and clears it on return. */
@ApplicationScoped
public class TenantScopeConnectionInterceptor implements AgroalPoolInterceptor {

    @Override
    public void onConnectionAcquire(Connection connection) {
        set(connection, TenantScope.current());
    }

    @Override
    public void onConnectionReturn(Connection connection) {
        set(connection, "");
    }

    private static void set(Connection connection, String scope) {
        try (PreparedStatement statement = connection.prepareStatement("SELECT set_config('atrium.tenant_scope', ?, false)")) {
            statement.setString(1, scope);
            statement.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("could not set the tenant scope on a database connection", e);
        }
    }
}
