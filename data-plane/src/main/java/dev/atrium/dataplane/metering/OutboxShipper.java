package dev.atrium.dataplane.metering;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

import dev.atrium.contract.DeadLetterReport;
import dev.atrium.contract.InternalApi;
import dev.atrium.contract.ReportedDeadLetter;
import dev.atrium.dataplane.common.DataPlaneConfig;
import dev.atrium.dataplane.controlplane.ControlPlaneClient;
import dev.atrium.dataplane.storage.TenantDatabase;

/**
 * Ships the outboxes to the control plane in batches, oldest first: usage events to its ledger, audit events to
 * the tenants' audit chains. An event is marked shipped only after the control plane acknowledged it; if the
 * process dies in between, the next run sends the batch again and the control plane, which deduplicates by event
 * id, records it once: at-least-once delivery, exactly-once accounting. Shipped events are deleted after a day.
 *
 * <p>A batch refused for good (a 4xx that says something about the events, see {@link #refusesTheEvents}) is sent
 * again event by event: an event refused on its own is parked (a dead letter, with the status and reason, counted
 * in {@code atrium_outbox_dead_letters}) and the others go through, so one bad event never holds back the events
 * after it. Parked events are kept, and reported to the control plane once, where platform admins see them.
 */
@ApplicationScoped
public class OutboxShipper {

    private static final Logger LOG = Logger.getLogger(OutboxShipper.class);
    private static final int MAX_REASON = 1000;
    private static final int DEAD_LETTER_REPORT = 100;

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

    @Inject
    MeterRegistry metrics;

    private final Map<Stream, AtomicLong> parked = new EnumMap<>(Stream.class);

    /** What is shipped where. */
    public enum Stream {
        USAGE("usage_outbox", InternalApi.USAGE, "usage"),
        AUDIT("audit_outbox", InternalApi.AUDIT_EVENTS, "audit");

        final String table;
        final String endpoint;
        final String tag;

        Stream(String table, String endpoint, String tag) {
            this.table = table;
            this.endpoint = endpoint;
            this.tag = tag;
        }
    }

    /** A point between sending and acknowledging, where tests make the process "crash". */
    public interface AfterSend {
        void run(List<UUID> sent);
    }

    @PostConstruct
    void registerMetrics() {
        for (Stream stream : Stream.values()) {
            AtomicLong count = metrics.gauge("atrium.outbox.dead.letters", io.micrometer.core.instrument.Tags.of("stream", stream.tag),
                    new AtomicLong());
            parked.put(stream, count);
        }
    }

