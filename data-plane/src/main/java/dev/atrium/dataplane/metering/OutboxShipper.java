package dev.atrium.dataplane.metering;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

import dev.atrium.dataplane.auth.ControlPlaneClient;
import dev.atrium.dataplane.common.DataPlaneConfig;
import dev.atrium.dataplane.storage.TenantDatabase;

/**
 * Ships the outboxes to the control plane in batches, oldest first: usage events to its ledger, audit events to
 * the tenants' audit chains. An event is marked shipped only after the control plane acknowledged it; if the
 * process dies in between, the next run sends the batch again and the control plane, which deduplicates by event
 * id, records it once: at-least-once delivery, exactly-once accounting. Shipped events are deleted after a day.
 */
@ApplicationScoped
public class OutboxShipper {

    private static final Logger LOG = Logger.getLogger(OutboxShipper.class);

    @Inject
    TenantDatabase database;

    @Inject
    ControlPlaneClient controlPlane;

    @Inject
    UsageOutbox outbox;

    @Inject
    DataPlaneConfig config;

    @Inject
    ObjectMapper json;

    /** What is shipped where. */
    public enum Stream {
        USAGE("usage_outbox", "/internal/v1/usage"),
        AUDIT("audit_outbox", "/internal/v1/audit-events");

        final String table;
        final String endpoint;

        Stream(String table, String endpoint) {
            this.table = table;
            this.endpoint = endpoint;
        }
    }

    /** A point between sending and acknowledging, where tests make the process "crash". */
    public interface AfterSend {
        void run(List<UUID> sent);
    }

    @Scheduled(every = "${atrium.metering.ship-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        for (Stream stream : Stream.values()) {
            try {
                while (shipBatch(stream, sent -> { }) == config.metering().batchSize()) {
                    LOG.debugf("%s backlog: shipping another batch", stream.table);
                }
            } catch (ControlPlaneClient.UnreachableException e) {
                LOG.debugf("%s not shipped yet: %s", stream.table, e.getMessage());
            }
        }
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void deleteShipped() {
        for (Stream stream : Stream.values()) {
            database.asPlatform(connection -> {
                try (PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM " + stream.table + " WHERE shipped_at < now() - interval '1 day'")) {
                    return delete.executeUpdate();
                }
            });
        }
    }

    /** Ships one batch; returns how many events it sent. */
    public synchronized int shipBatch(Stream stream, AfterSend afterSend) throws ControlPlaneClient.UnreachableException {
        if (stream == Stream.USAGE) {
            outbox.flush();
        }
        List<UUID> ids = new ArrayList<>();
        List<JsonNode> events = new ArrayList<>();
        database.asPlatform(connection -> {
            try (PreparedStatement pending = connection.prepareStatement(
                    "SELECT id, event FROM " + stream.table + " WHERE shipped_at IS NULL ORDER BY created_at LIMIT ?")) {
                pending.setInt(1, config.metering().batchSize());
                try (ResultSet rows = pending.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getObject(1, UUID.class));
                        events.add(json.readTree(rows.getString(2)));
                    }
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("unreadable outbox event", e);
            }
            return null;
        });
        if (ids.isEmpty()) {
            return 0;
        }
        int accepted = controlPlane.ship(stream.endpoint, events);
        afterSend.run(ids);
        database.asPlatform(connection -> {
            try (PreparedStatement mark = connection.prepareStatement(
                    "UPDATE " + stream.table + " SET shipped_at = ? WHERE id = ANY (?)")) {
                mark.setTimestamp(1, Timestamp.from(Instant.now()));
                mark.setArray(2, connection.createArrayOf("uuid", ids.toArray()));
                return mark.executeUpdate();
            }
        });
        LOG.debugf("shipped %s events of %s (%s new to the control plane)", (Object) ids.size(), stream.table, (Object) accepted);
        return ids.size();
    }
}
