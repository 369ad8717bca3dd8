package dev.atrium.controlplane.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** One indexed read of a tenant's status, for authorization decisions about users (who span tenants). */
@ApplicationScoped
public class TenantStatusLookup {

    @Inject
    DataSource dataSource;

    /** True when the tenant exists and its deletion has completed. */
    public boolean isDeleted(UUID tenantId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT status FROM tenant WHERE id = ?")) {
            select.setObject(1, tenantId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() && "DELETED".equals(row.getString("status"));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("tenant status lookup failed", e);
        }
    }

    /** True unless the tenant exists and is not ACTIVE (a missing tenant is left to the service's 404). */
    public boolean isActive(UUID tenantId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT status FROM tenant WHERE id = ?")) {
            select.setObject(1, tenantId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return true;
                }
                String status = row.getString("status");
                return "ACTIVE".equals(status) || "PROVISIONING".equals(status);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("tenant status lookup failed", e);
        }
    }
}
