package dev.atrium.controlplane.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalPoolInterceptor;

/**
 * Stamps every pooled connection with the current {@link TenantScope} whenever it is handed out. The value a
 * physical connection already carries is remembered, so the common case (same scope as last time) costs no round
 * trip; every hand-out still sets the scope it needs, so nothing is inherited from the previous borrower.
 */
@ApplicationScoped
public class TenantScopeConnectionInterceptor implements AgroalPoolInterceptor {

    private final Map<Object, String> applied = Collections.synchronizedMap(new WeakHashMap<>());

    @Override
    public void onConnectionAcquire(Connection connection) {
        String scope = TenantScope.current();
        Object physical = physical(connection);
        if (scope.equals(applied.get(physical))) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT set_config('atrium.tenant_scope', ?, false)")) {
            statement.setString(1, scope);
            statement.execute();
            applied.put(physical, scope);
        } catch (SQLException e) {
            applied.remove(physical);
            throw new IllegalStateException("could not set the tenant scope on a database connection", e);
        }
    }

    @Override
    public void onConnectionDestroy(Connection connection) {
        applied.remove(physical(connection));
    }

    private static Object physical(Connection connection) {
        try {
            return connection.unwrap(org.postgresql.PGConnection.class);
        } catch (SQLException e) {
            return connection;
        }
    }
}
