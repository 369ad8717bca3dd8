package dev.atrium.controlplane.audit.forwarded;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.atrium.controlplane.audit.AuditEntry;
import dev.atrium.controlplane.audit.AuditTrail;
import dev.atrium.controlplane.auth.ActorType;
import dev.atrium.controlplane.auth.Caller;
import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.ProblemType;
import dev.atrium.controlplane.common.BatchReceipt;

/**
 * Appends data-plane mutations to the tenants' audit chains, once per event id: the id is recorded in the same
 * transaction as the append, so a re-shipped batch adds nothing. The forwarding service and its region are kept
 * with each event; the actor is the tenant's API key that did the mutation.
 */
@ApplicationScoped
public class ForwardedAuditEvents {

    @Inject
    DataSource dataSource;

    @Inject
    AuditTrail auditTrail;

    @Transactional
    public BatchReceipt append(ForwardedAuditBatch batch, Caller service) {
        Set<UUID> tenants = new LinkedHashSet<>();
        batch.events().forEach(event -> tenants.add(event.tenantId()));
        if (service.tenantId() != null && !Set.of(service.tenantId()).containsAll(tenants)) {
            throw new ApiException(ProblemType.FORBIDDEN, "this service key may only forward events of tenant " + service.tenantId());
        }
        int accepted = 0;
        try (Connection connection = dataSource.getConnection()) {
            Set<UUID> known = existing(connection, tenants);
            if (!known.containsAll(tenants)) {
                Set<UUID> unknown = new LinkedHashSet<>(tenants);
                unknown.removeAll(known);
                throw new ApiException(ProblemType.UNPROCESSABLE, "events name unknown tenant(s) " + unknown + "; nothing was recorded");
            }
            try (PreparedStatement claim = connection.prepareStatement(
                    "INSERT INTO forwarded_audit_event (id) VALUES (?) ON CONFLICT (id) DO NOTHING")) {
                for (ForwardedAuditEvent event : batch.events()) {
                    claim.setObject(1, event.id());
                    if (claim.executeUpdate() == 0) {
                        continue;
                    }
                    Map<String, Object> after = new LinkedHashMap<>(event.details() == null ? Map.of() : event.details());
                    after.put("occurredAt", event.occurredAt().toString());
                    after.put("forwardedBy", service.actorId());
                    after.put("region", String.valueOf(service.region()));
                    after.put("eventId", event.id().toString());
                    auditTrail.record(AuditEntry.success(event.action()).tenant(event.tenantId())
                            .resource(event.resourceType(), event.resourceId())
                            .actor(event.actorId(), event.actorId().startsWith("apikey:") ? ActorType.API_KEY : ActorType.SERVICE)
                            .after(after));
                    accepted++;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not append forwarded audit events", e);
        }
        return new BatchReceipt(accepted, batch.events().size() - accepted);
    }

    private static Set<UUID> existing(Connection connection, Set<UUID> tenants) throws SQLException {
        Set<UUID> found = new LinkedHashSet<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT id FROM tenant WHERE id = ANY (?)")) {
            query.setArray(1, connection.createArrayOf("uuid", tenants.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    found.add(rows.getObject(1, UUID.class));
                }
            }
        }
        return found;
    }
}
