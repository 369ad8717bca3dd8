package dev.atrium.controlplane.audit.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.atrium.compliance.export.ExportFilter;
import dev.atrium.controlplane.common.Rows;

/** Export jobs in PostgreSQL ({@code audit_export}), and the stretch of a chain an export covers; joins the caller's transaction. */
@ApplicationScoped
public class ExportRepository {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = """
            SELECT id, chain_id, tenant_id, format, status, range_from, range_to, events_total, events_written,
                   requested_by, error, created_at, completed_at, events_scanned, CAST(filters AS text) AS filters
            FROM audit_export""";

    @Inject
    EntityManager entityManager;

    /** The first and last sequence of a chain's events in a time range; {@code last < first} when there are none. */
    record SequenceRange(long first, long last) {
    }

    /** Row mapper for {@link #COLUMNS}. */
    private static ExportView export(Tuple row) {
        Long total = Rows.nullableLong(row, "events_total");
        long written = Rows.longValue(row, "events_written");
        long scanned = Rows.longValue(row, "events_scanned");
        String status = row.get("status", String.class);
        int progress = "DONE".equals(status) ? 100 : total == null || total == 0 ? 0 : (int) Math.min(99, scanned * 100 / total);
        return new ExportView(row.get("id", UUID.class), row.get("chain_id", String.class), row.get("tenant_id", UUID.class),
                row.get("format", String.class), status, Rows.instant(row, "range_from"), Rows.instant(row, "range_to"),
                total, scanned, written, progress, row.get("requested_by", String.class), row.get("error", String.class),
                Rows.instant(row, "created_at"), Rows.instant(row, "completed_at"), filtersOf(row.get("filters", String.class)));
    }

    private static Map<String, String> filtersOf(String json) {
        if (json == null) {
            return null;
        }
        try {
            Map<String, String> filters = new TreeMap<>();
            JSON.readTree(json).properties().forEach(field -> filters.put(field.getKey(), field.getValue().asText()));
            return filters;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new PENDING export. */
    public void insert(UUID id, String chainId, UUID tenantId, String requestedBy, Instant from, Instant to, String format,
                       Instant createdAt, ExportFilter filter) {
        entityManager.createNativeQuery("""
                        INSERT INTO audit_export (id, chain_id, tenant_id, requested_by, range_from, range_to, format, status,
                                                  created_at, filters)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'PENDING', ?8, CAST(?9 AS jsonb))""")
                .setParameter(1, id).setParameter(2, chainId).setParameter(3, tenantId)
                .setParameter(4, requestedBy).setParameter(5, from).setParameter(6, to)
                .setParameter(7, format).setParameter(8, createdAt)
                .setParameter(9, filter.isEmpty() ? null : filter.toJson().toString()).executeUpdate();
    }

    public Optional<ExportView> find(UUID id) {
        List<Tuple> rows = Rows.tuples(entityManager.createNativeQuery(COLUMNS + " WHERE id = ?1", Tuple.class).setParameter(1, id));
        return rows.isEmpty() ? Optional.empty() : Optional.of(export(rows.getFirst()));
    }

    /** The newest exports of one chain, at most {@code limit}. */
    public List<ExportView> list(String chainId, int limit) {
        return Rows.tuples(entityManager.createNativeQuery(COLUMNS + " WHERE chain_id = ?1 ORDER BY created_at DESC, id LIMIT ?2",
                        Tuple.class)
                .setParameter(1, chainId).setParameter(2, limit)).stream().map(ExportRepository::export).toList();
    }

    /** The sequence numbers of a chain's events in {@code [from, to)}; an open end is unbounded. */
    public SequenceRange sequenceRange(String chainId, Instant from, Instant to) {
        Tuple row = Rows.tuple(entityManager.createNativeQuery("""
                        SELECT coalesce(min(sequence), 0) AS first_sequence, coalesce(max(sequence), -1) AS last_sequence
                        FROM audit_event
                        WHERE chain_id = ?1 AND (CAST(?2 AS timestamptz) IS NULL OR occurred_at >= ?2)
                          AND (CAST(?3 AS timestamptz) IS NULL OR occurred_at < ?3)""", Tuple.class)
                .setParameter(1, chainId).setParameter(2, from).setParameter(3, to));
        return new SequenceRange(Rows.longValue(row, "first_sequence"), Rows.longValue(row, "last_sequence"));
    }

    public void markRunning(UUID id, long eventsTotal) {
        entityManager.createNativeQuery("UPDATE audit_export SET status = 'RUNNING', events_total = ?2 WHERE id = ?1")
                .setParameter(1, id).setParameter(2, eventsTotal).executeUpdate();
    }

    public void recordProgress(UUID id, long eventsScanned, long eventsWritten) {
        entityManager.createNativeQuery("UPDATE audit_export SET events_scanned = ?2, events_written = ?3 WHERE id = ?1")
                .setParameter(1, id).setParameter(2, eventsScanned).setParameter(3, eventsWritten).executeUpdate();
    }

    public void markDone(UUID id, long eventsScanned, long eventsWritten, Instant completedAt) {
        entityManager.createNativeQuery(
                        "UPDATE audit_export SET status = 'DONE', events_scanned = ?2, events_written = ?3, completed_at = ?4 WHERE id = ?1")
                .setParameter(1, id).setParameter(2, eventsScanned).setParameter(3, eventsWritten).setParameter(4, completedAt)
                .executeUpdate();
    }

    public void markFailed(UUID id, String error, Instant completedAt) {
        entityManager.createNativeQuery("UPDATE audit_export SET status = 'FAILED', error = ?2, completed_at = ?3 WHERE id = ?1")
                .setParameter(1, id).setParameter(2, error).setParameter(3, completedAt).executeUpdate();
    }
}
