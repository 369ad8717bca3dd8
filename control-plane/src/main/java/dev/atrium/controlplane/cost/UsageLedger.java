package dev.atrium.controlplane.cost;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.atrium.controlplane.auth.ServiceBatchTenants;
import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.BatchReceipt;
import dev.atrium.controlplane.identity.Caller;
import dev.atrium.controlplane.tenant.Tenant;
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditTrail;

/**
 * The usage ledger. Ingest is exactly-once per event id: a re-shipped batch inserts nothing new
 * ({@code ON CONFLICT DO NOTHING} on the primary key), so a data plane may retry until it sees an acknowledgement.
 */
@ApplicationScoped
public class UsageLedger {

    private static final String INSERT = """
            INSERT INTO usage_event (id, tenant_id, api_key_id, region, operation, model, occurred_at, requests,
                input_tokens, output_tokens, embedding_tokens, chunks_stored, gpu_seconds, guardrails)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb))
            ON CONFLICT (id) DO NOTHING""";

    private static final Duration MAX_RANGE = Duration.ofDays(400);

    @Inject
    DataSource dataSource;

    @Inject
    AuditTrail auditTrail;

    @Inject
    ObjectMapper json;

    @Inject
    ServiceBatchTenants batchTenants;

    @Transactional
    public BatchReceipt ingest(UsageBatch batch, Caller service) {
        batchTenants.check(service, batch.events().stream().map(UsageEvent::tenantId).toList());
        int accepted = 0;
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (UsageEvent event : batch.events()) {
                insert.setObject(1, event.id());
                insert.setObject(2, event.tenantId());
                insert.setObject(3, event.apiKeyId());
                insert.setString(4, service.region() == null ? "unknown" : service.region());
                insert.setString(5, event.operation());
                insert.setString(6, event.model());
                insert.setTimestamp(7, Timestamp.from(event.occurredAt()));
                insert.setInt(8, event.requests());
                insert.setLong(9, event.inputTokens());
                insert.setLong(10, event.outputTokens());
                insert.setLong(11, event.embeddingTokens());
                insert.setLong(12, event.chunksStored());
                insert.setDouble(13, event.gpuSeconds());
                insert.setString(14, json.writeValueAsString(event.guardrails()));
                insert.addBatch();
            }
            for (int count : insert.executeBatch()) {
                accepted += count;
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not record usage", e);
        }
        BatchReceipt receipt = new BatchReceipt(accepted, batch.events().size() - accepted);
        auditTrail.record(AuditEntry.success("usage.ingest").resource("usage-batch", batch.events().getFirst().id())
                .actor(service).after(Map.of("events", batch.events().size(), "accepted", receipt.accepted(),
                        "duplicates", receipt.duplicates(), "region", String.valueOf(service.region()))));
        return receipt;
    }

    public UsageReport report(UUID tenantId, Instant from, Instant to) {
        Tenant.require(tenantId);
        Instant end = to == null ? Instant.now() : to;
        Instant start = from == null ? end.minus(Duration.ofDays(30)) : from;
        if (!start.isBefore(end)) {
            throw ApiException.invalid("from", "must be before to");
        }
        if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            throw ApiException.invalid("from", "the range may span at most " + MAX_RANGE.toDays() + " days");
        }
        List<UsageTotals> byDay = group(tenantId, start, end, "to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')");
        List<UsageTotals> byModel = group(tenantId, start, end, "coalesce(model, '(none)')");
        List<UsageTotals> byKey = group(tenantId, start, end, "coalesce(api_key_id::text, '(none)')");
        UsageTotals totals = byDay.stream().reduce(new UsageTotals("total", 0, 0, 0, 0, 0, 0), (a, b) ->
                new UsageTotals("total", a.requests() + b.requests(), a.inputTokens() + b.inputTokens(),
                        a.outputTokens() + b.outputTokens(), a.embeddingTokens() + b.embeddingTokens(),
                        a.chunksStored() + b.chunksStored(), a.gpuSeconds() + b.gpuSeconds()));
        return new UsageReport(tenantId, start, end, totals, byDay, byModel, byKey);
    }

    private List<UsageTotals> group(UUID tenantId, Instant from, Instant to, String keyExpression) {
        String sql = "SELECT " + keyExpression + " AS k, sum(requests), sum(input_tokens), sum(output_tokens), "
                + "sum(embedding_tokens), sum(chunks_stored), sum(gpu_seconds) FROM usage_event "
                + "WHERE tenant_id = ? AND occurred_at >= ? AND occurred_at < ? GROUP BY 1 ORDER BY 1";
        Map<String, UsageTotals> groups = new TreeMap<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setObject(1, tenantId);
            query.setTimestamp(2, Timestamp.from(from));
            query.setTimestamp(3, Timestamp.from(to));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    groups.put(rows.getString(1), new UsageTotals(rows.getString(1), rows.getLong(2), rows.getLong(3),
                            rows.getLong(4), rows.getLong(5), rows.getLong(6), rows.getDouble(7)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("usage query failed", e);
        }
        return new ArrayList<>(groups.values());
    }
}
