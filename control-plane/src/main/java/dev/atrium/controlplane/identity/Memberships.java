package dev.atrium.controlplane.identity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.atrium.tenancy.Role;

/**
 * A person's tenants and roles, read from Atrium's own membership table at every authentication (one indexed
 * query): the identity provider says who someone is, Atrium says what they may do, so a removal or role change
 * takes effect on the next request rather than when the token expires.
 */
@ApplicationScoped
public class Memberships {

    @Inject
    DataSource dataSource;

    /** A membership row: the tenant and the role as stored. */
    private record Membership(UUID tenantId, String role) {
    }

    private static Membership membership(ResultSet rows) throws SQLException {
        return new Membership(rows.getObject("tenant_id", UUID.class), rows.getString("role"));
    }

    public Map<UUID, Set<Role>> of(String userId) {
        Map<UUID, Set<Role>> memberships = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT m.tenant_id, m.role FROM tenant_member m JOIN tenant t ON t.id = m.tenant_id "
                             + "WHERE m.user_id = ? AND t.status <> 'DELETED'")) {
            query.setString(1, userId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    Membership membership = membership(rows);
                    Role.fromValue(membership.role()).filter(role -> !role.isPlatformWide()).ifPresent(role ->
                            memberships.computeIfAbsent(membership.tenantId(), t -> EnumSet.noneOf(Role.class)).add(role));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("membership lookup failed", e);
        }
        return Map.copyOf(memberships);
    }
}
