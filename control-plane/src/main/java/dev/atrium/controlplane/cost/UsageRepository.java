package dev.atrium.controlplane.cost;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.atrium.contract.UsageEvent;
import dev.atrium.controlplane.common.RowMapper;

/** Usage events in PostgreSQL, inserted once per event id and summed per group; joins the caller's transaction. */
@ApplicationScoped
public class UsageRepository {

    private static final String INSERT = """
            INSERT INTO usage_event (id, tenant_id, api_key_id, region, operation, model, occurred_at, requests,
                input_tokens, output_tokens, embedding_tokens, chunks_stored, gpu_seconds, guardrails)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb))
            ON CONFLICT (id) DO NOTHING""";

    private static final RowMapper<UsageTotals> TOTALS = rows -> new UsageTotals(rows.getString("group_key"),
            rows.getLong("requests"), rows.getLong("input_tokens"), rows.getLong("output_tokens"),
            rows.getLong("embedding_tokens"), rows.getLong("chunks_stored"), rows.getDouble("gpu_seconds"));

    /** What usage is summed by. */
    public enum Grouping {
        DAY("to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"),
        MODEL("coalesce(model, '(none)')"),
        API_KEY("coalesce(api_key_id::text, '(none)')");

        private final String keyExpression;

        Grouping(String keyExpression) {
            this.keyExpression = keyExpression;
        }
    }

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper json;

    /** Inserts the events not recorded yet (by id) and returns how many that were. */
    public int insertNew(List<UsageEvent> events, String region) {
        int inserted = 0;
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (UsageEvent event : events) {
                insert.setObject(1, event.id());
                insert.setObject(2, event.tenantId());
                insert.setObject(3, event.apiKeyId());
                insert.setString(4, region);
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
                inserted += count;
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not record usage", e);
        }
        return inserted;
    }

    /** A tenant's usage in {@code [from, to)}, summed per group, in the order of the group keys. */
    public List<UsageTotals> totals(UUID tenantId, Instant from, Instant to, Grouping grouping) {
        String sql = "SELECT " + grouping.keyExpression + " AS group_key, sum(requests) AS requests, "
                + "sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, "
                + "sum(embedding_tokens) AS embedding_tokens, sum(chunks_stored) AS chunks_stored, "
                + "sum(gpu_seconds) AS gpu_seconds FROM usage_event "
                + "WHERE tenant_id = ? AND occurred_at >= ? AND occurred_at < ? GROUP BY 1 ORDER BY 1";
        Map<String, UsageTotals> groups = new TreeMap<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setObject(1, tenantId);
            query.setTimestamp(2, Timestamp.from(from));
            query.setTimestamp(3, Timestamp.from(to));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    UsageTotals totals = TOTALS.map(rows);
                    groups.put(totals.key(), totals);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("usage query failed", e);
        }
        return new ArrayList<>(groups.values());
    }
}
