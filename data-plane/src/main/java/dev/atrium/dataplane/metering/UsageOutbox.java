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

import dev.atrium.dataplane.storage.TenantDatabase;

/**
 * Writes usage events into the outbox table. Called with the connection of the work being metered, the event
 * commits or rolls back with that work; {@link UsageShipper} delivers it later.
 */
@ApplicationScoped
public class UsageOutbox {

    @Inject
    ObjectMapper json;

    @Inject
    TenantDatabase database;

    /** Records usage inside the caller's transaction. */
    public UUID record(Connection connection, Usage usage) throws SQLException {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", id);
        event.put("tenantId", usage.tenantId());
        event.put("apiKeyId", usage.apiKeyId());
        event.put("operation", usage.operation());
        event.put("model", usage.model());
        event.put("occurredAt", now.toString());
        event.put("requests", 1);
        event.put("inputTokens", usage.inputTokens());
        event.put("outputTokens", usage.outputTokens());
        event.put("embeddingTokens", usage.embeddingTokens());
        event.put("chunksStored", usage.chunksStored());
        event.put("gpuSeconds", 0.0);
        event.put("guardrails", usage.guardrails());
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO usage_outbox (id, tenant_id, event, created_at) VALUES (?, ?, CAST(? AS jsonb), ?)")) {
            insert.setObject(1, id);
            insert.setObject(2, usage.tenantId());
            insert.setString(3, json.writeValueAsString(event));
            insert.setTimestamp(4, Timestamp.from(now));
            insert.executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return id;
    }

    /** Records usage for work that has no transaction of its own (a proxied model call). */
    public UUID record(Usage usage) {
        return database.inTenant(usage.tenantId(), connection -> record(connection, usage));
    }
}