    /** Ships whatever is pending now (before a tenant's outbox rows are erased, for instance); never throws. */
    public void shipPending() {
        scheduled();
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
        try {
            reportDeadLetters();
        } catch (ControlPlaneClient.UnreachableException e) {
            LOG.debugf("dead letters not reported yet: %s", e.getMessage());
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

    /**
     * Whether a refusal is about the events, so that sending them one by one finds the bad ones: any 4xx but 401
     * (this data plane's credential), 404 and 405 (no such endpoint: an older control plane), 408 and 429 (not
     * now). Those, and 5xx, say nothing about the events; the batch is simply sent again later.
     */
    static boolean refusesTheEvents(int status) {
        return status >= 400 && status < 500 && status != 401 && status != 404 && status != 405 && status != 408 && status != 429;
    }

    /** Ships one batch; returns how many events it sent (delivered or parked). */
    public synchronized int shipBatch(Stream stream, AfterSend afterSend) throws ControlPlaneClient.UnreachableException {
        if (stream == Stream.USAGE) {
            outbox.flush();
        }
        List<UUID> ids = new ArrayList<>();
        List<JsonNode> events = new ArrayList<>();
        database.asPlatform(connection -> {
            try (PreparedStatement pending = connection.prepareStatement("SELECT id, event FROM " + stream.table
                    + " WHERE shipped_at IS NULL AND dead_lettered_at IS NULL ORDER BY created_at LIMIT ?")) {
                pending.setInt(1, config.metering().batchSize());
                try (ResultSet rows = pending.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getObject("id", UUID.class));
                        events.add(json.readTree(rows.getString("event")));
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
        int accepted;
        try {
            accepted = controlPlane.ship(stream.endpoint, events).accepted();
        } catch (ControlPlaneClient.RefusedException refused) {
            if (!refusesTheEvents(refused.status())) {
                throw refused;
            }
            LOG.warnf("the control plane refused a batch of %d %s events (%d: %s); sending them one by one", ids.size(),
                    stream.tag, refused.status(), refused.reason());
            return shipOneByOne(stream, ids, events, afterSend);
        }
        afterSend.run(ids);
        markShipped(stream, ids);
        LOG.debugf("shipped %s events of %s (%s new to the control plane)", (Object) ids.size(), stream.table, (Object) accepted);
        return ids.size();
    }

    /** Sends each event alone: delivered ones are marked shipped, ones refused on their own are parked. */
    private int shipOneByOne(Stream stream, List<UUID> ids, List<JsonNode> events, AfterSend afterSend)
            throws ControlPlaneClient.UnreachableException {
        for (int i = 0; i < ids.size(); i++) {
            UUID id = ids.get(i);
            try {
                controlPlane.ship(stream.endpoint, List.of(events.get(i)));
                afterSend.run(List.of(id));
                markShipped(stream, List.of(id));
            } catch (ControlPlaneClient.RefusedException refused) {
                if (!refusesTheEvents(refused.status())) {
                    throw refused;
                }
                park(stream, id, refused);
            }
        }
        return ids.size();
    }

    private void markShipped(Stream stream, List<UUID> ids) {
        database.asPlatform(connection -> {
            try (PreparedStatement mark = connection.prepareStatement(
                    "UPDATE " + stream.table + " SET shipped_at = ? WHERE id = ANY (?)")) {
                mark.setTimestamp(1, Timestamp.from(Instant.now()));
                mark.setArray(2, connection.createArrayOf("uuid", ids.toArray()));
                return mark.executeUpdate();
            }
        });
    }

    private void park(Stream stream, UUID id, ControlPlaneClient.RefusedException refused) {
        String reason = refused.reason() == null || refused.reason().isBlank() ? "HTTP " + refused.status() : refused.reason();
        String bounded = reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
        database.asPlatform(connection -> {
            try (PreparedStatement mark = connection.prepareStatement("UPDATE " + stream.table
                    + " SET dead_lettered_at = ?, dead_letter_status = ?, dead_letter_reason = ? WHERE id = ?")) {
                mark.setTimestamp(1, Timestamp.from(Instant.now()));
                mark.setInt(2, refused.status());
                mark.setString(3, bounded);
                mark.setObject(4, id);
                return mark.executeUpdate();
            }
        });
        LOG.errorf("%s event %s parked as a dead letter: the control plane refused it (%d: %s)", stream.tag, id, refused.status(), bounded);
        metrics.counter("atrium.outbox.dead.lettered", "stream", stream.tag).increment();
        countParked(stream);
    }

    /** Refreshes the gauge of parked events of a stream from the database. */
    private long countParked(Stream stream) {
        long count = database.asPlatform(connection -> {
            try (ResultSet row = connection.createStatement().executeQuery(
                    "SELECT count(*) AS parked FROM " + stream.table + " WHERE dead_lettered_at IS NOT NULL")) {
                row.next();
                return row.getLong("parked");
            }
        });
        parked.get(stream).set(count);
        return count;
    }

    /**
     * Reports parked events the control plane has not heard of yet (what identifies them and why they were refused,
     * never their payload), at most {@value #DEAD_LETTER_REPORT} per call; returns how many it reported.
     */
    public synchronized int reportDeadLetters() throws ControlPlaneClient.UnreachableException {
        int reported = 0;
        for (Stream stream : Stream.values()) {
            countParked(stream);
            List<ReportedDeadLetter> letters = new ArrayList<>();
            List<UUID> ids = new ArrayList<>();
            database.asPlatform(connection -> {
                try (PreparedStatement unreported = connection.prepareStatement("SELECT id, tenant_id, dead_letter_status, dead_letter_reason, "
                        + "dead_lettered_at FROM " + stream.table + " WHERE dead_lettered_at IS NOT NULL AND dead_letter_reported_at IS NULL "
                        + "ORDER BY dead_lettered_at LIMIT ?")) {
                    unreported.setInt(1, DEAD_LETTER_REPORT);
                    try (ResultSet row = unreported.executeQuery()) {
                        while (row.next()) {
                            UUID eventId = row.getObject("id", UUID.class);
                            letters.add(new ReportedDeadLetter(eventId, stream.tag, row.getObject("tenant_id", UUID.class),
                                    row.getInt("dead_letter_status"), row.getString("dead_letter_reason"),
                                    row.getTimestamp("dead_lettered_at").toInstant()));
                            ids.add(eventId);
                        }
                    }
                }
                return null;
            });
            if (letters.isEmpty()) {
                continue;
            }
            controlPlane.reportDeadLetters(new DeadLetterReport(letters));
            database.asPlatform(connection -> {
                try (PreparedStatement mark = connection.prepareStatement(
                        "UPDATE " + stream.table + " SET dead_letter_reported_at = ? WHERE id = ANY (?)")) {
                    mark.setTimestamp(1, Timestamp.from(Instant.now()));
                    mark.setArray(2, connection.createArrayOf("uuid", ids.toArray()));
                    return mark.executeUpdate();
                }
            });
            reported += letters.size();
        }
        return reported;
    }
}
