package dev.atrium.controlplane.region;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.atrium.controlplane.common.Jdbc;
import dev.atrium.controlplane.common.RowMapper;
import dev.atrium.controlplane.common.Rows;

/**
 * The desired namespaces of dedicated tenants and their last reported condition ({@code tenant_namespace}, row-level
 * security as for placements); joins the caller's transaction.
 */
@ApplicationScoped
public class TenantNamespaceRepository {

    private static final String COLUMNS = "tenant_id, region, namespace, fingerprint, condition, reason, message, updated_at, serving_since";
    private static final RowMapper<TenantNamespace> MAPPER = TenantNamespaceRepository::tenantNamespace;

    /** The conditions a row can hold. */
    public static final String PENDING = "Pending";
    public static final String READY = "Ready";
    public static final String DEGRADED = "Degraded";
    public static final String REMOVING = "Removing";

    /**
     * One row: the namespace asked for in a region and where it stands.
     *
     * @param servingSince when the namespace's data plane first became Ready; from then on it, not the region's shared
     *                     data plane, serves the tenant there (null before)
     */
    public record TenantNamespace(UUID tenantId, String region, String namespace, String fingerprint, String condition,
                                  String reason, String message, Instant updatedAt, Instant servingSince) {

        public boolean serving() {
            return servingSince != null;
        }
    }

    @Inject
    Jdbc jdbc;

    private static TenantNamespace tenantNamespace(ResultSet row) throws SQLException {
        return new TenantNamespace(row.getObject("tenant_id", UUID.class), row.getString("region"), row.getString("namespace"),
                row.getString("fingerprint"), row.getString("condition"), row.getString("reason"), row.getString("message"),
                Rows.instant(row, "updated_at"), Rows.instant(row, "serving_since"));
    }

    public List<TenantNamespace> all() {
        return query("SELECT " + COLUMNS + " FROM tenant_namespace ORDER BY tenant_id, region");
    }

    public List<TenantNamespace> ofTenant(UUID tenantId) {
        return query("SELECT " + COLUMNS + " FROM tenant_namespace WHERE tenant_id = ? ORDER BY region", tenantId);
    }

    public List<TenantNamespace> inRegion(String region) {
        return query("SELECT " + COLUMNS + " FROM tenant_namespace WHERE region = ? ORDER BY tenant_id", region);
    }

    public Optional<TenantNamespace> find(UUID tenantId, String region) {
        return query("SELECT " + COLUMNS + " FROM tenant_namespace WHERE tenant_id = ? AND region = ?", tenantId, region)
                .stream().findFirst();
    }

    /**
     * Records the desired namespace; a new row, or one whose fingerprint or namespace changed, goes back to Pending.
     * Returns true when something changed.
     */
    public boolean desire(UUID tenantId, String region, String namespace, String fingerprint) {
        return jdbc.update("""
                INSERT INTO tenant_namespace (tenant_id, region, namespace, fingerprint, condition, reason, message, updated_at)
                VALUES (?, ?, ?, ?, 'Pending', 'Applying', 'applying the desired state', ?)
                ON CONFLICT (tenant_id, region) DO UPDATE SET namespace = EXCLUDED.namespace, fingerprint = EXCLUDED.fingerprint,
                    condition = 'Pending', reason = 'Applying', message = 'applying the desired state', updated_at = EXCLUDED.updated_at
                WHERE tenant_namespace.fingerprint <> EXCLUDED.fingerprint OR tenant_namespace.namespace <> EXCLUDED.namespace
                    OR tenant_namespace.condition = 'Removing'""",
                tenantId, region, namespace, fingerprint, now()) > 0;
    }

    /**
     * Sets the condition of an existing row; the first Ready also starts {@code serving_since}. Returns false when
     * there is no row or nothing changed.
     */
    public boolean condition(UUID tenantId, String region, String condition, String reason, String message) {
        Timestamp now = now();
        return jdbc.update("""
                UPDATE tenant_namespace SET condition = ?, reason = ?, message = ?, updated_at = ?,
                    serving_since = CASE WHEN ? = 'Ready' THEN COALESCE(serving_since, ?) ELSE serving_since END
                WHERE tenant_id = ? AND region = ? AND (condition <> ? OR reason <> ? OR message <> ?)""",
                condition, truncate(reason, 100), truncate(message, 1000), now, condition, now, tenantId, region,
                condition, truncate(reason, 100), truncate(message, 1000)) > 0;
    }

    /** Stores how the namespace's model servers stand (JSON, written by dedicated provisioning); false without a row. */
    public boolean modelServers(UUID tenantId, String region, String json) {
        return jdbc.update("UPDATE tenant_namespace SET model_servers = ?::jsonb WHERE tenant_id = ? AND region = ? "
                + "AND model_servers IS DISTINCT FROM ?::jsonb", json, tenantId, region, json) > 0;
    }

    /** By region, the JSON of the tenant's model servers as last stored (regions without any are left out). */
    public java.util.Map<String, String> modelServersOf(UUID tenantId) {
        java.util.Map<String, String> byRegion = new java.util.TreeMap<>();
        jdbc.query("SELECT region, model_servers::text AS servers FROM tenant_namespace WHERE tenant_id = ? "
                + "AND model_servers IS NOT NULL ORDER BY region", row -> byRegion.put(row.getString("region"),
                row.getString("servers")), tenantId);
        return byRegion;
    }

    /** One namespace's model servers as last stored (JSON). */
    public record ModelServers(UUID tenantId, String region, String json) {
    }

    /** Every namespace's model servers, of every tenant (the platform's view of its GPU pools). */
    public List<ModelServers> allModelServers() {
        return jdbc.query("SELECT tenant_id, region, model_servers::text AS servers FROM tenant_namespace "
                + "WHERE model_servers IS NOT NULL ORDER BY region, tenant_id", row -> new ModelServers(
                row.getObject("tenant_id", UUID.class), row.getString("region"), row.getString("servers")));
    }

    public boolean delete(UUID tenantId, String region) {
        return jdbc.update("DELETE FROM tenant_namespace WHERE tenant_id = ? AND region = ?", tenantId, region) > 0;
    }

    private static String truncate(String text, int max) {
        String value = text == null ? "" : text;
        return value.length() <= max ? value : value.substring(0, max);
    }

    private static Timestamp now() {
        return Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    private List<TenantNamespace> query(String sql, Object... args) {
        return jdbc.query(sql, MAPPER, args);
    }
}
