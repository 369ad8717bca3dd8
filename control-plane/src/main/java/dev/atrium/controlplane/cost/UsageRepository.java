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
                input_tokens, output_tokens, embedding_tokens, chunks_stored, gpu_seconds, guardrails, cost, price_book_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?)
            ON CONFLICT (id) DO NOTHING""";

    private static final RowMapper<UsageTotals> TOTALS = rows -> new UsageTotals(rows.getString("group_key"),
            rows.getLong("requests"), rows.getLong("input_tokens"), rows.getLong("output_tokens"),
            rows.getLong("embedding_tokens"), rows.getLong("chunks_stored"), rows.getDouble("gpu_seconds"),
            Money.plain(rows.getBigDecimal("cost")), rows.getLong("unpriced"));

    /** A recorded event with its region and what it cost when recorded (for repricing). */
    public record Priced(UsageEvent event, String region, java.math.BigDecimal cost, UUID priceBookId) {
    }

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

    @Inject
    PriceBooks prices;

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
                // priced as it is recorded, with the version in force where and when it happened
                java.util.Optional<PriceBook> book = prices.inForce(region, event.occurredAt());
                insert.setBigDecimal(15, book.map(b -> PriceBooks.cost(event, b)).orElse(null));
                insert.setObject(16, book.map(PriceBook::id).orElse(null));
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

    /** The events recorded in {@code [from, to)} (of one region, or every region), at most {@code limit}, every tenant's, locked. */
    public List<Priced> forRepricing(Instant from, Instant to, String region, int limit) {
        return events(null, region, from, to, limit, true);
    }

    /** A tenant's recorded events in {@code [from, to)}, oldest first, at most {@code limit}. */
    public List<Priced> ledger(UUID tenantId, Instant from, Instant to, int limit) {
        return events(tenantId, null, from, to, limit, false);
    }

    private List<Priced> events(UUID tenantId, String region, Instant from, Instant to, int limit, boolean lock) {
        String sql = "SELECT id, tenant_id, api_key_id, region, operation, model, occurred_at, requests, input_tokens, output_tokens, "
                + "embedding_tokens, chunks_stored, gpu_seconds, cost, price_book_id FROM usage_event WHERE occurred_at >= ? AND occurred_at < ?"
                + (tenantId == null ? "" : " AND tenant_id = ?") + (region == null ? "" : " AND region = ?")
                + " ORDER BY occurred_at, id LIMIT ?" + (lock ? " FOR UPDATE" : "");
        List<Priced> events = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            int i = 1;
            query.setTimestamp(i++, Timestamp.from(from));
            query.setTimestamp(i++, Timestamp.from(to));
            if (tenantId != null) {
                query.setObject(i++, tenantId);
            }
            if (region != null) {
                query.setString(i++, region);
            }
            query.setInt(i, limit);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    events.add(PRICED.map(rows));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("usage query failed", e);
        }
        return events;
    }

    /** Serializes repricings: held until the caller's transaction ends. */
    public void lockRepricing() {
        try (Connection connection = dataSource.getConnection(); PreparedStatement lock = connection.prepareStatement(
                "SELECT pg_advisory_xact_lock(hashtext('atrium.usage-reprice'))")) {
            lock.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("could not lock repricing", e);
        }
    }

    /** Sets an event's cost anew and keeps what it was in {@code usage_cost_revision}. */
    public void reprice(UUID repricingId, Priced event, java.math.BigDecimal cost, UUID priceBookId, Instant at) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement revision = connection.prepareStatement("INSERT INTO usage_cost_revision (repricing_id, event_id, "
                     + "tenant_id, old_cost, old_price_book_id, new_cost, new_price_book_id, repriced_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement update = connection.prepareStatement("UPDATE usage_event SET cost = ?, price_book_id = ? WHERE id = ?")) {
            revision.setObject(1, repricingId);
            revision.setObject(2, event.event().id());
            revision.setObject(3, event.event().tenantId());
            revision.setBigDecimal(4, event.cost());
            revision.setObject(5, event.priceBookId());
            revision.setBigDecimal(6, cost);
            revision.setObject(7, priceBookId);
            revision.setTimestamp(8, Timestamp.from(at));
            revision.executeUpdate();
            update.setBigDecimal(1, cost);
            update.setObject(2, priceBookId);
            update.setObject(3, event.event().id());
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not reprice usage event " + event.event().id(), e);
        }
    }

    private static final RowMapper<Priced> PRICED = rows -> new Priced(new UsageEvent(rows.getObject("id", UUID.class),
            rows.getObject("tenant_id", UUID.class), rows.getObject("api_key_id", UUID.class), rows.getString("operation"),
            rows.getString("model"), rows.getTimestamp("occurred_at").toInstant(), rows.getInt("requests"), rows.getLong("input_tokens"),
            rows.getLong("output_tokens"), rows.getLong("embedding_tokens"), rows.getLong("chunks_stored"), rows.getDouble("gpu_seconds"),
            Map.of()), rows.getString("region"), rows.getBigDecimal("cost"), rows.getObject("price_book_id", UUID.class));

    /**
     * What a budget's scope spent in {@code [from, to)}: the summed cost ({@code money}) or input, output and embedding
     * tokens ({@code tokens}), of one API key and/or one model (a model's usage includes its versions' {@code name@v}).
     */
    public java.math.BigDecimal spent(UUID tenantId, Instant from, Instant to, UUID apiKeyId, String model, String kind) {
        return spentByDay(tenantId, from, to, apiKeyId, model, kind, null).values().stream()
                .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add);
    }

    /** As {@link #spent}, per local day of {@code zone} (all in one entry when {@code zone} is null), oldest first. */
    public Map<String, java.math.BigDecimal> spentByDay(UUID tenantId, Instant from, Instant to, UUID apiKeyId, String model, String kind,
                                                         java.time.ZoneId zone) {
        String amount = Budget.MONEY.equals(kind) ? "coalesce(sum(cost), 0)" : "coalesce(sum(input_tokens::numeric + output_tokens + embedding_tokens), 0)";
        String day = zone == null ? "'all'" : "to_char(occurred_at AT TIME ZONE ?, 'YYYY-MM-DD')";
        String sql = "SELECT " + day + " AS day, " + amount + " AS amount FROM usage_event WHERE tenant_id = ? AND occurred_at >= ? "
                + "AND occurred_at < ?" + (apiKeyId == null ? "" : " AND api_key_id = ?")
                + (model == null ? "" : " AND (model = ? OR model LIKE ? ESCAPE '\\')") + " GROUP BY 1 ORDER BY 1";
        Map<String, java.math.BigDecimal> byDay = new java.util.LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            int i = 1;
            if (zone != null) {
                query.setString(i++, zone.getId());
            }
            query.setObject(i++, tenantId);
            query.setTimestamp(i++, Timestamp.from(from));
            query.setTimestamp(i++, Timestamp.from(to));
            if (apiKeyId != null) {
                query.setObject(i++, apiKeyId);
            }
            if (model != null) {
                query.setString(i++, model);
                query.setString(i, model.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "@%");
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    byDay.put(rows.getString("day"), rows.getBigDecimal("amount"));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("spend query failed", e);
        }
        return byDay;
    }

    /** A tenant's usage in {@code [from, to)}, summed per group, in the order of the group keys. */
    public List<UsageTotals> totals(UUID tenantId, Instant from, Instant to, Grouping grouping) {
        String sql = "SELECT " + grouping.keyExpression + " AS group_key, sum(requests) AS requests, "
                + "sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, "
                + "sum(embedding_tokens) AS embedding_tokens, sum(chunks_stored) AS chunks_stored, "
                + "sum(gpu_seconds) AS gpu_seconds, coalesce(sum(cost), 0) AS cost, count(*) FILTER (WHERE cost IS NULL) AS unpriced "
                + "FROM usage_event "
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
