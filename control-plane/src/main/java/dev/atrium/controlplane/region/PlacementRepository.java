package dev.atrium.controlplane.region;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.atrium.controlplane.common.Jdbc;

/** Tenants' placements in PostgreSQL (row-level security: a tenant's session sees only its own); joins the caller's transaction. */
@ApplicationScoped
public class PlacementRepository {

    private static final String COLUMNS = "tenant_id, primary_region, standby_regions, former_regions, updated_at, updated_by, version";

    /** A placement row as stored: region names only. */
    public record StoredPlacement(UUID tenantId, String primary, List<String> standbys, List<String> former, Instant updatedAt,
                                  String updatedBy, long version) {

        /** Every region that may hold the tenant's data: where it is placed, and where it was. */
        public List<String> everyRegion() {
            java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
            all.add(primary);
            all.addAll(standbys);
            all.addAll(former);
            return List.copyOf(all);
        }
    }

    @Inject
    DataSource dataSource;

    @Inject
    Jdbc jdbc;

    /** Row mapper for {@link #COLUMNS}. */
    private static StoredPlacement placement(ResultSet row) throws SQLException {
        return new StoredPlacement(row.getObject("tenant_id", UUID.class), row.getString("primary_region"),
                names(row.getArray("standby_regions")), names(row.getArray("former_regions")), row.getTimestamp("updated_at").toInstant(),
                row.getString("updated_by"), row.getLong("version"));
    }

    private static List<String> names(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    public Optional<StoredPlacement> find(UUID tenantId) {
        return query("SELECT " + COLUMNS + " FROM placement WHERE tenant_id = ?", tenantId).stream().findFirst();
    }

    /** The tenant's placement locked for an update in the caller's transaction. */
    public Optional<StoredPlacement> lock(UUID tenantId) {
        return query("SELECT " + COLUMNS + " FROM placement WHERE tenant_id = ? FOR UPDATE", tenantId).stream().findFirst();
    }

    /** Tenants placed in a region, as primary or standby. */
    public List<StoredPlacement> inRegion(String region) {
        return query("SELECT " + COLUMNS + " FROM placement WHERE primary_region = ? OR ? = ANY (standby_regions) ORDER BY tenant_id",
                region, region);
    }

    public void upsert(UUID tenantId, String primary, List<String> standbys, Instant at, String by) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO placement (tenant_id, primary_region, standby_regions, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id) DO UPDATE SET primary_region = EXCLUDED.primary_region,
                    standby_regions = EXCLUDED.standby_regions, updated_at = EXCLUDED.updated_at,
                    updated_by = EXCLUDED.updated_by, version = placement.version + 1,
                    former_regions = ARRAY(SELECT DISTINCT unnest(placement.former_regions || placement.primary_region
                        || placement.standby_regions) EXCEPT SELECT unnest(EXCLUDED.primary_region || EXCLUDED.standby_regions))""")) {
            upsert.setObject(1, tenantId);
            upsert.setString(2, primary);
            upsert.setArray(3, connection.createArrayOf("varchar", standbys.toArray()));
            upsert.setTimestamp(4, Timestamp.from(at));
            upsert.setString(5, by);
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("placement update failed", e);
        }
    }

    public void delete(UUID tenantId) {
        jdbc.update("DELETE FROM placement WHERE tenant_id = ?", tenantId);
    }

    private List<StoredPlacement> query(String sql, Object... args) {
        return jdbc.query(sql, PlacementRepository::placement, args);
    }
}
