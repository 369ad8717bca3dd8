package dev.atrium.controlplane.cost;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.atrium.controlplane.common.Jdbc;
import dev.atrium.controlplane.common.RowMapper;
import dev.atrium.controlplane.common.Rows;

/** Budgets and the alerts they raised ({@code budget}, {@code budget_alert}, row-level security per tenant). */
@ApplicationScoped
public class BudgetRepository {

    private static final String COLUMNS = "id, tenant_id, name, api_key_id, model, period, time_zone, custom_start, custom_days, "
            + "limit_kind, limit_amount, thresholds::text AS thresholds, forecast_threshold, action, downgrade_to, created_at, created_by, "
            + "updated_at, updated_by, version";

    /** A budget and whose it is (the watcher reads every tenant's). */
    public record Owned(UUID tenantId, Budget budget) {
    }

    @Inject
    Jdbc jdbc;

    @Inject
    ObjectMapper json;

    private final RowMapper<Owned> owned = row -> new Owned(row.getObject("tenant_id", UUID.class), budget(row));

    public List<Budget> list(UUID tenantId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM budget WHERE tenant_id = ? ORDER BY name", owned, tenantId).stream()
                .map(Owned::budget).toList();
    }

    public List<Owned> all() {
        return jdbc.query("SELECT " + COLUMNS + " FROM budget ORDER BY tenant_id, name", owned);
    }

    public Optional<Budget> find(UUID tenantId, UUID id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM budget WHERE tenant_id = ? AND id = ?", owned, tenantId, id).stream()
                .map(Owned::budget).findFirst();
    }

    public int count(UUID tenantId) {
        return jdbc.query("SELECT count(*) AS n FROM budget WHERE tenant_id = ?", row -> row.getInt("n"), tenantId).getFirst();
    }

    /** False when the tenant has a budget of that name. */
    public boolean insert(UUID tenantId, Budget b) {
        return jdbc.update("INSERT INTO budget (id, tenant_id, name, api_key_id, model, period, time_zone, custom_start, custom_days, "
                + "limit_kind, limit_amount, thresholds, forecast_threshold, action, downgrade_to, created_at, created_by, updated_at, "
                + "updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, name) DO NOTHING",
                b.id(), tenantId, b.name(), b.apiKeyId(), b.model(), b.period(), b.timeZone(), b.customStart(), b.customDays(),
                b.limitKind(), b.limit(), write(b.thresholds()), b.forecastThreshold(), b.action(), b.downgradeTo(),
                Timestamp.from(b.createdAt()), b.createdBy(), Timestamp.from(b.updatedAt()), b.updatedBy()) > 0;
    }

    public void update(UUID tenantId, Budget b) {
        jdbc.update("UPDATE budget SET limit_amount = ?, thresholds = ?::jsonb, forecast_threshold = ?, action = ?, downgrade_to = ?, "
                + "updated_at = ?, updated_by = ?, version = version + 1 WHERE tenant_id = ? AND id = ?", b.limit(), write(b.thresholds()),
                b.forecastThreshold(), b.action(), b.downgradeTo(), Timestamp.from(b.updatedAt()), b.updatedBy(), tenantId, b.id());
    }

    public boolean delete(UUID tenantId, UUID id) {
        return jdbc.update("DELETE FROM budget WHERE tenant_id = ? AND id = ?", tenantId, id) > 0;
    }

    /** Records an alert; false when this one (budget, period, kind, threshold) was raised before. */
    public boolean raise(UUID tenantId, Budget budget, Instant periodStart, String kind, int threshold, BigDecimal amount, Instant at) {
        return jdbc.update("INSERT INTO budget_alert (budget_id, tenant_id, budget_version, period_start, kind, threshold, amount, raised_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", budget.id(), tenantId, budget.etag(), Timestamp.from(periodStart),
                kind, threshold, amount, Timestamp.from(at)) > 0;
    }

    /** The budget, locked until the transaction ends (a change reads what it changes). */
    public Optional<Budget> lock(UUID tenantId, UUID id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM budget WHERE tenant_id = ? AND id = ? FOR UPDATE", owned, tenantId, id).stream()
                .map(Owned::budget).findFirst();
    }

    private Budget budget(ResultSet row) throws SQLException {
        java.sql.Date start = row.getDate("custom_start");
        Integer days = row.getObject("custom_days") == null ? null : row.getInt("custom_days");
        Integer forecast = row.getObject("forecast_threshold") == null ? null : row.getInt("forecast_threshold");
        LocalDate customStart = start == null ? null : start.toLocalDate();
        return new Budget(row.getObject("id", UUID.class), row.getString("name"), row.getObject("api_key_id", UUID.class),
                row.getString("model"), row.getString("period"), row.getString("time_zone"), customStart, days, row.getString("limit_kind"),
                Money.plain(row.getBigDecimal("limit_amount")), read(row.getString("thresholds")), forecast, row.getString("action"),
                row.getString("downgrade_to"), Rows.instant(row, "created_at"), row.getString("created_by"), Rows.instant(row, "updated_at"),
                row.getString("updated_by"), row.getLong("version"));
    }

    private String write(List<Integer> thresholds) {
        try {
            return json.writeValueAsString(thresholds);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Integer> read(String text) {
        try {
            return new ArrayList<>(json.readValue(text, new TypeReference<List<Integer>>() { }));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable thresholds", e);
        }
    }
}
