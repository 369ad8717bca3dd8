package dev.atrium.dataplane.metering;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import org.jboss.logging.Logger;

import dev.atrium.contract.UsageEvent;
import dev.atrium.dataplane.storage.TenantDatabase;

/**
 * Writes usage events into the outbox table. Called with the connection of the work being metered (ingest), the
 * event commits or rolls back with that work; reads and proxied calls are buffered briefly and written in batches.
 * {@link OutboxShipper} delivers the outbox to the control plane.
 */
@ApplicationScoped
public class UsageOutbox {

    static final long FLUSH_MILLIS = 50;
    private static final Logger LOG = Logger.getLogger(UsageOutbox.class);

    private final Queue<Usage> pending = new ConcurrentLinkedQueue<>();
    private ScheduledExecutorService flusher;

    @Inject
    ObjectMapper json;

    @Inject
    TenantDatabase database;

    /** Records usage inside the caller's transaction. */
    public UUID record(Connection connection, Usage usage) throws SQLException {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        UsageEvent event = new UsageEvent(id, usage.tenantId(), usage.apiKeyId(), usage.operation(), usage.model(), now, 1,
                usage.inputTokens(), usage.outputTokens(), usage.embeddingTokens(), usage.chunksStored(), 0.0, usage.guardrails());
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

    /**
     * Records usage for work that has no transaction of its own (a query, a proxied model call): the event is
     * buffered and written with others in one transaction every {@value #FLUSH_MILLIS} ms, so no request waits for
     * a database commit. A crash of the data plane loses at most that window of such events.
     */
    public void record(Usage usage) {
        pending.add(usage);
    }

    /**
     * Writes buffered events now (the shipper calls it before reading the outbox). When the write fails the batch
     * goes back into the buffer for the next flush, so a database hiccup delays usage events instead of losing them.
     */
    public synchronized void flush() {
        List<Usage> batch = new ArrayList<>();
        Usage next;
        while ((next = pending.poll()) != null) {
            batch.add(next);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            database.asPlatform(connection -> {
                for (Usage usage : batch) {
                    record(connection, usage);
                }
                return null;
            });
        } catch (RuntimeException e) {
            pending.addAll(batch);
            throw e;
        }
    }

    void start(@Observes StartupEvent event) {
        flusher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("usage-outbox-flush").daemon().factory());
        flusher.scheduleWithFixedDelay(() -> {
            try {
                flush();
            } catch (RuntimeException e) {
                LOG.warn("could not write buffered usage events; retrying", e);
            }
        }, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (flusher != null) {
            flusher.shutdown();
        }
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warnf("%d buffered usage events could not be written at shutdown: %s", pending.size(), e.getMessage());
        }
    }
}
