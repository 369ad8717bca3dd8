package dev.atrium.controlplane.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.ProblemType;
import dev.atrium.controlplane.identity.Caller;

/**
 * The tenant checks every batch a data plane sends (usage, audit events) must pass before anything is recorded:
 * every tenant named must be covered by the service's binding, and must exist.
 */
@ApplicationScoped
public class ServiceBatchTenants {

    @Inject
    DataSource dataSource;

    @Inject
    ServiceCoverage coverage;

    public void check(Caller service, Collection<UUID> named) {
        Set<UUID> tenants = new LinkedHashSet<>(named);
        List<UUID> outside = tenants.stream().filter(tenant -> !coverage.mayReportFor(service.service(), tenant)).toList();
        if (!outside.isEmpty()) {
            throw new ApiException(ProblemType.FORBIDDEN, "this service identity may only report events of "
                    + service.service().describe() + "; the batch names " + outside + " and nothing was recorded");
        }
        Set<UUID> unknown = new LinkedHashSet<>(tenants);
        unknown.removeAll(existing(tenants));
        if (!unknown.isEmpty()) {
            throw new ApiException(ProblemType.UNPROCESSABLE, "events name unknown tenant(s) " + unknown + "; nothing was recorded");
        }
    }

    private Set<UUID> existing(Set<UUID> tenants) {
        Set<UUID> found = new LinkedHashSet<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT id FROM tenant WHERE id = ANY (?)")) {
            query.setArray(1, connection.createArrayOf("uuid", tenants.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    found.add(rows.getObject("id", UUID.class));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("tenant lookup failed", e);
        }
        return found;
    }
}
