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
 * Ships the usage outbox to the control plane in batches, oldest first. An event is marked shipped only after
 * the control plane acknowledged it; if the process dies in between, the next run sends the batch again and the
 * ledger, which deduplicates by event id, counts it once: at-least-once delivery, exactly-once accounting.
 */
@ApplicationScoped
public class UsageShipper {

    private static final Logger LOG = Logger.getLogger(UsageShipper.class);

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

    /** A point between sending and acknowledging, where tests make the process "crash". */
    public interface AfterSend {
        void run(List<UUID> sent);
    }

    @Scheduled(every = "${atrium.metering.ship-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        try {
            while (shipBatch(sent -> { }) == config.metering().batchSize()) {
                LOG.debug("outbox backlog: shipping another batch");
            }
        } catch (ControlPlaneClient.UnreachableException e) {
            LOG.debugf("usage not shipped yet: %s", e.getMessage());
        }
    }

    /** Ships one batch; returns how many events it sent. */
    public synchronized int shipBatch(AfterSend afterSend) throws ControlPlaneClient.UnreachableException {
        outbox.flush();
        List<UUID> ids = new ArrayList<>();
        List<JsonNode> events = new ArrayList<>();
        database.asPlatform(connection -> {
            try (PreparedStatement pending = connection.prepareStatement(
                    "SELECT id, event FROM usage_outbox WHERE shipped_at IS NULL ORDER BY created_at LIMIT ?")) {
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
        int accepted = controlPlane.shipUsage(events);
        afterSend.run(ids);
        database.asPlatform(connection -> {
            try (PreparedStatement mark = connection.prepareStatement(
                    "UPDATE usage_outbox SET shipped_at = ? WHERE id = ANY (?)")) {
                mark.setTimestamp(1, Timestamp.from(Instant.now()));
                mark.setArray(2, connection.createArrayOf("uuid", ids.toArray()));
                return mark.executeUpdate();
            }
        });
        LOG.debugf("shipped %d usage events (%d new to the ledger)", ids.size(), accepted);
        return ids.size();
    }
}
