package dev.atrium.controlplane.region;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.atrium.controlplane.common.Jdbc;
import dev.atrium.controlplane.common.RowMapper;

/**
 * Each Kubernetes region's shared serving namespace as the last apply left it ({@code platform_serving}, platform
 * scope only): the platform's model servers and whether the apply succeeded; joins the caller's transaction.
 */
@ApplicationScoped
public class PlatformServingRepository {

    private static final RowMapper<PlatformServing> MAPPER = PlatformServingRepository::platformServing;

    /**
     * One region's shared serving namespace.
     *
     * @param modelServers the servers' statuses as JSON, or null before the first successful apply
     * @param condition    {@code Ready} (the last apply went through) or {@code Degraded} (with reason and message)
     */
    public record PlatformServing(String region, String namespace, String modelServers, String condition, String reason,
                                  String message, Instant updatedAt) {
    }

    @Inject
    Jdbc jdbc;

    public List<PlatformServing> all() {
        return jdbc.query("SELECT region, namespace, model_servers::text AS model_servers, condition, reason, message, updated_at "
                + "FROM platform_serving ORDER BY region", MAPPER);
    }

    /** After an apply that went through: the servers' statuses. */
    public void applied(String region, String namespace, String modelServersJson) {
        jdbc.update("INSERT INTO platform_serving (region, namespace, model_servers, condition, reason, message, updated_at) "
                + "VALUES (?, ?, ?::jsonb, 'Ready', NULL, NULL, ?) ON CONFLICT (region) DO UPDATE SET namespace = EXCLUDED.namespace, "
                + "model_servers = EXCLUDED.model_servers, condition = 'Ready', reason = NULL, message = NULL, updated_at = EXCLUDED.updated_at",
                region, namespace, modelServersJson, now());
    }

    /** After an apply that failed: the servers keep their last known statuses. */
    public void degraded(String region, String namespace, String reason, String message) {
        jdbc.update("INSERT INTO platform_serving (region, namespace, model_servers, condition, reason, message, updated_at) "
                + "VALUES (?, ?, NULL, 'Degraded', ?, ?, ?) ON CONFLICT (region) DO UPDATE SET namespace = EXCLUDED.namespace, "
                + "condition = 'Degraded', reason = EXCLUDED.reason, message = EXCLUDED.message, updated_at = EXCLUDED.updated_at",
                region, namespace, truncate(reason, 64), truncate(message, 1000), now());
    }

    /** Whether the region has a shared serving namespace Atrium applied and has not removed yet. */
    public boolean kept(String region) {
        return !jdbc.query("SELECT region FROM platform_serving WHERE region = ?", row -> row.getString("region"), region).isEmpty();
    }

    public boolean delete(String region) {
        return jdbc.update("DELETE FROM platform_serving WHERE region = ?", region) > 0;
    }

    private static Timestamp now() {
        return Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    private static PlatformServing platformServing(ResultSet row) throws SQLException {
        return new PlatformServing(row.getString("region"), row.getString("namespace"), row.getString("model_servers"),
                row.getString("condition"), row.getString("reason"), row.getString("message"),
                row.getTimestamp("updated_at").toInstant());
    }
}
