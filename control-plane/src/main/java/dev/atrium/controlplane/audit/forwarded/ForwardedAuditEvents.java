package dev.atrium.controlplane.audit.forwarded;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.atrium.contract.AuditEventBatch;
import dev.atrium.contract.BatchReceipt;
import dev.atrium.contract.ForwardedAuditEvent;
import dev.atrium.controlplane.auth.ServiceBatchTenants;
import dev.atrium.controlplane.identity.ActorType;
import dev.atrium.controlplane.identity.Caller;
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditTrail;

/**
 * Appends data-plane mutations to the tenants' audit chains, once per event id: the id is recorded in the same
 * transaction as the append, so a re-shipped batch adds nothing. The forwarding service and its region are kept
 * with each event; the actor is the tenant's API key or the person that did the mutation.
 */
@ApplicationScoped
public class ForwardedAuditEvents {

    @Inject
    DataSource dataSource;

    @Inject
    AuditTrail auditTrail;

    @Inject
    ServiceBatchTenants batchTenants;

    @Transactional
    public BatchReceipt append(AuditEventBatch batch, Caller service) {
        batchTenants.check(service, batch.events().stream().map(ForwardedAuditEvent::tenantId).toList());
        int accepted = 0;
        try (Connection connection = dataSource.getConnection()) {
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
                            .actor(event.actorId(), actorType(event.actorId()))
                            .after(after));
                    accepted++;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not append forwarded audit events", e);
        }
        return new BatchReceipt(accepted, batch.events().size() - accepted);
    }

    private static ActorType actorType(String actorId) {
        if (actorId.startsWith("apikey:")) {
            return ActorType.API_KEY;
        }
        return actorId.startsWith("user:") ? ActorType.USER : ActorType.SERVICE;
    }
}
