package dev.atrium.dataplane.metering;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.atrium.contract.ForwardedAuditEvent;
import dev.atrium.dataplane.auth.TenantPrincipal;

/**
 * Records tenant mutations done by this data plane, in the transaction of the mutation; {@link OutboxShipper}
 * forwards them to the control plane, which appends them to the tenant's tamper-evident audit chain. So a mutation
 * that commits is always audited, and one that rolls back never is.
 */
@ApplicationScoped
public class AuditOutbox {

    @Inject
    ObjectMapper json;

    /** Records an audit event in the caller's transaction; returns its id. */
    public UUID record(Connection connection, TenantPrincipal actor, String action, String resourceType, Object resourceId,
                       Map<String, ?> details) throws SQLException {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        ForwardedAuditEvent event = new ForwardedAuditEvent(id, actor.tenantId(),
                actor.actorId() == null ? "system:data-plane" : actor.actorId(), action, resourceType,
                String.valueOf(resourceId), now, details == null ? null : new LinkedHashMap<>(details));
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO audit_outbox (id, tenant_id, event, created_at) VALUES (?, ?, CAST(? AS jsonb), ?)")) {
            insert.setObject(1, id);
            insert.setObject(2, actor.tenantId());
            insert.setString(3, json.writeValueAsString(event));
            insert.setTimestamp(4, Timestamp.from(now));
            insert.executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return id;
    }
}
